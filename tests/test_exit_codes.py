"""Fail early on codes: every error code famcov raises is registered with its exit
status, and docs/errors.md lists exactly the registered codes with the same status."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from famcov.errors import EXIT_CODES, ExitCode, FamcovError

ROOT = Path(__file__).resolve().parent.parent
RAISED = re.compile(
    r'(?:FamcovError|_result|_skip|RuleResult|_choice)\(\s*(?:[^()"]*?,\s*)*"([A-Z][A-Z0-9_]+)"'
)
ROW = re.compile(r"^\| `([A-Z0-9_]+)` \|", re.M)
HEADING = re.compile(r"^## Exit (\d+):", re.M)


def raised_codes() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "famcov").rglob("*.py"):
        found |= set(RAISED.findall(path.read_text(encoding="utf-8")))
    return found


def documented() -> dict[str, int]:
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    table: dict[str, int] = {}
    sections = HEADING.split(text)[1:]
    for status, body in zip(sections[::2], sections[1::2], strict=True):
        for code in ROW.findall(body):
            assert code not in table, f"{code} listed twice in docs/errors.md"
            table[code] = int(status)
    return table


def test_every_raised_code_is_registered():
    raised = raised_codes()
    assert len(raised) > 40  # the scan sees the code base, not nothing
    assert raised <= set(EXIT_CODES), raised - set(EXIT_CODES)


def test_every_registered_code_is_documented_with_its_exit_status():
    assert documented() == {code: int(status) for code, status in EXIT_CODES.items()}


def test_every_exit_status_is_an_exit_code_member():
    assert set(EXIT_CODES.values()) <= set(ExitCode)
    assert [int(e) for e in ExitCode] == [0, 1, 2, 3, 130]


def test_an_unregistered_code_fails_where_it_is_raised():
    with pytest.raises(KeyError, match="NOT_A_CODE"):
        FamcovError("NOT_A_CODE")
