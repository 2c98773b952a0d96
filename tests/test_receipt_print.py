"""Receipts and handouts as a trainer prints or projects them (issue 19): a light page,
HTML with a real table (no box-drawing text under a proportional CJK font), nothing
fetched from the network, and the brackets and punctuation of the page's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import DEMO_RECEIPT

BOX = re.compile(r"[╭╮╰╯│─┃━┏┓┗┛]")
NETWORK = re.compile(
    r"(?:https?:)?//(?!www\.w3\.org/2000/svg)[\w.-]+|@import|@font-face|url\((?!#)"
)


def _revoked(ok) -> None:
    ok("revoke", DEMO_RECEIPT, "--reason", "duplicate")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_html_receipt_is_a_table_on_a_light_page(demo, ok, tmp_path: Path, lang) -> None:
    _revoked(ok)
    file = tmp_path / "r.html"
    ok("receipt", DEMO_RECEIPT, "--export", str(file), lang=lang)
    page = file.read_text(encoding="utf-8")
    assert "<table>" in page and page.count('<th scope="row">') >= 10
    assert not BOX.search(page), BOX.search(page)
    assert not NETWORK.search(page), NETWORK.search(page)
    assert "background:#fff" in page and "<script" not in page
    if lang == "en":
        assert "revoked (2026-11-24, duplicate payment)" in page
        assert not re.search(
            r"[（）：，]", page.split("<body>", 1)[1].replace("个人账户代缴申请", "")
        )
    else:
        assert "已撤销（2026-11-24，重复缴费）" in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_svg_receipt_is_paper_with_system_fonts(demo, ok, tmp_path: Path, lang) -> None:
    _revoked(ok)
    file = tmp_path / "r.svg"
    ok("receipt", DEMO_RECEIPT, "--export", str(file), lang=lang)
    picture = file.read_text(encoding="utf-8")
    assert picture.startswith("<svg")
    assert not NETWORK.search(picture), NETWORK.search(picture)
    assert "<circle" not in picture  # no mock window buttons
    assert 'fill="#ffffff"' in picture  # white paper
    assert "monospace" in picture and "Fira Code" not in picture
    status = "revoked (2026-11-24, duplicate payment)" if lang == "en" else "已撤销"
    flat = re.sub(r"<[^>]+>", "", picture).replace("&#160;", " ")
    assert status in flat or status.replace(" ", "") in flat.replace(" ", "")


def test_the_handout_page_fetches_nothing(run, tmp_path: Path) -> None:
    for extra in ([], ["--trainee"]):
        out = tmp_path / f"h{len(extra)}.html"
        assert run("scenario", "handout", "revoke-repay", "--output", str(out), *extra).code == 0
        page = out.read_text(encoding="utf-8")
        assert not NETWORK.search(page) and not BOX.search(page)
