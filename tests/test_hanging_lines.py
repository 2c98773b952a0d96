"""At 80 columns nothing a person reads continues at column 0 (testers, round 2): a done
message's folded lines and `famcov policy`'s `Label: value   source: …` lines hang
under their text, as the notes do."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DEMO_TODAY, invoke


def _run(state: Path, lang: str, *args: str) -> str:
    result = invoke(
        ["--lang", lang, "--state", str(state), "--today", DEMO_TODAY, *args],
        env={"COLUMNS": "80"},
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_done_message_folds_under_its_text(tmp_path: Path, lang: str) -> None:
    state = tmp_path / "state.json"
    _run(state, lang, "--json", "scenario", "start", "revoke-repay")
    text = _run(state, lang, "revoke", "DJ202610120001", "--reason", "other", "--yes")
    lines = [line for line in text.splitlines() if line.strip()]
    (first,) = [i for i, line in enumerate(lines) if line.startswith("✓")]
    following = lines[first + 1 :]
    if lang == "en":  # `…; the` / `balance is 1268.50 yuan.`: two lines at 80
        assert following, text
    for line in following:
        if line.startswith(("•", " ")):
            continue
        raise AssertionError(f"at column 0: {line!r}\n{text}")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_policy_lines_fold_under_their_text(tmp_path: Path, lang: str) -> None:
    text = invoke(["--lang", lang, "policy"], env={"COLUMNS": "80"}).stdout
    for bad in ("(no public source", "confirms it)", "来源：[", "[示意]", "[illustrative]"):
        for line in text.splitlines():
            assert not line.startswith(bad), (bad, line)
    heads = [line for line in text.splitlines() if line.startswith(("Scope:", "共济范围："))]
    assert heads


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_channel_step_line_folds_under_its_path(lang: str) -> None:
    """`[Pay] Sichuan Medical Insurance app: … →` / `Submit proxy payment` at 80."""
    import io
    from types import SimpleNamespace

    from rich.console import Console

    from famcov import policy
    from famcov.i18n import lang as current
    from famcov.i18n import set_lang
    from famcov.output import fold
    from famcov.wizard.channel import show_step

    fold.install()
    packs = policy.load().channel_packs
    out = Console(width=80, file=io.StringIO(), color_system=None)
    before = current()
    set_lang(lang)
    try:
        for channel in packs.values():
            show_step(SimpleNamespace(out=out), channel, "pay")
    finally:
        set_lang(before)
    lines = [line for line in out.file.getvalue().splitlines() if line.strip()]
    assert lines
    for line in lines:
        assert line.startswith((" ", "[", "【", "Payment method:", "支付方式：")), line
