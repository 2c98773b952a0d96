"""Tables at 80 columns keep a name, a relation and a short header whole where the
table still fits (testers, round 2: 被代缴/人, 张小/雨, grandparen/t, 职工申/请)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DEMO_TODAY, invoke
from rich.cells import cell_len


def _run(state: Path, lang: str, *args: str) -> str:
    result = invoke(
        ["--lang", lang, "--state", str(state), "--today", DEMO_TODAY, *args],
        env={"COLUMNS": "80"},
    )
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    if "--json" not in args:
        assert all(cell_len(line) <= 80 for line in result.stdout.splitlines()), result.stdout
    return result.stdout


def _names(state: Path) -> set[str]:
    import json

    data = json.loads(_run(state, "en", "--json", "payments"))
    found = {p["payer"]["name"] for p in data["payments"]}
    return found | {p["relative"]["name"] for p in data["payments"]}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_payments_keep_names_and_headers_whole(demo: Path, lang: str) -> None:
    text = _run(demo, lang, "payments")
    if lang == "zh":
        assert "被代缴人" in text and "代缴人" in text, text
    for name in _names(demo):
        assert name in text, (name, text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_family_table_keeps_names_and_relations_whole(demo: Path, lang: str) -> None:
    import json

    data = json.loads(_run(demo, lang, "--json", "family", "--payer", "张伟"))
    text = _run(demo, lang, "family", "--payer", "张伟")
    words = text.split()
    for member in data["members"]:
        name = member["relative"]["name"]
        assert name in words, (name, text)
        if lang == "en":  # the relation names in English are the codes' words
            assert member["relation"].replace("_", " ").split()[0] in text, text
    if lang == "en":
        assert "grandparent" in words or "grandparen" not in text, text


def test_scenario_list_keeps_a_word_whole() -> None:
    text = invoke(["--lang", "zh", "scenario", "list"], env={"COLUMNS": "80"}).stdout
    assert "申请" in text.replace("│", "").replace(" ", "").replace("\n", "") and "申\n" not in text
    for line in text.splitlines():
        cells = line.rstrip(" │").rstrip()
        assert not cells.endswith("申"), line


@pytest.mark.parametrize("word", ["余额", "申请", "被代缴人"])
def test_fold_keeps_a_domain_word_whole(word: str) -> None:
    """The home status line (`… 余/额 ¥2000.00`) folds before the word, not inside it."""
    from rich.cells import cell_len

    from famcov.output.screen import wrap

    prefix = "付款人 " + "y" * 71  # 78 cells: the word would straddle the edge
    assert cell_len(prefix) == 78
    lines = wrap(prefix + word + " ¥2000.00", 80)
    assert any(word in line for line in lines), lines


@pytest.mark.parametrize(
    ("lang", "enrolled", "statuses"),
    [
        ("zh", ["2026 绵阳市", "2027 成都市"], ["正式成员", "临时成员"]),
        ("en", ["2026 Mianyang", "2027 Chengdu"], ["full member", "temporary"]),
    ],
)
def test_the_family_table_keeps_a_year_with_its_place_and_the_status_whole(
    demo: Path, lang: str, enrolled: list[str], statuses: list[str]
) -> None:
    """At 80 columns in English the enrolment column split "2026" from "Mianyang"; the
    status column must not be cut to make room for it (full mem)."""
    text = _run(demo, lang, "family", "--payer", "张伟")
    for shown in [*enrolled, *statuses]:
        assert any(shown in line for line in text.splitlines()), (shown, text)


def test_the_payments_hint_keeps_its_words_whole(demo: Path) -> None:
    """撤/销 was split at 80 columns: the hint folds between words, as every line does."""
    lines = _run(demo, "zh", "payments").splitlines()
    assert any("撤销" in line for line in lines), lines
    assert not any(line.rstrip().endswith(("撤", "查", "回")) for line in lines), lines
