"""`famcov scenario check DIR --watch` on a projector: a real 80x24 pseudo-terminal.
The table is redrawn when a trainee's file changes, and Ctrl-C ends it with exit 0
(watching changes nothing, so nothing is interrupted), no traceback."""

from __future__ import annotations

import io
import os
import sys
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

    from famcov.i18n.en import MESSAGES as EN
    from famcov.i18n.zh import MESSAGES as ZH

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
