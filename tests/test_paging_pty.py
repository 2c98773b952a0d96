"""Nothing scrolls away unread at 80x24 (testers, round 2): the pager ends a page only
between what is drawn as one (a rule and its folded lines, a paragraph of the letter),
and a fresh receipt taller than the screen is paged (its notes were printed above
the panel and the first ones scrolled off before 按回车继续)."""

from __future__ import annotations

import io
import itertools
import os
import re
import sys
from pathlib import Path

import pytest
from conftest import DEMO_TODAY
from test_wizard_pty import DOWN, ENTER, json_run, messages

pexpect = pytest.importorskip("pexpect")

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_fresh_receipt_is_paged_on_a_24_line_screen(tmp_path: Path, lang: str) -> None:
    state = tmp_path / "state.json"
    assert json_run(state, "scenario", "start", "revoke-repay")["ok"]
    assert json_run(state, "revoke", "DJ202610120001", "--reason", "other", "--yes")["ok"]
    m = messages(lang)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAMCOV_")}
    env.update(FAMCOV_STATE=str(state), TERM="xterm", NO_COLOR="1", PROMPT_TOOLKIT_NO_CPR="1")
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "famcov", "--today", DEMO_TODAY, "--lang", lang],
        env=env,
        encoding="utf-8",
        dimensions=(24, 80),
        timeout=15,
    )
    child.logfile_read = log = io.StringIO()
    child.expect_exact(m["wiz.home.ask"])
    child.send(DOWN + ENTER)  # pay
    for key in ("wiz.pay.relative.ask", "wiz.pay.region.ask", "wiz.pay.year.ask"):
        child.expect_exact(m[key])
        child.send(ENTER)
    while child.expect_exact([m["wiz.ui.continue"], m["wiz.pay.insurance.ask"]]) == 0:
        child.send(ENTER)  # the checklist, a page at a time
    child.send(ENTER)
    for key in ("wiz.pay.tier.ask", "wiz.review.ask"):
        child.expect_exact(m[key])
        child.send(ENTER)
    start = len(log.getvalue())
    while child.expect_exact([m["wiz.ui.continue"], m["wiz.home.ask"]]) == 0:
        child.send(ENTER)
    # every page as drawn, split where the Enter prompt stood: what came between two
    # prompts, whatever chunks the terminal sent it in
    drawn_all = ANSI.sub("", log.getvalue()[start:]).replace("\r", "")
    pages = []
    for chunk in drawn_all.split(m["wiz.ui.continue"])[:-1]:
        lines = chunk.split("\n")
        asked = [i for i, line in enumerate(lines) if "›" in line]
        if asked:  # the question answered last, already read
            lines = lines[asked[-1] + 1 :]
        pages.append("\n".join(lines))
    child.terminate(force=True)  # the home menu: the receipt has been read
    first = [i for i, p in enumerate(pages) if "DJ2026" in p]
    assert first, pages
    receipt = pages[first[0] :]
    for page in receipt:
        # the page and the Enter prompt on one 24-line screen: nothing scrolled away
        assert len(page.rstrip("\n").split("\n")) <= 23, page
    drawn = "".join(receipt)
    assert "DJ202611240002" in drawn and "¥1000.00 → ¥600.00" in drawn
    assert "\n! " in drawn  # the warning not to pay again elsewhere, by the prompt


def _pages(lines: int, renderable, **kwargs) -> list[str]:
    from rich.console import Console

    from famcov.output import fold
    from famcov.output.screen import paged

    fold.install()
    out = Console(width=80, height=lines, file=io.StringIO(), color_system=None)
    marks: list[int] = []
    paged(out, renderable, lambda: marks.append(len(out.file.getvalue())), **kwargs)
    text = out.file.getvalue()
    cuts = [0, *marks]
    return [text[a:b] for a, b in itertools.pairwise(cuts) if text[a:b]]


def test_the_pager_keeps_a_rules_folded_lines_together() -> None:
    from rich.table import Table

    from famcov.output.screen import para

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column()
    for n in range(12):
        message = f"Rule {n}: the personal account holds 1268.50 yuan, enough for 400.00 yuan."
        grid.add_row("✓", "Account balance", para(message * 2))
    pages = _pages(24, grid)
    assert len(pages) > 1
    for page in pages:
        lines = page.rstrip("\n").split("\n")
        assert len(lines) <= 22
        assert lines[0].startswith("✓"), page  # a page begins with a rule, not its tail
        assert lines[-1].rstrip().endswith("yuan."), page  # and ends with one whole


def test_the_pager_ends_a_letter_page_between_paragraphs() -> None:
    from rich.console import Group
    from rich.panel import Panel

    from famcov.output.screen import para

    blocks = [para(f"{n}. " + "I undertake to do what the letter says. " * 6) for n in range(8)]
    pages = _pages(24, blocks, frame=lambda chosen: Panel(Group(*chosen)))
    assert len(pages) > 1
    for page in pages:
        lines = page.rstrip("\n").split("\n")
        assert len(lines) <= 22 and lines[0].startswith("╭") and lines[-1].startswith("╰")
        assert re.match(r"│ \d\. ", lines[1]), page  # each page starts at a paragraph
        assert lines[-2].rstrip(" │").endswith("says."), page
