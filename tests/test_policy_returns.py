"""`famcov policy` shows 先缴后返 (Hubei's return rules) for every province that offers
returns: the wait after paying before applying, the years that can be applied for and
that the balance must be greater than the amount, each with its source or marked 示意,
in the text view (whole at 80 columns) and in the JSON (a `returns` field)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DATA, DEMO_TODAY, invoke, sichuan_pack

GUIDE = "https://pc.macheng.com.cn/p/29222.html"  # the Hubei guide the pack cites
RETURN_VALUES = {"wait_days", "years_ahead", "to_bank", "reapply", "balance_above_premium"}

# as of DEMO_TODAY (2026-11-24): the current year and the next can be applied for
LINES = {
    "zh": [
        "先缴后返（亲属先通过税务渠道缴费，职工再申请从个人账户返还）：",
        "    缴费 5 天后方可申请返还 [有来源][2]",
        "    只能申请当年和次年（目前为 2026、2027 年度） [有来源][2]",
        "    个人账户余额须大于返还金额（相等不可） [有来源][2]",
    ],
    "en": [
        "Pay first, then return (the relative's premium is paid through the tax",
        "  channel, then the worker applies to have it paid out of the personal account):",
        "    Apply 5 days after paying [sourced][2]",
        "    The current and next year only (now 2026 and 2027) [sourced][2]",
        "    The balance must be greater than the amount, not just equal [sourced][2]",
    ],
}


def hubei_pack() -> dict:
    return json.loads((DATA / "policies" / "hubei.json").read_text(encoding="utf-8"))


def shown_at_80(run, *args: str, lang: str, env: dict | None = None) -> list[str]:
    """The text view at 80 columns, its lines without the padding rich adds."""
    outcome = run(*args, json_out=False, lang=lang, env={"COLUMNS": "80", **(env or {})})
    assert outcome.code == 0, outcome
    return [line.rstrip() for line in outcome.data.splitlines()]


def assert_fits_80(lines: list[str]) -> None:
    from rich.cells import cell_len

    for line in lines:
        assert cell_len(line) <= 80, line
        assert "…" not in line, line


# -- JSON ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_policy_json_gives_hubeis_return_rules_with_their_sources(ok, lang: str) -> None:
    (hubei,) = ok("policy", "--province", "湖北", lang=lang)["provinces"]
    returns = hubei["returns"]
    assert set(returns) == RETURN_VALUES
    assert returns["wait_days"]["value"] == 5
    assert returns["years_ahead"]["value"] == 1
    assert returns["balance_above_premium"]["value"] is True
    assert returns["to_bank"]["value"] is True and returns["reapply"]["value"] is True
    for name, value in returns.items():
        assert value["illustrative"] is False, name
        assert GUIDE in value["source"], name
    assert "5天后" in returns["wait_days"]["source"]  # the passage that says so
    # the fields that were there before are still there, under their names
    assert {"rules", "sources", "channels", "years", "revoke_in_window_only"} <= set(hubei)
    assert set(hubei["rules"]) == {"revoke_in_window_only", "revocation", "waiting", "members"}


def test_only_a_province_that_offers_returns_has_them(ok) -> None:
    provinces = ok("policy")["provinces"]
    for p in provinces:
        assert "returns" in p, p["code"]  # the field is always there: null without returns
        offers = any(c["funds"] == "pay-then-return" for c in p["channels"])
        assert (p["returns"] is not None) == offers, p["code"]
    assert [p["code"] for p in provinces if p["returns"] is not None] == ["42"]


def test_an_illustrative_return_value_says_so(ok, run, policy_dir) -> None:
    pack = hubei_pack()
    pack["returns"]["wait_days"] = {"value": 7, "source": None, "illustrative": True}
    env = policy_dir(hubei=pack)
    (hubei,) = ok("policy", "--province", "湖北", env=env)["provinces"]
    assert hubei["returns"]["wait_days"] == {"value": 7, "source": None, "illustrative": True}
    zh = shown_at_80(run, "policy", "--province", "湖北", lang="zh", env=env)
    assert "    缴费 7 天后方可申请返还 [示意]" in zh
    assert "* 示意值：没有公开来源确认，以当地医保部门公布为准。" in zh
    en = shown_at_80(run, "policy", "--province", "湖北", lang="en", env=env)
    assert "    Apply 7 days after paying [illustrative]" in en


def test_any_province_whose_channels_return_shows_its_values(ok, run, policy_dir) -> None:
    """Sichuan given the pay-then-return channel and no `returns` block: the pack's
    defaults, all 示意 (no wait, this year and the next, an equal balance is enough)."""
    pack = sichuan_pack()
    pack["channels"] = [*pack["channels"], "hubei-return"]
    pack.pop("returns", None)
    pack.pop("balance_above_premium", None)
    env = policy_dir(sichuan=pack)
    (sichuan,) = ok("policy", "--province", "四川", env=env)["provinces"]
    returns = sichuan["returns"]
    assert returns["wait_days"] == {"value": 0, "source": None, "illustrative": True}
    assert returns["balance_above_premium"] == {
        "value": False,
        "source": None,
        "illustrative": True,
    }
    zh = shown_at_80(run, "policy", "--province", "四川", lang="zh", env=env)
    assert "    缴费后即可申请返还 [示意]" in zh
    assert "    只能申请当年和次年（目前为 2026、2027 年度） [示意]" in zh
    assert "    个人账户余额不少于返还金额即可 [示意]" in zh
    assert_fits_80(zh)


# -- text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_policy_text_shows_the_return_rules_whole_at_80_columns(run, lang: str) -> None:
    lines = shown_at_80(run, "policy", "--province", "湖北", lang=lang)
    assert_fits_80(lines)
    start = lines.index(LINES[lang][0])
    assert lines[start : start + len(LINES[lang])] == LINES[lang], "\n".join(lines)
    # the guide is cited once, as [2], with the passages the values come from
    (cited,) = [line for line in lines if line.startswith("[2] ")]
    assert cited.startswith("[2] 湖北医疗保障操作指南")
    flat = "".join(line.strip() for line in lines)
    assert flat.count(GUIDE) == 1
    for passage in ("5天后由共济授权人再申请返还", "2025年和2026年", "余额要大于申请返还"):
        assert passage in flat


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_province_without_returns_shows_none(run, lang: str) -> None:
    lines = shown_at_80(run, "policy", "--province", "四川", lang=lang)
    assert LINES[lang][0] not in lines
    assert not any("29222" in line for line in lines)


def test_the_return_years_follow_today(run) -> None:
    outcome = run("policy", "--province", "湖北", json_out=False, today="2027-03-01")
    assert "只能申请当年和次年（目前为 2027、2028 年度） [有来源][2]" in outcome.data


# -- the wizard's 政策 → 湖北 -------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_wizard_policy_screen_of_hubei_shows_the_return_rules(tmp_path: Path, lang) -> None:
    import shutil

    if shutil.which("tmux") is None:
        pytest.skip("needs tmux")
    from test_screens_pty import Screen, to_policy

    state = tmp_path / "state.json"
    init = ["--json", "--state", str(state), "--today", DEMO_TODAY, "init", "--demo"]
    assert invoke(init).exit_code == 0
    s = Screen(state, lang=lang)
    try:
        to_policy(s)
        # the payer's 四川 is chosen; 湖北 is three above it (the packs in file order)
        s.keys("Up", "Up", "Up", "Enter")
        s.see(s.m["wiz.policy.year"])
        s.keys("Enter")
        screens = [s.see(s.m["wiz.ui.continue"])]
        assert "(42)" in screens[0]
        for _ in range(10):
            if s.m["wiz.home.ask"] in screens[-1]:
                break
            screens.append(s.press("Enter"))
        shown = [line.rstrip() for screen in screens for line in screen.splitlines()]
        assert_fits_80([line for line in shown if s.m["wiz.ui.continue"] not in line])
        for line in LINES[lang]:
            assert line in shown, "\n".join(shown)
    finally:
        s.close()
