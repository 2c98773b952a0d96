"""Long views read on a projector (issue 19): `famcov policy`, `scenario list` and
`scenario show` on an 80x24 terminal come a screenful at a time (按回车继续), so none
of their lines scrolls away unread; into a pipe they are printed whole, no prompt."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from conftest import DEMO_TODAY, invoke

from famcov.i18n import catalogue

pexpect = pytest.importorskip("pexpect")

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
VIEWS = [
    ["policy", "--province", "四川", "--year", "2027"],
    ["scenario", "list"],
    ["scenario", "show", "happy-path"],
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("view", VIEWS, ids=["policy", "scenario-list", "scenario-show"])
def test_a_long_view_is_paged_on_a_terminal(tmp_path: Path, lang: str, view) -> None:
    more = catalogue(lang)["wiz.ui.continue"]
    child = pexpect.spawn(
        sys.executable,
        ["-m", "famcov", "--lang", lang, "--today", DEMO_TODAY, *view],
        env={
            "PATH": "/usr/bin:/bin",
            "TERM": "xterm",
            "COLUMNS": "80",
            "LINES": "24",
            "FAMCOV_STATE": str(tmp_path / "s.json"),
        },
        encoding="utf-8",
        dimensions=(24, 80),
        timeout=20,
    )
    child.logfile_read = log = io.StringIO()
    while child.expect_exact([more, pexpect.EOF]) == 0:
        child.sendline("")
    child.close()
    assert child.exitstatus == 0
    drawn = ANSI.sub("", log.getvalue()).replace("\r", "")
    pages = drawn.split(more)
    for page in pages:
        lines = page.strip("\n").split("\n")
        # a page and the prompt under it fit the 24-line screen: nothing scrolled away
        assert len(lines) <= 23, page
    if view[0] == "policy":  # 70-odd lines at 80 columns: more than one screen
        assert len(pages) > 1


@pytest.mark.parametrize("view", VIEWS, ids=["policy", "scenario-list", "scenario-show"])
def test_into_a_pipe_a_long_view_is_printed_whole(view) -> None:
    result = invoke(["--today", DEMO_TODAY, *view])
    assert result.exit_code == 0
    assert catalogue("zh")["wiz.ui.continue"] not in result.stdout
