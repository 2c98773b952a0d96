"""Every `--help` at 80 columns, zh and en (issue 19): no line wider than the terminal,
Chinese folded between words rather than run past the edge, and a definition's
continuation lines indented under its text, never at column 0."""

from __future__ import annotations

import pytest
from conftest import invoke
from rich.cells import cell_len

HEADINGS = ("Options:", "Commands:", "Arguments:", "选项：", "命令：", "参数：")


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
            assert line.startswith(("Usage: ", "用法：")) or line in HEADINGS, (path, line)
            section = line
            continue
        if section in HEADINGS:
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


@pytest.mark.parametrize("path", [(), ("pay",), ("scenario", "room"), ("scenario", "check")])
def test_chinese_help_has_no_english_headings_or_notes(path: tuple[str, ...]) -> None:
    """click writes Usage:/Options:/Commands:/Arguments: and [env var: …; default: …]
    in English whatever the language; in zh they come from the catalogue."""
    text = invoke(["--lang", "zh", *path, "--help"], env={"COLUMNS": "80"}).stdout
    for english in ("Usage:", "Options:", "Commands:", "Arguments:", "env var", "default:"):
        assert english not in text, (path, english, text)
    assert text.startswith("用法：") and "\n选项：\n" in text, text
    if not path:
        assert "\n命令：\n" in text and "环境变量：FAMCOV_STATE" in text and "默认：zh" in text
    if path == ("scenario", "room"):
        assert "\n参数：\n" in text


def test_english_help_keeps_clicks_headings() -> None:
    text = invoke(["--lang", "en", "--help"], env={"COLUMNS": "80"}).stdout
    assert text.startswith("Usage: ") and "\nOptions:\n" in text
    assert "[env var: FAMCOV_STATE]" in text and "\nCommands:\n" in text
