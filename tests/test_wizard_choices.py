"""A choice longer than the terminal is folded onto indented lines, not cut at the
edge by prompt_toolkit (the year choices at 80 columns lost "已参保登记")."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from famcov.wizard.ui import _fitted

YEAR = "2027 年度 · 可缴费 · 集中缴费期 2026-09-18 ~ 2027-02-28（示意值） · 已参保登记"


@pytest.mark.parametrize("columns", [60, 80, 100])
def test_a_long_choice_is_folded_whole(monkeypatch: pytest.MonkeyPatch, columns: int) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("LINES", "24")
    lines = _fitted(YEAR).split("\n")
    assert all(cell_len(line) <= columns - 4 for line in lines), lines
    assert "".join(line.strip() for line in lines).replace(" ", "") == YEAR.replace(" ", "")
    if cell_len(YEAR) <= columns - 4:
        assert lines == [YEAR]
    else:
        assert all(line.startswith("   ") for line in lines[1:])
