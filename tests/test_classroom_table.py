"""A class of 20 read on a projector at 80x24 (testers, round 2): one line per trainee,
the header and the summary on the same screen; `--watch` keeps the header and says how
many trainees did not fit rather than letting the top scroll away."""

from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path

import pytest
from conftest import invoke
from rich.cells import cell_len

pexpect = pytest.importorskip("pexpect")


def room(folder: Path, count: int) -> None:
    made = invoke(
        ["--json", "scenario", "room", "happy-path", str(folder), "--trainees", str(count)]
    )
    assert made.exit_code == 0, made.stdout


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_twenty_trainees_fit_one_screen(tmp_path: Path, lang) -> None:
    folder = tmp_path / "class"
    room(folder, 20)
    result = invoke(["--lang", lang, "scenario", "check", str(folder)], env={"COLUMNS": "80"})
    assert result.exit_code == 1
    lines = result.stdout.rstrip("\n").split("\n")
    assert len(lines) <= 23, result.stdout  # and a prompt below it on a 24-line screen
    assert all(cell_len(line.rstrip()) <= 80 for line in lines), result.stdout
    for n in range(1, 21):
        (row,) = [line for line in lines if line.startswith(f"trainee-{n:02d} ")]
        assert "✗ 0/3" in row and row.rstrip().endswith("…"), row
    assert ("学员" if lang == "zh" else "Trainee") in lines[1]
    assert "happy-path" in lines[0]


def test_one_file_still_shows_every_goal_in_full(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    room(folder, 2)
    result = invoke(["scenario", "check", str(folder / "trainee-01.json")], env={"COLUMNS": "80"})
    assert "个人缴费标准 400.00 元" in result.stdout and "…" not in result.stdout


def watch_screen(folder: Path, lang: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAMCOV_")}
    env.update(TERM="xterm", NO_COLOR="1", PYTHONIOENCODING="utf-8")
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    log = io.StringIO()
    child = pexpect.spawn(
        sys.executable,
        ["-m", "famcov", "--lang", lang, "scenario", "check", str(folder), "--watch"],
        env=env,
        encoding="utf-8",
        dimensions=(24, 80),
        timeout=20,
    )
    child.logfile_read = log
    child.expect_exact("Ctrl-C")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, log.getvalue()
    seen = log.getvalue().split("\x1b[2J")[-1]  # what the last redraw drew
    seen = seen.split("已停止刷新" if lang == "zh" else "Stopped watching")[0]
    seen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen).replace("\r", "")
    return seen.split("^C")[0]  # the terminal's echo of Ctrl-C, after the last line


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_watch_shows_the_whole_class_of_twenty_with_its_header(tmp_path: Path, lang) -> None:
    folder = tmp_path / "class"
    room(folder, 20)
    screen = watch_screen(folder, lang)
    lines = screen.rstrip("\n").split("\n")
    assert len(lines) <= 24, screen  # nothing scrolled: the top line is the title
    assert "happy-path" in lines[0] and ("学员" if lang == "zh" else "Trainee") in lines[1]
    assert all(f"trainee-{n:02d}" in screen for n in range(1, 21)), screen


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_watch_says_how_many_trainees_did_not_fit(tmp_path: Path, lang) -> None:
    folder = tmp_path / "class"
    room(folder, 30)
    screen = watch_screen(folder, lang)
    lines = screen.rstrip("\n").split("\n")
    assert len(lines) <= 24, screen
    assert "happy-path" in lines[0] and ("学员" if lang == "zh" else "Trainee") in lines[1]
    shown = sum(f"trainee-{n:02d}" in screen for n in range(1, 31))
    hidden = 30 - shown
    assert hidden > 0
    said = f"还有 {hidden} 个未显示" if lang == "zh" else f"{hidden} more not shown"
    assert said in screen, screen
