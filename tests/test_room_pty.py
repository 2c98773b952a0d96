"""Small things a training room notices (issue 10), in a real 80x24 pseudo-terminal:
Ctrl-C names what the session saved before, the payer's header is printed once after
a first-run scenario, and the first-run scenario list offers no home menu yet."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest
from conftest import DEMO_TODAY, invoke, parse_json

pexpect = pytest.importorskip("pexpect")

DOWN, UP, ENTER, CTRL_C = "\x1b[B", "\x1b[A", "\r", "\x03"
TIMEOUT = 20


def messages(lang: str) -> dict[str, str]:
    from famcov.i18n import catalogue

    EN, ZH = catalogue("en"), catalogue("zh")

    return EN if lang == "en" else ZH


class Room:
    """famcov at 80x24, as on a projector; everything it printed is kept in `seen`."""

    def __init__(self, state: Path, *args: str, lang: str = "zh", today: str = DEMO_TODAY):
        self.m = messages(lang)
        env = {k: v for k, v in os.environ.items() if not k.startswith("FAMCOV_")}
        env.update(
            FAMCOV_STATE=str(state),
            TERM="xterm",
            NO_COLOR="1",
            PROMPT_TOOLKIT_NO_CPR="1",
            PYTHONIOENCODING="utf-8",
        )
        env.pop("COLUMNS", None)
        env.pop("LINES", None)
        self.log = io.StringIO()
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "famcov", "--today", today, "--lang", lang, *args],
            env=env,
            encoding="utf-8",
            dimensions=(24, 80),
            timeout=TIMEOUT,
        )
        self.child.logfile_read = self.log

    @property
    def seen(self) -> str:
        return self.log.getvalue()

    def see(self, text: str) -> None:
        self.child.expect_exact(text)

    def ask(self, key: str, keys: str, **params: str) -> None:
        self.see(self.m[key].format(**params) if params else self.m[key])
        self.child.send(keys)

    def read_on(self, key: str) -> None:
        """Enter at each "press Enter to continue" until the question `key` is asked."""
        while self.child.expect_exact([self.m["wiz.ui.continue"], self.m[key]]) == 0:
            self.child.send(ENTER)

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        assert "Traceback" not in self.seen
        return self.child.exitstatus


def json_run(state: Path, *args: str) -> dict:
    return parse_json(
        invoke(["--json", "--state", str(state), "--today", DEMO_TODAY, *args]).stdout
    )


def _flat(text: str) -> str:
    """The screen's text without line breaks (a long sentence folds at 80 columns)."""
    import re

    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ctrl_c_names_what_was_saved_earlier(tmp_path: Path, lang: str) -> None:
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    room = Room(state, lang=lang)
    room.ask("wiz.payer.ask", ENTER)  # 张伟
    room.ask("wiz.home.ask", DOWN + ENTER)  # 个人账户代缴申请
    room.ask("wiz.pay.relative.ask", ENTER)  # 张小雨
    room.ask("wiz.pay.region.ask", ENTER)
    room.ask("wiz.pay.year.ask", ENTER)  # 2027
    room.read_on("wiz.pay.insurance.ask")  # the checklist, a page at a time
    room.child.send(ENTER)
    room.ask("wiz.pay.tier.ask", ENTER)
    room.ask("wiz.review.ask", ENTER)
    room.see("DJ202611240002")
    room.read_on("wiz.home.ask")  # the receipt stays until it is read, page by page
    paid = room.seen
    room.child.send(ENTER)  # 亲情账户
    room.see(room.m["wiz.family.bind"])
    room.child.send(CTRL_C)  # in a step that has written nothing
    assert room.finish() == 0  # CLI.md: once a change is saved, the command finishes with 0
    said = _flat(room.seen[len(paid) :])
    expected = messages(lang)["error.INTERRUPTED_AFTER_SAVES"].split("{saved}")
    assert _flat(expected[0]) in said and _flat(expected[1]) in said, said
    assert "DJ202611240002" in said
    payments = json_run(state, "payments")["payments"]
    assert [p["no"] for p in payments][-1] == "DJ202611240002"


def test_ctrl_c_before_any_save_says_nothing_was_written(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    before = state.read_bytes()
    room = Room(state)
    room.ask("wiz.payer.ask", CTRL_C)
    assert room.finish() == 130
    assert _flat(messages("zh")["error.INTERRUPTED"]) in _flat(room.seen)
    assert "已保存" not in room.seen
    assert state.read_bytes() == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_first_run_scenario_prints_the_payer_header_once(tmp_path: Path, lang: str) -> None:
    state = tmp_path / "state.json"
    room = Room(state, lang=lang)
    room.ask("wiz.first.ask", DOWN + ENTER)  # 从培训场景开始…
    room.ask("wiz.scenario.ask", ENTER)  # the first scenario
    # its brief, a screenful at a time, each kept until Enter (the answered prompt is
    # drawn once more, hence the second wait)
    while room.child.expect_exact([room.m["wiz.home.ask"], room.m["wiz.ui.continue"]]):
        room.child.send(ENTER)
        room.see(room.m["wiz.ui.continue"])
    # the scenario is its own province's: province and channel are not asked again
    assert room.m["channel.wiz.province.ask"] not in room.seen
    header = f"famcov · {room.m['wiz.stage.payer']}"
    assert room.seen.count(header) == 1, room.seen
    room.child.send(CTRL_C)
    assert room.finish() == 0  # the scenario was set up: it stands (CLI.md)
    saved = messages(lang)["saved.scenario"].split("{name}")[0]
    assert _flat(saved) in _flat(room.seen)


def test_first_run_scenario_list_goes_back_not_home(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    room = Room(state)
    room.ask("wiz.first.ask", DOWN + ENTER)
    room.see(room.m["wiz.scenario.ask"])
    room.see(room.m["wiz.back"])
    assert room.m["wiz.back.menu"] not in room.seen  # there is no home menu yet
    room.child.send(UP + ENTER)  # the last choice: ← 上一步
    room.ask("wiz.first.ask", CTRL_C)
    assert room.finish() == 130
    assert not state.exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_state_exists_says_where_the_backup_goes(tmp_path: Path, lang: str) -> None:
    state = tmp_path / "state.json"
    json_run(state, "init", "--demo")
    result = invoke(["--json", "--lang", lang, "--state", str(state), "init"])
    error = parse_json(result.stdout)["error"]
    assert result.exit_code == 3 and error["code"] == "STATE_EXISTS"
    assert f"{state}.bak" in error["message"]
    assert "丢失" not in error["message"].replace("不会丢失", "")
    assert "will be lost" not in error["message"]


# -- practising with one's own family (first run) ----------------------------------

WANG_FANG = "51010719880312002X"  # the worker: Chengdu
LIU_FANG = "51010419620508004X"  # her mother: Chengdu 2027
BACKSPACE = "\x7f"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_own_family_on_first_run(tmp_path: Path, lang: str) -> None:
    state = tmp_path / "state.json"
    city = "成都" if lang == "zh" else "Chengdu"
    room = Room(state, lang=lang)
    room.ask("wiz.first.ask", DOWN * 2 + ENTER)  # 用我自己的家庭练习
    room.see(room.m["wiz.own.title"])
    assert _flat(room.m["wiz.own.local"].split("{path}")[0]) in _flat(room.seen)
    room.ask("wiz.own.name.ask", "王芳" + ENTER)
    room.ask("wiz.own.id.ask", WANG_FANG[:-1] + "1" + ENTER)  # a wrong check digit
    room.see(room.m["idreason.check_digit"][:16])  # the line folds at 80 columns
    room.child.send(BACKSPACE + "X" + ENTER)
    room.see("510107********002X")  # the ID stays on screen masked
    room.ask("wiz.own.province.ask", ENTER)  # 四川, from the ID's first digits
    room.ask("wiz.own.city.ask", ENTER)  # empty: one step back
    room.ask("wiz.own.province.ask", ENTER)  # asked again
    room.ask("wiz.own.city.ask", "北京" + ENTER)  # not a city of the packs
    room.child.send("\x15" + city + ENTER)  # Ctrl-U clears the line
    room.ask("wiz.own.balance.ask", "1500" + ENTER)
    room.ask("wiz.own.family.ask", ENTER)  # add a relative
    room.ask("wiz.own.relative.name.ask", "刘芳" + ENTER)
    room.ask("wiz.own.relative.id.ask", WANG_FANG + ENTER, name="刘芳")  # her own: refused
    room.see(room.m["wiz.own.same_id"][:16])
    room.child.send("\x15" + LIU_FANG + ENTER)
    room.ask("wiz.own.relative.province.ask", ENTER, name="刘芳")
    room.ask("wiz.own.relative.city.ask", city + ENTER, name="刘芳")
    room.ask("wiz.own.year.ask", ENTER, name="刘芳")  # 2027, the next year
    room.ask("wiz.own.family.ask", DOWN + ENTER)  # save
    room.see(room.m["wiz.own.stage.save"])  # step 3/3 shows
    room.ask("wiz.ui.continue", ENTER)
    # the province was asked once, with the city: only the channel now, in 四川
    room.see(room.m["channel.wiz.channel.ask"].split("{province}")[1])
    room.child.send(ENTER)
    room.ask("wiz.home.ask", UP + ENTER)  # quit
    assert room.finish() == 0
    assert room.m["channel.wiz.province.ask"] not in room.seen
    assert _flat(room.m["wiz.step"].format(n=3, total=3)) in _flat(room.seen)  # 步骤 3/3

    account = json_run(state, "account", "--payer", "王芳")
    assert account["balance"] == "1500.00"
    import json

    data = json.loads(state.read_text(encoding="utf-8"))
    assert [(w["id"], w["region"]) for w in data["workers"]] == [(WANG_FANG, "510100")]
    assert [(e["id"], e["name"], e["region"], e["year"]) for e in data["enrolments"]] == [
        (LIU_FANG, "刘芳", "510100", 2027)
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_own_family_ctrl_c_writes_nothing(tmp_path: Path, lang: str) -> None:
    state = tmp_path / "state.json"
    room = Room(state, lang=lang)
    room.ask("wiz.first.ask", DOWN * 2 + ENTER)
    room.ask("wiz.own.name.ask", "王芳" + ENTER)
    room.ask("wiz.own.id.ask", WANG_FANG + ENTER)
    room.ask("wiz.own.province.ask", ENTER)
    room.ask("wiz.own.city.ask", ("成都" if lang == "zh" else "Chengdu") + ENTER)
    room.ask("wiz.own.balance.ask", "1500" + ENTER)
    room.ask("wiz.own.family.ask", ENTER)
    room.ask("wiz.own.relative.name.ask", CTRL_C)
    assert room.finish() == 130
    assert _flat(messages(lang)["error.INTERRUPTED"]) in _flat(room.seen)
    assert not state.exists()
    assert not list(tmp_path.iterdir()) or all(p.suffix == ".lock" for p in tmp_path.iterdir())


def test_own_family_back_to_the_first_menu(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    room = Room(state, lang="en")
    room.ask("wiz.first.ask", DOWN * 2 + ENTER)
    room.ask("wiz.own.name.ask", ENTER)  # empty on the first question: back
    room.ask("wiz.first.ask", UP + ENTER)  # quit
    assert room.finish() == 0
    assert not state.exists()
