"""Every `--help` at 80 columns, zh and en (issue 19): no line wider than the terminal,
Chinese folded between words rather than run past the edge, and a definition's
continuation lines indented under its text, never at column 0."""

from __future__ import annotations

import pytest
from conftest import invoke
from rich.cells import cell_len

HEADINGS = ("Options:", "Commands:", "Arguments:")


def _paths(command, path=()):
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from _paths(sub, (*path, name))


def _all_paths() -> list[tuple[str, ...]]:
    import typer.main

    from famcov.cli import app

    return list(_paths(typer.main.get_command(app)))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_help_fits_the_terminal(lang: str) -> None:
    for path in _all_paths():
        result = invoke(["--lang", lang, *path, "--help"], env={"COLUMNS": "80"})
        assert result.exit_code == 0, (path, result.stdout)
        _check(path, result.stdout, 80)


@pytest.mark.parametrize("path", [(), ("pay-tax",), ("scenario", "room")])
def test_a_narrower_terminal_folds_narrower(path: tuple[str, ...]) -> None:
    """In a real process (click reads the terminal's width there) at 60 columns."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("FAMCOV_")}
    env.update(COLUMNS="60", NO_COLOR="1", TERM="dumb", PYTHONIOENCODING="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "famcov", *path, "--help"],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    _check(path, done.stdout, 60)


def _check(path: tuple[str, ...], text: str, columns: int) -> None:
    assert text.strip(), path
    section = None
    for line in text.splitlines():
        assert cell_len(line) <= columns, (path, line)
        if not line.strip():
            continue
        if not line.startswith(" "):
            # only a heading starts at column 0 (Usage:, Options:, Commands:, Arguments:),
            # never a folded text's continuation
            assert line.startswith("Usage: ") or line in HEADINGS, (path, line)
            section = line
            continue
        if section in ("Options:", "Commands:", "Arguments:"):
            # a definition line or its continuation: always indented past the names
            assert line.startswith("  "), (path, line)


def test_chinese_help_folds_between_words_at_80() -> None:
    text = invoke(["--help"], env={"COLUMNS": "80"}).stdout
    lines = text.splitlines()
    # the [env var …] note stays on the option's lines, its bracket not alone on a line
    assert not any(line.strip() == "]" for line in lines)
    assert not any(line.strip() == "。" for line in lines)
    # a long Chinese command text folds onto an indented second line
    (pay_tax,) = [i for i, line in enumerate(lines) if line.lstrip().startswith("pay-tax ")]
    follow = lines[pay_tax + 1]
    assert follow.startswith(" " * 10) and follow.strip()
    # the description under Usage: folds, in cells, within the terminal
    assert sum(1 for line in lines if "famcov：" in line or "按四川医保APP" in line) >= 1


def test_an_option_text_longer_than_a_line_keeps_its_indent() -> None:
    text = invoke(["--lang", "zh", "scenario", "room", "--help"], env={"COLUMNS": "80"}).stdout
    lines = text.splitlines()
    (start,) = [i for i, line in enumerate(lines) if line.lstrip().startswith("--trainees")]
    column = lines[start].index(lines[start].split()[2])  # where the text begins
    assert lines[start + 1].startswith(" " * column) and lines[start + 1].strip()
