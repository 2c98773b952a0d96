"""`famcov receipt NO --export FILE.svg|FILE.html`: the receipt as a picture or a page
(rich's export), in the run's language, IDs masked, written atomically; a bad name is
one clear sentence and writes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import (
    DEMO_RECEIPT,
    XIAOYU,
    ZHANG_WEI,
    assert_message,
    invoke,
    mask,
)

FULL_ID = re.compile(r"(?<!\d)\d{17}[\dX](?!\d)")


@pytest.mark.parametrize("suffix", [".svg", ".html", ".SVG"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_export_writes_the_receipt_in_the_runs_language(
    demo: Path, ok, tmp_path: Path, suffix: str, lang: str
):
    file = tmp_path / f"receipt{suffix}"
    data = ok("receipt", DEMO_RECEIPT, "--export", str(file), lang=lang)
    assert data["export"] == {"path": str(file), "format": suffix.lower()[1:]}
    assert data["receipt"]["no"] == DEMO_RECEIPT
    page = file.read_text(encoding="utf-8")
    # rich's SVG puts each character run in its own <text>; the HTML keeps words whole
    flat = re.sub(r"<[^>]+>", "", page).replace("&#160;", " ").replace("&nbsp;", " ")
    assert DEMO_RECEIPT in flat
    assert "400.00" in flat
    if lang == "zh":
        assert "代缴回执" in flat or "代缴回执" in page
    else:
        assert "Proxy payment receipt" in flat or "Proxy" in flat
    for person in (ZHANG_WEI, XIAOYU):
        assert person not in page
    assert mask(ZHANG_WEI) in page.replace("&#42;", "*")
    assert not FULL_ID.search(page)
    assert not list(tmp_path.glob(".*.tmp")), "a temporary file was left behind"


def test_export_replaces_an_existing_file_whole(demo: Path, ok, tmp_path: Path):
    file = tmp_path / "r.html"
    file.write_text("old", encoding="utf-8")
    ok("receipt", DEMO_RECEIPT, "--export", str(file))
    assert file.read_text(encoding="utf-8").lstrip().startswith("<!DOCTYPE html>")


def test_human_output_names_the_file(demo: Path, run, tmp_path: Path):
    file = tmp_path / "r.svg"
    outcome = run("receipt", DEMO_RECEIPT, "--export", str(file), json_out=False)
    assert outcome.code == 0
    assert "r.svg" in outcome.data and "已导出" in outcome.data
    assert file.read_text(encoding="utf-8").startswith("<svg")


@pytest.mark.parametrize("name", ["r.png", "r", "r.svg.txt", "r.htm"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_other_suffixes_are_refused(demo: Path, refused, tmp_path: Path, name: str, lang: str):
    data = refused(
        "receipt",
        DEMO_RECEIPT,
        "--export",
        str(tmp_path / name),
        code="EXPORT_FORMAT",
        exit=2,
        lang=lang,
    )
    assert_message(data["error"]["message"], lang)
    assert ".svg" in data["error"]["message"] and ".html" in data["error"]["message"]
    assert not (tmp_path / name).exists()


def test_a_bad_suffix_is_refused_before_the_state_is_read(refused, tmp_path: Path):
    # no state at all: the name is judged first (usage, exit 2), not STATE_MISSING
    refused(
        "receipt", DEMO_RECEIPT, "--export", str(tmp_path / "r.pdf"), code="EXPORT_FORMAT", exit=2
    )


def test_an_existing_folder_is_refused(demo: Path, refused, tmp_path: Path):
    folder = tmp_path / "pics.svg"
    folder.mkdir()
    data = refused(
        "receipt", DEMO_RECEIPT, "--export", str(folder), code="EXPORT_IS_FOLDER", exit=2
    )
    assert_message(data["error"]["message"])
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_unwritable_path_is_refused(demo: Path, refused, tmp_path: Path, lang: str):
    missing = tmp_path / "no-such-folder" / "r.svg"
    data = refused(
        "receipt", DEMO_RECEIPT, "--export", str(missing), code="EXPORT_FAILED", exit=1, lang=lang
    )
    assert_message(data["error"]["message"], lang)
    assert not missing.parent.exists()
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    refused(
        "receipt",
        DEMO_RECEIPT,
        "--export",
        str(blocker / "r.html"),
        code="EXPORT_FAILED",
        exit=1,
        lang=lang,
    )
    assert blocker.read_text(encoding="utf-8") == "x"


def test_an_unknown_receipt_writes_no_file(demo: Path, refused, tmp_path: Path):
    file = tmp_path / "r.svg"
    refused("receipt", "DJ209901010001", "--export", str(file), code="UNKNOWN_RECEIPT", exit=1)
    assert not file.exists()


def test_the_write_failure_sentence_has_no_hotline(demo: Path, state: Path, tmp_path: Path):
    result = invoke(
        [
            "--state",
            str(state),
            "receipt",
            DEMO_RECEIPT,
            "--export",
            str(tmp_path / "none" / "r.svg"),
        ]
    )
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr


def test_control_characters_are_written_out(tmp_path: Path):
    from famcov import export
    from famcov.i18n import set_lang

    set_lang("zh")
    data = {
        "no": "DJ202611240002",
        "status": "paid",
        "payer": {"id": mask(ZHANG_WEI), "name": "张\x1b[2J伟"},
        "relative": {"id": mask(XIAOYU), "name": f"小雨 {XIAOYU}\u202e"},
        "relation": "child",
        "region": {"code": "510100", "name": "成都市"},
        "year": 2027,
        "insurance": "城乡居民基本医疗保险",
        "tier": "standard",
        "tier_name": "个人缴费标准",
        "amount": "400.00",
        "balance_before": "1268.50",
        "balance_after": "868.50",
        "paid_at": "2026-11-24",
        "in_window": True,
        "benefits_from": "2027-01-01",
        "illustrative": False,
        "revoked_at": None,
        "revoke_reason": None,
        "notes": [],
    }
    for suffix in (".svg", ".html"):
        page = export.document(data, suffix)
        assert "\x1b" not in page and "\u202e" not in page
        assert "\\x1b" in page and "\\u202e" in page
        assert XIAOYU not in page
