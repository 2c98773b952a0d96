"""Every training scenario sets up cleanly and does what its story says.

A scenario's `verify` list is the trainer's "what should happen", made
checkable: each entry runs through the same actions as the commands, on the
scenario's own date, and states the rule codes that must refuse it (or the
balance after it succeeds).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import DATA, assert_message

from famcov import policy, requests, values
from famcov.domain import goals
from famcov.domain.model import new_state
from famcov.domain.money import yuan
from famcov.domain.records import Records
from famcov.errors import FamcovError
from famcov.features import bureau, proxy_payment

SCENARIOS = sorted(p.stem for p in (DATA / "scenarios").glob("*.json"))
REQUIRED = {
    "happy-path",
    "two-parents",
    "paid-by-tax",
    "other-province",
    "low-balance",
    "revoke-repay",
}
POLICY = policy.load(DATA)


def load(name: str) -> dict:
    return json.loads((DATA / "scenarios" / f"{name}.json").read_text(encoding="utf-8"))


def test_the_required_stories_exist() -> None:
    assert set(SCENARIOS) >= REQUIRED


@pytest.mark.parametrize("name", SCENARIOS)
def test_shape_and_both_languages(name: str) -> None:
    s = load(name)
    assert {"title", "story", "today", "payers", "setup", "steps", "verify"} <= set(s)
    assert "try" not in s and "expect" not in s  # pairs only: the two lists drifted apart
    values.date(s["today"])
    steps = [text for step in s["steps"] for text in (step["try"], step["expect"])]
    for lang in ("zh", "en"):
        for item in [s["title"], s["story"], *steps]:
            assert set(item) == {"zh", "en"}
            allow = tuple(step["name"] for step in s["setup"] if "name" in step)
            assert_message(item[lang], lang, allow=allow)
    assert s["steps"] and s["verify"]
    assert all(set(step) == {"try", "expect"} for step in s["steps"])
    workers = {step["id"] for step in s["setup"] if step["op"] == "worker"}
    assert set(s["payers"]) <= workers


def test_every_scenario_file_has_steps_as_pairs_in_both_languages() -> None:
    """Also the what-if packs' scenarios: each step is a try and its outcome, zh and en."""
    files = sorted(DATA.rglob("scenarios/*.json"))
    assert len(files) > len(SCENARIOS)  # the what-if scenarios are in the list
    for path in files:
        s = json.loads(path.read_text(encoding="utf-8"))
        assert s["steps"], path
        for step in s["steps"]:
            assert set(step) == {"try", "expect"}, path
            for text in step.values():
                assert set(text) == {"zh", "en"} and all(text.values()), path


def run_verify(records: Records, today: dt.date, entry: dict) -> None:
    op = entry["op"]
    fails = set(entry.get("fails", ()))
    if op == "check":
        region = POLICY.region(entry["region"])
        request = requests.build(requests.PaymentRequest, entry, region=region)
        result = proxy_payment.check(records, POLICY, today, request)
        assert {r.code for r in result.failures} == fails, result.failures
        return
    step = {
        k: v
        for k, v in entry.items()
        if k not in ("fails", "balance_after", "in_window", "benefits_from")
    }
    if fails:
        with pytest.raises(FamcovError) as caught:
            bureau.run_setup(records, POLICY, today, [step])
        exc = caught.value
        assert ({d.code for d in exc.details} or {exc.code}) == fails
        return
    bureau.run_setup(records, POLICY, today, [step])
    payer = entry.get("payer") or entry.get("id")
    if op == "revoke":
        payer = records.payments_by_no[entry["no"]].payer
    if "balance_after" in entry:
        assert yuan(records.worker(payer).balance) == entry["balance_after"]
    if op == "pay":
        payment = records.state.payments[-1]
        if "in_window" in entry:
            assert payment.in_window is entry["in_window"]
        if "benefits_from" in entry:
            assert payment.benefits_from.isoformat() == entry["benefits_from"]


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_story_happens_and_meets_its_goals(name: str) -> None:
    s = load(name)
    today = values.date(s["today"])
    records = Records(new_state())
    bureau.run_setup(records, POLICY, today, s["setup"])
    for entry in s["verify"]:
        run_verify(records, today, entry)
    for w in records.state.workers:
        assert sum(e.amount for e in records.state.ledger if e.account == w.id) == w.balance
    # `verify` is the exercise done right: every goal of the story holds afterwards
    results = goals.grade_all(goals.parse(s["goals"]), records.state)
    assert [(r.id, r.key) for r in results if not r.passed] == []


def test_every_scenario_file_has_goals_in_both_languages() -> None:
    for path in sorted(DATA.rglob("scenarios/*.json")):
        s = json.loads(path.read_text(encoding="utf-8"))
        parsed = goals.parse(s["goals"])
        assert parsed, path
        assert len({g.id for g in parsed}) == len(parsed), path
        allow = tuple(step["name"] for step in s["setup"] if "name" in step)
        for g in parsed:
            assert_message(g.zh, "zh", allow=allow)
            assert_message(g.en, "en", allow=allow)


# -- famcov scenario list / start ----------------------------------------------------------


def test_scenario_list_json(run) -> None:
    data = run("scenario", "list").data
    assert data["ok"] is True
    assert [s["name"] for s in data["scenarios"]] == SCENARIOS
    for s in data["scenarios"]:
        assert set(s) == {"name", "title", "today"}
        values.date(s["today"])
    en = run("scenario", "list", lang="en").data["scenarios"]
    assert en[0]["title"] == load(SCENARIOS[0])["title"]["en"]


def test_scenario_list_for_people(run) -> None:
    out = run("scenario", "list", json_out=False, lang="en")
    assert out.code == 0 and "two-parents" in out.data and "Simulated date" in out.data


def test_scenario_start_gives_a_fresh_state_and_the_date_to_use(run, state) -> None:
    outcome = run("scenario", "start", "two-parents")
    assert outcome.code == 0
    data = outcome.data
    assert data["scenario"]["name"] == "two-parents"
    assert data["scenario"]["today"] == "2026-11-24"
    steps = data["scenario"]["steps"]
    assert steps and all(set(step) == {"try", "expect"} for step in steps)
    assert data["scenario"]["try"] == [step["try"] for step in steps]
    assert "--today" not in data["command"]  # the state keeps the scenario's date
    assert [w["name"] for w in data["workers"]] == ["王强", "赵敏"]
    assert all(w["id"].count("*") == 8 for w in data["workers"])
    assert run("family", "--payer", "王强").data["members"][0]["relative"]["name"] == "王小明"


def test_scenario_start_refuses_to_replace_without_force(run, refused, state) -> None:
    run("scenario", "start", "happy-path")
    refused("scenario", "start", "two-parents", code="STATE_EXISTS", exit=3)
    assert run("scenario", "start", "two-parents", "--force").code == 0
    assert run("account", "--payer", "赵敏").data["balance"] == "980.00"


def test_an_unknown_scenario(refused) -> None:
    for name in ("nope", "../demo", "Happy-Path", "demo"):
        data = refused("scenario", "start", name, code="UNKNOWN_SCENARIO", exit=2)
        assert_message(data["error"]["message"])
    refused("scenario", "start", code="MISSING_OPTION", exit=2)


def test_a_scenario_in_english(run) -> None:
    data = run("scenario", "start", "paid-by-tax", lang="en").data
    allow = ("李娟", "李国华")
    assert_message(data["scenario"]["story"], "en", allow=allow)
    for line in [text for step in data["scenario"]["steps"] for text in step.values()]:
        assert_message(line, "en", allow=allow)


# -- the scenario's date, kept in the state ------------------------------------------------


def test_the_scenario_date_is_kept_until_today_overrides_it_or_the_scenario_ends(
    run, state
) -> None:
    assert run("scenario", "start", "revoke-repay", today=None).code == 0
    raw = json.loads(state.read_text(encoding="utf-8"))
    assert raw["scenario"] == {"name": "revoke-repay", "today": "2026-11-24"}
    # no --today: the revocation and the new payment happen on the scenario's date
    run("revoke", "DJ202610120001", "--reason", "other", today=None)
    pay = ("pay", "--payer", "吴芳", "--relative", "吴桂英", "--region", "成都", "--year", "2027")
    receipt = run(*pay, "--tier", "standard", today=None).data["receipt"]
    assert receipt["paid_at"] == "2026-11-24"
    # --today (or FAMCOV_TODAY) wins over it
    later = run("revoke", receipt["no"], "--reason", "other", today="2026-12-01").data
    assert later["ok"] is True
    listed = run("payments", today=None, env={"FAMCOV_TODAY": "2026-12-02"}).data["payments"]
    assert [p["status"] for p in listed] == ["revoked", "revoked"]
    ended = run("scenario", "end", today=None).data
    assert ended == {"ok": True, "ended": "revoke-repay", "today": ended["today"]}
    assert "scenario" not in json.loads(state.read_text(encoding="utf-8"))
    assert run("doctor", today=None).code == 0


def test_scenario_end_without_a_scenario_changes_nothing(run, demo, unchanged) -> None:
    with unchanged(demo):
        data = run("scenario", "end").data
    assert data["ended"] is None
    text = run("scenario", "end", json_out=False, lang="en").data
    assert_message(text, "en")


def test_init_and_another_scenario_replace_the_mark(run, state) -> None:
    run("scenario", "start", "revoke-repay", today=None)
    run("scenario", "start", "late-payment", "--force", today=None)
    assert json.loads(state.read_text(encoding="utf-8"))["scenario"]["name"] == "late-payment"
    assert run("scenario", "end", today=None).data["ended"] == "late-payment"
    run("scenario", "start", "revoke-repay", "--force", today=None)
    run("init", "--demo", "--force", today=None)
    assert "scenario" not in json.loads(state.read_text(encoding="utf-8"))


def test_the_mark_is_found_wherever_a_hand_written_file_puts_it(run, state) -> None:
    """famcov writes the mark at the end; a file edited by hand may have it first."""
    run("scenario", "start", "revoke-repay", today=None)
    raw = json.loads(state.read_text(encoding="utf-8"))
    raw.pop("seal")
    reordered = {"scenario": raw.pop("scenario"), **raw}
    state.write_text(json.dumps(reordered, ensure_ascii=False, indent=1), encoding="utf-8")
    ledger = run("account", "--payer", "吴芳", today=None).data["ledger"]
    assert ledger[-1]["date"] == "2026-10-12"
    pay = ("pay", "--payer", "吴芳", "--relative", "吴桂英", "--region", "成都", "--year", "2027")
    refused = run(*pay, "--tier", "standard", today=None).data
    assert refused["error"]["code"] == "ALREADY_PAID"
    revoked = run("revoke", "DJ202610120001", "--reason", "other", today=None).data
    assert revoked["ok"] is True
    paid = run(*pay, "--tier", "standard", today=None).data["receipt"]
    assert paid["paid_at"] == "2026-11-24"


def test_a_setup_step_reads_only_what_its_use_case_takes() -> None:
    """A key a step's request has no field for is not read (an employee has no region
    or year); a step lacking what its use case needs is named, not an internal error."""
    records, today = Records(new_state()), dt.date(2026, 11, 20)
    person = "510104199003078519"
    employee = {"op": "employee", "id": person, "name": "李四", "region": "bogus", "year": "x"}
    bureau.run_setup(records, POLICY, today, [employee])
    assert records.holds_employee_insurance(person)
    for lacking in (
        {"op": "paid-elsewhere", "id": person, "channel": "tax"},
        {"op": "enrol", "id": person, "name": "李四", "region": "510100"},
    ):
        with pytest.raises(FamcovError) as caught:
            bureau.run_setup(records, POLICY, today, [lacking])
        assert caught.value.code == "BAD_POLICY"
        assert "year" in str(caught.value.params["problem"])
