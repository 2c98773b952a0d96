"""Every view is readable at 80 and 100 columns, in Chinese and English: a cell or a
message too long for its place wraps (Chinese between characters), never cut with "…".

The views run through the public surface (the typer app, human output) on the demo
family, with the terminal pinned to the width under test.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from conftest import DEMO_RECEIPT, DEMO_TODAY, ZHANG_WEI, invoke

from famcov.output.fold import divide_line

VIEWS = [
    ("check", "--payer", "张伟", "--relative", "张丽", "--region", "昆明", "--year", "2027"),
    ("check", "--payer", "张伟", "--relative", "张小雨", "--region", "成都", "--year", "2027"),
    ("check", "--payer", "张伟", "--relative", "张德福", "--region", "成都", "--year", "2027"),
    ("family", "--payer", "张伟"),
    ("payments",),
    ("receipt", DEMO_RECEIPT),
    ("account", "--payer", ZHANG_WEI),
    ("policy",),
    ("policy", "--year", "2027"),
    ("doctor",),
]
BOX = re.compile(r"[\s│┃║─━═┏┓┗┛┡┩┠┨╭╮╰╯└┘┌┐├┤┬┴┼╷╵╶╴╇╈┳┻╋]+")


@pytest.fixture(scope="module")
def demo_state(tmp_path_factory) -> Path:
    state = tmp_path_factory.mktemp("fold") / "state.json"
    result = invoke(["--json", "--state", str(state), "--today", DEMO_TODAY, "init", "--demo"])
    assert result.exit_code == 0
    return state


def human(state: Path, args: tuple[str, ...], *, lang: str, columns: int) -> str:
    result = invoke(
        ["--state", str(state), "--today", DEMO_TODAY, "--lang", lang, *args],
        env={"COLUMNS": str(columns)},
    )
    assert result.exit_code in (0, 1), (args, result.stdout, result.stderr)
    return result.stdout + result.stderr


def flat(text: str) -> str:
    """The text without line breaks, padding and table borders: what a person reads."""
    return BOX.sub("", text)


@pytest.mark.parametrize("columns", [80, 100])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("args", VIEWS, ids=lambda a: " ".join(a[:2]))
def test_no_view_cuts_text_with_an_ellipsis(demo_state, args, lang, columns) -> None:
    out = human(demo_state, args, lang=lang, columns=columns)
    assert out.strip()
    assert "…" not in out, out
    for line in out.splitlines():
        from rich.cells import cell_len

        assert cell_len(line.rstrip()) <= columns, line


@pytest.mark.parametrize("columns", [80, 100])
def test_chinese_rule_messages_in_check_are_whole(demo_state, columns) -> None:
    """The cross-province refusal is read to its end, at a projector's 80 columns too."""
    from famcov.i18n import catalogue

    MESSAGES = catalogue("zh")

    out = human(demo_state, VIEWS[0], lang="zh", columns=columns)
    assert "…" not in out
    assert "跨省参保暂不支持代缴，请通过税务等其他渠道缴费" in flat(out)
    # every rule's message, whole: the failed one and those that passed
    for code in ("PAYER_INACTIVE", "NOT_BOUND", "NOT_ENROLLED", "ALREADY_PAID"):
        assert MESSAGES[f"rulename.{code}"] in out


def test_tiers_are_named_in_the_check(demo_state) -> None:
    """The validation line names the tiers as a person reads them, not their ids."""
    zh = flat(human(demo_state, VIEWS[1], lang="zh", columns=80))
    assert "个人缴费标准400.00、较高档次470.00" in zh
    assert "standard" not in zh and "higher" not in zh
    en = flat(human(demo_state, VIEWS[1], lang="en", columns=80))
    assert "Individualstandard400.00,Highertier470.00" in en


def test_policy_shows_a_regions_own_window_and_sources_in_full(demo_state) -> None:
    out = human(
        demo_state, ("policy", "--province", "51", "--year", "2027"), lang="zh", columns=200
    )
    assert "成都市自定： 2026-09-18 ~ 2027-02-28" in out  # Chengdu's own window, labelled
    assert "2026-09-01 ~ 2027-02-28" in out
    text = flat(out)
    assert "国务院办公厅《关于健全基本医疗保险参保长效机制的指导意见》" in text
    assert ".json" not in out and ".md" not in out


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("2027 年度可缴费（可缴费期间 2026-09-01 ~ 2027-12-31；集中缴费期 2026-09-01）。", 30),
        ("缴费区划昆明市属于云南省，代缴人参保在四川省；目前仅支持省内代缴。", 17),
        ("A sentence with an https://example.com/a/very/long/link/that/cannot/fit in it.", 20),
        # a first word exactly as wide as the line: what follows it was lost past the edge
        ("/tmp/scen/room/carol.json 不是从培训场景开始的状态文件", 25),
    ],
)
def test_lines_break_between_characters_and_words(text: str, width: int) -> None:
    from rich.cells import cell_len

    cuts = [0, *divide_line(text, width), len(text)]
    lines = [text[a:b] for a, b in itertools.pairwise(cuts)]
    assert "".join(lines) == text
    assert all(cell_len(line.rstrip()) <= width for line in lines), lines
    assert not any(line[:1] in "，。；）" for line in lines), lines  # closing marks stay put
    assert not any(line.rstrip()[-1:] in "（" for line in lines), lines
    for word in re.findall(r"(?<!\S)[A-Za-z]{2,10}(?!\S)", text):  # an English word is not split
        assert any(word in line for line in lines), (word, lines)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "code", ["COMMITMENT_REQUIRED", "PROOF_REQUIRED", "MINOR_PROOF_REQUIRED", "RELATION_GAP"]
)
def test_wizard_refusals_name_no_command_line_flag(code: str, lang: str) -> None:
    from famcov.errors import FamcovError
    from famcov.i18n import set_lang
    from famcov.wizard.ui import message_of

    set_lang(lang)
    try:
        message = message_of(FamcovError(code, {"province": "四川省"}))
    finally:
        set_lang("zh")
    assert message.strip() and "--" not in message, message


@pytest.mark.parametrize(
    ("text", "width", "whole"),
    [
        ("练习省份：四川省 · 缴费渠道：四川医保APP · 培训说明：关", 46, "培训说明"),
        ("刘秀兰已在成都办理 2027 年度城乡居民医保参保登记，还没有绑定", 44, "参保登记"),
        ("较高档次 470.00 元（示意值）不是公开来源确认的金额", 24, "（示意值）"),
    ],
)
def test_domain_words_and_short_notes_are_not_split(text: str, width: int, whole: str) -> None:
    """Issue 19: 培训/说明, 已参保登/记 and （示意/值） no longer split across lines."""
    cuts = [0, *divide_line(text, width), len(text)]
    lines = [text[a:b] for a, b in itertools.pairwise(cuts)]
    assert any(whole in line for line in lines), lines


@pytest.mark.parametrize("columns", [80, 100])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_payments_list_keeps_every_column_and_status_whole(tmp_path, lang, columns) -> None:
    """A revoked payment and a tax payment the account returned, at 80 columns: rich
    dropped the status column (zh) or cut it (en) when nine no-wrap columns did not fit;
    a status must be readable on every row."""
    from famcov.i18n import catalogue as words

    m = words(lang)
    chengdu, wuhan = tmp_path / "chengdu.json", tmp_path / "wuhan.json"
    base = ["--json"]
    pay = ["pay", "--payer", "张伟", "--relative", "张小雨", "--region", "成都", "--year", "2027"]
    for args in (
        ["--state", str(chengdu), "init", "--demo"],
        ["--state", str(chengdu), *pay, "--tier", "standard", "--yes"],
        ["--state", str(chengdu), "revoke", "DJ202611240002", "--reason", "duplicate", "--yes"],
        ["--state", str(wuhan), "init"],
        [
            "--state",
            str(wuhan),
            "admin",
            "add-worker",
            "--id",
            "420102198703120416",
            "--name",
            "周强",
            "--region",
            "武汉",
            "--balance",
            "2000",
        ],
        [
            "--state",
            str(wuhan),
            "admin",
            "enrol",
            "--id",
            "420102199601010130",
            "--name",
            "周亮",
            "--region",
            "武汉",
            "--year",
            "2027",
        ],
        [
            "--state",
            str(wuhan),
            "bind",
            "--payer",
            "周强",
            "--relative",
            "420102199601010130",
            "--name",
            "周亮",
            "--relation",
            "sibling",
            "--accept-commitment",
        ],
        [
            "--state",
            str(wuhan),
            "pay-tax",
            "--payer",
            "周强",
            "--relative",
            "周亮",
            "--region",
            "武汉",
            "--year",
            "2027",
            "--tier",
            "standard",
            "--yes",
        ],
        [
            "--state",
            str(wuhan),
            "--today",
            "2026-11-29",
            "claim-return",
            "--payer",
            "周强",
            "--relative",
            "周亮",
            "--year",
            "2027",
            "--yes",
        ],
    ):
        today = [] if "--today" in args else ["--today", DEMO_TODAY]
        assert invoke([*base, *today, *args]).exit_code == 0, args
    for state, statuses in (
        (chengdu, ("status.paid", "status.revoked")),
        (wuhan, ("status.paid_returned", "status.returned")),
    ):
        out = human(state, ("payments",), lang=lang, columns=columns)
        assert "…" not in out, out
        for line in out.splitlines():
            from rich.cells import cell_len

            assert cell_len(line.rstrip()) <= columns, line
        assert m["col.state"] in out and m["col.relative"].split()[0] in out, out
        # revoking is named only where a row can be revoked (not beside a tax row and a return)
        assert ("famcov revoke" in out) == (state == chengdu), out
        for key in statuses:
            assert m[key] in flat(out).replace(" ", "") or m[key].replace(" ", "") in flat(out), (
                key,
                out,
            )


@pytest.mark.parametrize(
    ("text", "width", "whole"),
    [
        ("His brother 周亮 (Zhou Liang) is bound to 周强's family account.", 24, "周强's"),
        ("Pay for someone else (是否代缴), paid with own money", 27, "是否代缴"),
        ("广安市、聊城市、阿坝藏族羌族自治州、中国政府网", 24, "阿坝藏族羌族自治州"),
        ("· 张小雨 510104********0045 (child)", 8, "张小雨"),
    ],
)
def test_a_short_run_of_ideographs_standing_alone_is_not_split(text, width, whole) -> None:
    """A name in an English line (周/强's), a place in a list (广安/市), a bracketed term
    (是/否代缴) stays on one line; a Chinese clause still breaks between characters."""
    from famcov.output.screen import wrap

    lines = wrap(text, width)
    assert any(whole in line for line in lines), lines
    clause = wrap("医保部门撤销前还会核对：被代缴人尚未使用该年度待遇", 20)
    assert clause[0] == "医保部门撤销前还会核"  # a clause over ten characters still folds


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "args", [("--help",), ("pay", "--help"), ("receipt", "--help"), ("scenario", "room", "--help")]
)
def test_help_names_what_each_option_and_argument_takes_in_the_runs_language(args, lang):
    """typer wrote <str> after every option and argument and click's [OPTIONS] COMMAND
    [ARGS] in English on a Chinese screen: each says what it takes, in words."""
    out = invoke(["--lang", lang, *args], env={"COLUMNS": "80"}).stdout
    assert "<str>" not in out and "<list[str]>" not in out, out
    if lang == "zh":
        assert "[OPTIONS]" not in out and "[选项]" in out, out


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("只有职工医保参保状态正常的职工，个人账户才能用于家庭共济。", "家庭共济"),
        ("缴费后自出生之日起享受待遇，新生儿出生 90 天内缴费", "享受"),
        ("缴费后自出生之日起享受待遇，新生儿出生 90 天内缴费", "新生儿"),
        ("《关于健全基本医疗保险参保长效机制的指导意见》（国办发〔2024〕38号）", "〔2024〕38号"),
    ],
)
def test_domain_words_and_document_numbers_stay_whole(text, whole) -> None:
    """享/受, 共/济, 新生/儿, 〔2024〕38/号 were split by the second walk."""
    from rich.cells import cell_len

    from famcov.output.screen import wrap

    for width in range(max(cell_len(whole) + 4, 24), 40):  # 24: the bracketed number whole
        lines = wrap(text, width)
        assert any(whole in line for line in lines), (width, lines)
