"""`famcov scenario check DIR --watch` on a projector: a real 80x24 pseudo-terminal.
The table is redrawn when a trainee's file changes, and Ctrl-C ends it with exit 0
(watching changes nothing, so nothing is interrupted), no traceback."""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path

import pytest
from conftest import invoke

pexpect = pytest.importorskip("pexpect")

RECEIPT = "DJ202610120001"
REPAY = ("pay", "--payer", "吴芳", "--relative", "吴桂英", "--region", "成都", "--year", "2027")


def famcov_json(*args: str) -> None:
    assert invoke(["--json", *args]).exit_code == 0, args


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_watch_redraws_when_a_trainee_works_and_ctrl_c_ends_it(tmp_path: Path, lang) -> None:
    folder = tmp_path / "class"
    famcov_json("scenario", "room", "revoke-repay", str(folder), "--trainees", "王芳,李雷")
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
    assert "0/3" in log.getvalue() and "3/3" not in log.getvalue()
    mine = str(folder / "王芳.json")
    famcov_json("--state", mine, "revoke", RECEIPT, "--reason", "other", "--yes")
    famcov_json("--state", mine, *REPAY, "--tier", "standard", "--yes")
    child.expect_exact("3/3")
    child.expect_exact("Ctrl-C")
    child.sendintr()
    child.expect_exact("已停止刷新" if lang == "zh" else "Stopped watching")
    child.expect(pexpect.EOF)
    child.close()
    seen = log.getvalue()
    assert child.exitstatus == 0, seen
    assert "Traceback" not in seen and "中断" not in seen and "nterrupted" not in seen
    from rich.cells import cell_len

    for line in seen.replace("\r", "").split("\n"):
        if "\x1b" not in line:  # the screen-clearing lines aside, nothing wider than 80
            assert cell_len(line.rstrip()) <= 80, line


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_yunnan_city_typed_wrong_gets_a_yunnan_example(tmp_path: Path, lang) -> None:
    """Own-family practice in Yunnan: an unknown city is answered with a city of Yunnan
    as the example (not 成都), and the province is asked once (no second 在哪个省份练习)."""
    from conftest import make_id

    from famcov.i18n import catalogue

    EN, ZH = catalogue("en"), catalogue("zh")

    m = EN if lang == "en" else ZH
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAMCOV_")}
    env.update(TERM="xterm", NO_COLOR="1", PROMPT_TOOLKIT_NO_CPR="1", PYTHONIOENCODING="utf-8")
    env["FAMCOV_STATE"] = str(tmp_path / "state.json")
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    log = io.StringIO()
    child = pexpect.spawn(
        sys.executable,
        ["-m", "famcov", "--today", "2026-11-24", "--lang", lang],
        env=env,
        encoding="utf-8",
        dimensions=(24, 80),
        timeout=20,
    )
    child.logfile_read = log
    child.expect_exact(m["wiz.first.ask"])
    child.send("\x1b[B\x1b[B\r")  # 用我自己的家庭练习
    child.expect_exact(m["wiz.own.name.ask"])
    child.send("杨梅\r")
    child.expect_exact(m["wiz.own.id.ask"])
    child.send(make_id("530102", "19850101", "123") + "\r")
    child.expect_exact(m["wiz.own.province.ask"])
    child.send("\r")  # 云南, from the ID's first two digits
    child.expect_exact(m["wiz.own.city.ask"].split("{")[0].strip())
    child.send("北京\r")
    child.expect_exact("昆明" if lang == "zh" else "Kunming")  # the example: a Yunnan city
    after = log.getvalue().split("北京")[-1]
    assert ("昆明" if lang == "zh" else "Kunming") in after
    assert "510100" not in after and "成都" not in after and "Chengdu" not in after
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert "Traceback" not in log.getvalue()
    assert not (tmp_path / "state.json").exists()


def _tmux(state: Path, *args: str, lang: str):
    from test_screens_pty import Screen

    return Screen(state, *args, lang=lang)


def _own_family_id_asked(state: Path, lang: str):
    """A first run in tmux, practising with one's own family, at the ID question."""
    s = _tmux(state, lang=lang)
    s.see(s.m["wiz.first.ask"])
    s.keys("Down", "Down", "Enter")  # own family
    s.see(s.m["wiz.own.name.ask"])
    s.keys("王芳", "Enter")
    s.see(s.m["wiz.own.id.ask"])
    return s


def _see_flat(s, text: str) -> str:
    """Wait until `text` is on screen, a line the terminal wrapped at 80 joined again."""
    deadline = time.monotonic() + 20
    while True:
        screen = s.text()
        if text in screen.replace("\n", ""):
            return screen
        if time.monotonic() > deadline:
            raise AssertionError(f"not on screen: {text}\n{screen}")
        time.sleep(0.1)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_own_family_id_is_hidden_as_typed_and_ctrl_r_shows_it(tmp_path: Path, lang) -> None:
    """A real ID (own-family practice) is typed in groups with its birth date hidden;
    Ctrl-R shows it to check a digit, Ctrl-R again hides it; once accepted the answer
    line shows it masked. (tmux: what is on the 80x24 screen, not the byte stream.)"""
    import shutil

    from conftest import make_id

    if shutil.which("tmux") is None:
        pytest.skip("needs tmux")
    number = make_id("510104", "19850930", "028")
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    s = _own_family_id_asked(tmp_path / "state.json", lang)
    try:
        s.see(s.m["wiz.own.id.ask"], "Ctrl-R")  # the key is named beside the question
        s.keys(wrong)
        _see_flat(s, "510104 ******** 028")  # grouped, the birth date hidden
        s.keys("C-r")
        shown = _see_flat(s, "510104 19850930 028")  # shown, to check digit by digit
        assert s.m["idreason.check_digit"][:8] in shown
        s.keys("C-r")
        _see_flat(s, "510104 ******** 028")
        s.keys("BSpace", number[-1], "Enter")
        shown = s.see(s.m["wiz.own.province.ask"])
        assert f"510104********{number[-4:]}" in shown  # the answer line: masked
        assert "19850930" not in shown
    finally:
        s.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_relatives_id_is_hidden_as_typed_and_the_review_shows_no_birth_date(
    tmp_path: Path, lang
) -> None:
    """Binding a relative: her real ID may be typed on a projector, so its birth date is
    hidden as typed (the reveal key named above the line), Ctrl-R shows it to check each
    digit; the review panel then says sex and age, never the birth date the masked ID
    hides."""
    import shutil

    from conftest import DEMO_TODAY, invoke, make_id

    if shutil.which("tmux") is None:
        pytest.skip("needs tmux")
    state = tmp_path / "state.json"
    base = ["--json", "--state", str(state), "--today", DEMO_TODAY]
    assert invoke([*base, "init", "--demo"]).exit_code == 0
    number = make_id("510104", "20100101", "001")
    s = _tmux(state, "bind", "--payer", "张伟", "--relation", "child", lang=lang)
    try:
        for _ in range(6):  # the commitment letter, a screenful at a time
            if s.m["wiz.commitment.ask"] in s.text():
                break
            s.see(s.m["wiz.ui.continue"])
            s.press("Enter")
        s.see(s.m["wiz.commitment.ask"])
        s.keys("Enter")
        s.see(s.m["wiz.bind.name.ask"])
        s.keys(number[:17])  # an ID typed into the name field by mistake: masked too
        assert "20100101" not in _see_flat(s, "510104 ******** 001")
        s.keys("C-u", "张小明", "Enter")
        s.see(s.m["wiz.bind.id.ask"], "Ctrl-R")  # the key is named beside the question
        s.keys(number[:17])
        shown = _see_flat(s, "510104 ******** 001")  # grouped, the birth date hidden
        assert "20100101" not in shown
        s.keys("C-r")
        _see_flat(s, "510104 20100101 001")  # shown, to check digit by digit
        s.keys("C-r")
        _see_flat(s, "510104 ******** 001")
        s.keys(number[-1], "Enter")
        shown = s.see(s.m["wiz.bind.review.title"])
        flat = shown.replace("\n", "")
        assert f"510104********{number[-4:]}" in flat
        assert "2010-01-01" not in flat and "20100101" not in flat
        assert s.m["wiz.bind.field.born"] in shown
        male = s.m["sex.male"]
        assert s.m["wiz.bind.born"].format(sex=male, age=16) in shown
    finally:
        s.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_policy_screen_is_paged_with_each_source_once(tmp_path: Path, lang) -> None:
    """政策 → 四川 → 2027 at 80x24: a screenful at a time (its top is on screen when the
    wizard first waits), the region's own window labelled, the source named once."""
    import shutil

    from conftest import DEMO_TODAY, invoke

    if shutil.which("tmux") is None:
        pytest.skip("needs tmux")
    state = tmp_path / "state.json"
    assert (
        invoke(["--json", "--state", str(state), "--today", DEMO_TODAY, "init", "--demo"]).exit_code
        == 0
    )
    from test_screens_pty import to_policy

    s = _tmux(state, lang=lang)
    try:
        to_policy(s)
        s.keys("Enter")  # 四川, the payer's
        s.see(s.m["wiz.policy.year"])
        s.keys("Enter")  # 2027
        first = s.see(s.m["wiz.ui.continue"])
        assert "(51)" in first  # the province's heading, not scrolled away
        screens = [first]
        for _ in range(10):
            screen = s.press("Enter")
            screens.append(screen)
            if s.m["wiz.home.ask"] in screen:
                break
        assert len(screens) >= 3  # paged: more than one screenful waited for Enter
        whole = "\n".join(screens)
        assert (
            s.m["policy.region_own"].format(names="成都市" if lang == "zh" else "Chengdu") in whole
        )
        source = "国办发〔2024〕38"
        last = next(sc for sc in reversed(screens) if source in sc)
        assert last.count(source) == 1  # the document once, its passages under it
    finally:
        s.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_wrong_check_digit_is_said_whole_at_80_columns(tmp_path: Path, lang) -> None:
    """A digit mistyped in the middle: the message under the prompt says the check digit
    does not match the first 17 digits (so any may be wrong), and all of it is on the
    80-column screen, not cut."""
    import shutil

    from conftest import DEMO_TODAY, invoke, make_id

    if shutil.which("tmux") is None:
        pytest.skip("needs tmux")
    state = tmp_path / "state.json"
    base = ["--json", "--state", str(state), "--today", DEMO_TODAY]
    assert invoke([*base, "init", "--demo"]).exit_code == 0
    number = make_id("510104", "20100101", "001")
    slip = number[:9] + ("2" if number[9] != "2" else "3") + number[10:]  # the 10th digit
    s = _tmux(state, "bind", "--payer", "张伟", "--relation", "child", lang=lang)
    try:
        for _ in range(6):  # the commitment letter, a screenful at a time
            if s.m["wiz.commitment.ask"] in s.text():
                break
            s.see(s.m["wiz.ui.continue"])
            s.press("Enter")
        s.see(s.m["wiz.commitment.ask"])
        s.keys("Enter")
        s.see(s.m["wiz.bind.name.ask"])
        s.keys("张小明", "Enter")
        s.see(s.m["wiz.bind.id.ask"])
        s.keys(slip, "Enter")
        said = s.m["wiz.invalid_id"].format(reason=s.m["idreason.check_digit"])
        shown = s.see(said)  # whole, on one line of the screen
        assert max(len(line) for line in shown.splitlines()) <= 80
    finally:
        s.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_refused_answer_is_said_whole_on_as_many_lines_as_it_needs(tmp_path: Path, lang) -> None:
    """A refusal longer than the 80-column screen wraps under the prompt between words
    (prompt_toolkit's toolbar is one row: "like 40" was the end of "like 400 or 400.50")."""
    import shutil

    from conftest import make_id

    if shutil.which("tmux") is None:
        pytest.skip("needs tmux")
    s = _own_family_id_asked(tmp_path / "state.json", lang)
    try:
        s.keys(make_id("510104", "19850930", "028"), "Enter")
        s.see(s.m["wiz.own.province.ask"])
        s.keys("Enter")  # Sichuan, the ID's
        s.see(s.m["wiz.own.city.ask"])
        s.keys("成都" if lang == "zh" else "Chengdu", "Enter")
        s.see(s.m["wiz.own.balance.ask"])
        s.keys("abc", "Enter")
        shown = s.see("400.50")
        assert "".join(s.m["amountreason.format"].split()) in "".join(shown.split())
        assert max(len(line) for line in shown.splitlines()) <= 80
        if lang == "en":  # folded between words: the example is whole on its line
            assert any(line.rstrip().endswith("400 or 400.50.") for line in shown.splitlines())
    finally:
        s.close()
