"""The `--json` contract on one page: every object a command prints for a script.

`famcov <command> --json` prints exactly one JSON object: `{"ok": true, ...}`
with the keys one function below returns (named after the command's view in
famcov/render.py), or `{"ok": false, "error": {...}}` (render.error). The shapes
of the things inside — a person, a region, a binding, a receipt, a ledger entry,
a province's policy — are defined once here and shared by every command. Scripts
and training handouts depend on these names: change them only with a note in the
README. Resident IDs are masked here and again in the text (render.json_text).
"""

from __future__ import annotations

from typing import Any

from famcov.domain.ids import mask
from famcov.domain.money import yuan
from famcov.domain.rules import illustrative_read
from famcov.i18n import Msg, lang, t


def text(value: Any) -> str:
    """A Msg, a bilingual policy text or a plain value, as a string in the current language."""
    if isinstance(value, Msg):
        return str(value)
    if hasattr(value, "zh") and hasattr(value, "en"):
        return value.en if lang() == "en" else value.zh
    return str(value)


# -- a refusal ------------------------------------------------------------------------

# Refusals of a payment: their help also warns against paying the same premium again
# through another channel (a duplicate payment).
_PAYMENT_REFUSALS = frozenset(
    {"VALIDATION_FAILED", "ALREADY_PAID", "PAID_ELSEWHERE", "INSUFFICIENT_BALANCE"}
    | {"YEAR_NOT_OPEN", "NOT_ENROLLED", "UNKNOWN_TIER", "WAITING_PAST_YEAR", "CROSS_PROVINCE"}
    | {"RELATIVE_HAS_EMPLOYEE_INSURANCE", "PAYER_INACTIVE"}
)


def help_key(exc) -> str | None:
    """Where to ask for help after a failed operation (12393), or None: not for a usage
    error, a state file or a file that could not be written."""
    from famcov.errors import EXIT_CODES, REFUSED

    if EXIT_CODES.get(exc.code) != REFUSED or exc.code == "EXPORT_FAILED":
        return None
    if exc.code in _PAYMENT_REFUSALS and exc.message_key in (
        f"error.{exc.code}",
        f"rule.{exc.code}.failed",
        "error.VALIDATION_FAILED",
    ):
        return "channel.help.pay"
    return "channel.help"


def error(exc) -> dict[str, Any]:
    """`{"ok": false, "error": …}`: the code, one sentence, one entry per failed rule,
    and for a failed operation where to ask for help."""
    from famcov.domain.ids import scrub

    details = [d for d in exc.details if d is not exc]
    payload: dict[str, Any] = {
        "code": exc.code,
        "message": scrub(t(exc.message_key, **exc.params)),
        "details": [
            {
                "code": d.code,
                "message": scrub(t(d.message_key, **d.params)),
                **({"line": d.params["line"]} if "line" in d.params else {}),
            }
            for d in details
        ],
    }
    key = help_key(exc)
    if key is not None:
        payload["help"] = t(key)
    return payload


# -- the shapes inside ----------------------------------------------------------------


def person(person_id: str, name: str) -> dict[str, str]:
    return {"id": mask(person_id), "name": name}


def region_json(policy, code: str) -> dict[str, str]:
    region = policy.region(code)
    return {"code": code, "name": text(region.name) if region else code}


def worker_json(s, worker) -> dict[str, Any]:
    return {
        **person(worker.id, worker.name),
        "region": region_json(s.policy, worker.region),
        "status": worker.status,
        "balance": yuan(worker.balance),
    }


def binding_json(b) -> dict[str, Any]:
    return {
        "payer": {"id": mask(b.payer)},
        "relative": person(b.relative, b.name),
        "relation": b.relation,
        "proof": b.proof,
        "bound_on": b.bound_on.isoformat(),
        "unbound_on": b.unbound_on.isoformat() if b.unbound_on else None,
        "active": b.active,
        "temporary": b.temporary,
        "member": b.member,
        "verified_on": b.verified_on.isoformat() if b.verified_on else None,
    }


def rule_json(r) -> dict[str, Any]:
    return {"code": r.code, "passed": r.passed, "status": r.status, "message": str(r.message)}


def tier_json(tier) -> dict[str, Any]:
    return {
        "id": tier.id,
        "name": text(tier.name),
        "amount": yuan(tier.fen),
        "illustrative": tier.illustrative,
    }


def receipt_json(s, p) -> dict[str, Any]:
    from famcov.actions import receipt_notes

    year_policy = s.policy.year_policy(p.region, p.year)
    tier = next((x for x in year_policy.tiers if x.id == p.tier), None) if year_policy else None
    return {
        "kind": "proxy",
        "no": p.no,
        "status": p.status,
        "payer": person(p.payer, p.payer_name),
        "relative": person(p.relative, p.relative_name),
        "relation": p.relation,
        "region": region_json(s.policy, p.region),
        "year": p.year,
        "insurance": t("insurance.resident-basic"),
        "tier": p.tier,
        "tier_name": text(tier.name) if tier else p.tier,
        "amount": yuan(p.amount),
        "balance_before": yuan(p.balance_before),
        "balance_after": yuan(p.balance_after),
        "paid_at": p.paid_on.isoformat(),
        "in_window": p.in_window,
        "benefits_from": p.benefits_from.isoformat(),
        "illustrative": p.illustrative,
        "revoked_at": p.revoked_on.isoformat() if p.revoked_on else None,
        "revoke_reason": p.revoke_reason,
        "notes": [str(n) for n in receipt_notes(p, s.policy)],
    }


def tax_entry_json(s, entry) -> dict[str, Any]:
    """A premium a worker paid for a relative through the tax channel (famcov.lookup):
    no number of famcov's; `return_no` once Hubei has returned it."""
    paid = entry.record
    return {
        "kind": "tax",
        "no": None,
        "status": "returned" if paid.return_no else "paid",
        # who paid: the worker who ticked 是否代缴, or the relative in their own name
        "payer": person(paid.payer or paid.id, entry.payer_name),
        "relative": person(paid.id, entry.relative_name),
        "channel": paid.channel,
        "region": region_json(s.policy, paid.region) if paid.region else None,
        "year": paid.year,
        "tier": paid.tier,
        "amount": yuan(paid.amount) if paid.amount is not None else None,
        "paid_at": paid.recorded_on.isoformat(),
        "return_no": paid.return_no,
    }


def return_receipt_json(s, r) -> dict[str, Any]:
    """A return (先缴后返, FH…) found again (famcov.lookup.Return): what its receipt said."""
    paid = r.paid
    return {
        "kind": "return",
        "no": r.no,
        "status": "returned",
        "payer": person(r.payer, r.payer_name),
        "relative": person(r.relative, r.relative_name),
        "region": region_json(s.policy, paid.region) if paid.region else None,
        "year": paid.year,
        "tier": paid.tier,
        "amount": yuan(r.amount),
        "balance_before": yuan(r.balance_before),
        "balance_after": yuan(r.balance_after),
        "paid_at": r.returned_on.isoformat(),
        "returned_at": r.returned_on.isoformat(),
        "paid": {"channel": paid.channel, "recorded_on": paid.recorded_on.isoformat()},
        "notes": [t("return.note.no_second_payment", year=paid.year)],
    }


def record_json(s, entry) -> dict[str, Any]:
    """One line of 代缴信息查询 (famcov.lookup.Entry), by its kind."""
    if entry.kind == "proxy":
        return receipt_json(s, entry.record)
    if entry.kind == "return":
        return return_receipt_json(s, entry.record)
    return tax_entry_json(s, entry)


def any_receipt_json(s, found) -> dict[str, Any]:
    """`famcov receipt NO`: a proxy payment's receipt or a return's."""
    from famcov.lookup import Return

    return return_receipt_json(s, found) if isinstance(found, Return) else receipt_json(s, found)


def paid_by_tax_json(s, record) -> dict[str, Any]:
    return {
        "id": mask(record.id),
        "year": record.year,
        "channel": record.channel,
        "recorded_on": record.recorded_on.isoformat(),
        "payer": mask(record.payer) if record.payer else None,
        "region": region_json(s.policy, record.region) if record.region else None,
        "tier": record.tier,
        "amount": yuan(record.amount) if record.amount is not None else None,
        "return_no": record.return_no,
    }


def return_json(s, r) -> dict[str, Any]:
    return {
        "no": r.no,
        "payer": person(r.payer.id, r.payer.name),
        "relative": person(r.relative, r.relative_name),
        "year": r.year,
        "amount": yuan(r.amount),
        "balance_before": yuan(r.balance_before),
        "balance_after": yuan(r.balance_after),
        "returned_on": r.returned_on.isoformat(),
        "paid": {
            "channel": r.paid.channel,
            "recorded_on": r.paid.recorded_on.isoformat(),
            "region": region_json(s.policy, r.paid.region) if r.paid.region else None,
            "tier": r.paid.tier,
        },
        "channel": r.channel.id if r.channel is not None else None,
        "notes": [str(n) for n in r.notes],
    }


def ledger_json(e) -> dict[str, Any]:
    entry = {
        "seq": e.seq,
        "date": e.on.isoformat(),
        "kind": e.kind,
        "amount": yuan(e.amount),
        "ref": e.ref,
    }
    if e.quota or e.relative:  # a cross-province quota entry (the 2026 what-if)
        entry["quota"] = yuan(e.quota)
        entry["relative"] = {"id": mask(e.relative)} if e.relative else None
    return entry


def sourced_json(value) -> dict[str, Any]:
    shown = {"source": value.source, "illustrative": value.illustrative}
    if getattr(value, "says", None):  # the sources disagree: what each says
        shown["says"] = [text(said) for said in value.says]
    return shown


def rules_json(p) -> dict[str, Any]:
    def one(value) -> dict[str, Any]:
        return {"value": value.value, **sourced_json(value)}

    return {
        "revoke_in_window_only": one(p.revoke_in_window_only),
        "revocation": {k: one(getattr(p.revocation, k)) for k in p.revocation.__struct_fields__},
        "waiting": {k: one(getattr(p.waiting, k)) for k in p.waiting.__struct_fields__},
        "members": {k: one(getattr(p.members, k)) for k in p.members.__struct_fields__},
    }


def channel_json(c) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": text(c.name),
        "kind": c.kind,
        "funds": c.funds,
        "method": text(c.method) if c.method is not None else None,
        "asks": {
            "commitment": c.asks.commitment,
            "relation_proof": c.asks.relation_proof,
            "face": c.asks.face,
        },
        "offers": list(c.offers),
        "steps": [
            {
                "action": step.action,
                "app": text(step.app) if step.app else None,
                "path": [text(x) for x in step.path],
                "words": text(step.words) if step.words else None,
            }
            for step in c.steps
        ],
        "bring": [text(b) for b in c.bring],
        "help": text(c.help) if c.help else None,
        "source": c.source,
        "illustrative": c.illustrative,
    }


def province_json(p, year: int | None, policy=None) -> dict[str, Any]:
    return {
        "channels": [channel_json(c) for c in policy.channels(p)] if policy else [],
        "code": p.code,
        "name": text(p.name),
        "scope": p.scope.value,
        "relations": list(p.relations.value),
        "proof_required": p.proof_required.value,
        "revoke_in_window_only": p.revoke_in_window_only.value,
        "sources": {
            "scope": sourced_json(p.scope),
            "relations": sourced_json(p.relations),
            "proof_required": sourced_json(p.proof_required),
            "regions": {"source": p.regions_source, "illustrative": False},
        },
        "rules": rules_json(p),
        "what_if": text(p.what_if) if p.what_if else None,
        "regions": [{"code": r.code, "name": text(r.name)} for r in p.regions],
        "years": [
            {
                "year": y.year,
                "window": {
                    "start": y.window.start.isoformat(),
                    "end": y.window.end.isoformat(),
                    **sourced_json(y.window),
                },
                "region_windows": [
                    {
                        "regions": rw.regions,
                        "start": rw.start.isoformat(),
                        "end": rw.end.isoformat(),
                        **sourced_json(rw),
                    }
                    for rw in y.region_windows
                ],
                "open": {
                    "start": y.open.start.isoformat(),
                    "end": y.open.end.isoformat(),
                    **sourced_json(y.open),
                },
                "waiting_months": y.waiting_months.value,
                "waiting_source": sourced_json(y.waiting_months),
                "tiers": [
                    {**tier_json(tier), "regions": tier.regions, "source": tier.source}
                    for tier in y.tiers
                ],
            }
            for y in p.years
            if year is None or y.year == year
        ],
    }


# -- one object per command -----------------------------------------------------------


def enrolled(s, result) -> dict[str, Any]:
    if not hasattr(result, "year"):
        return {"employee": person(result.id, result.name)}
    return {
        "enrolment": {
            **person(result.id, result.name),
            "region": region_json(s.policy, result.region),
            "year": result.year,
        }
    }


def initialised(s, records, *, demo: dict[str, Any] | None) -> dict[str, Any]:
    state = records.state
    counts = {
        "workers": len(state.workers),
        "enrolments": len(state.enrolments),
        "bindings": len(state.bindings),
        "payments": len(state.payments),
    }
    payers = [person(w.id, w.name) for w in state.workers]
    return {
        "state": str(s.state_path),
        "demo": demo is not None,
        "counts": counts,
        "workers": payers,
    }


def worker_added(s, worker) -> dict[str, Any]:
    return {"worker": worker_json(s, worker)}


def paid_elsewhere(s, record) -> dict[str, Any]:
    return {
        "paid_elsewhere": {
            "id": mask(record.id),
            "year": record.year,
            "channel": record.channel,
            "recorded_on": record.recorded_on.isoformat(),
        }
    }


def claimed(s, claim) -> dict[str, Any]:
    return {"claim": {"id": mask(claim.id), "year": claim.year, "on": claim.on.isoformat()}}


def credited(s, worker, entry) -> dict[str, Any]:
    return {
        "account": person(worker.id, worker.name),
        "amount": yuan(entry.amount),
        "balance": yuan(worker.balance),
        "entry": ledger_json(entry),
    }


def imported(s, added: dict[str, int]) -> dict[str, Any]:
    return {"added": added, "total": sum(added.values())}


def bound(s, result) -> dict[str, Any]:
    b = result.binding
    notes = [str(n) for n in result.notes]
    return {
        "binding": {**binding_json(b), "payer": person(result.payer.id, result.payer.name)},
        "notes": notes,
    }


def unbound(s, b, *, released: int = 0) -> dict[str, Any]:
    return {"binding": binding_json(b), "released_quota": yuan(released)}


def family(s, records, result) -> dict[str, Any]:
    return {
        "payer": person(result.payer.id, result.payer.name),
        "members": [binding_json(b) for b in result.members],
        "history": [binding_json(b) for b in result.history],
    }


def verified(s, b) -> dict[str, Any]:
    return {"binding": binding_json(b)}


def checked(s, result) -> dict[str, Any]:
    case = result.case
    return {
        "passed": result.passed,
        "payer": person(case.payer.id, case.payer.name),
        "relative": {"id": mask(case.relative)},
        "region": region_json(s.policy, case.region.code),
        "year": case.year,
        "tiers": [tier_json(tier) for tier in case.tiers],
        "rules": [rule_json(r) for r in result.rules],
        "notes": [str(n) for n in illustrative_read(case)],
    }


def receipt(s, p, *, fresh: bool) -> dict[str, Any]:
    data = any_receipt_json(s, p)
    return {"receipt": data}


def receipt_exported(s, data: dict[str, Any], file) -> dict[str, Any]:
    return {"receipt": data, "export": {"path": str(file), "format": file.suffix.lower()[1:]}}


def payments(s, found, *, hint: bool = True) -> dict[str, Any]:
    """Proxy payments, tax-channel payments and returns (famcov.lookup.Entry), by kind."""
    return {"payments": [record_json(s, e) for e in found]}


def revoked(s, p, worker) -> dict[str, Any]:
    notes = [
        t("revoke.no_repay", year=p.year),
        t("note.revoke_refund"),
        t("note.revoke_unseen"),
    ]
    return {
        "receipt": receipt_json(s, p),
        "refund": yuan(p.amount),
        "balance": yuan(worker.balance),
        "notes": notes,
    }


def paid_by_tax(s, record, name: str, notes) -> dict[str, Any]:
    """A premium paid through the tax channel (是否代缴), with its notes."""
    lines = [str(n) for n in notes]
    return {"paid_elsewhere": {**paid_by_tax_json(s, record), "name": name}, "notes": lines}


def returned(s, r) -> dict[str, Any]:
    """先缴后返: a return applied for."""
    data = return_json(s, r)
    return {"return": data}


def quota(s, result) -> dict[str, Any]:
    """跨省共济额度: a quota reserved or released."""
    b, e = result.binding, result.entry
    return {
        "entry": ledger_json(e),
        "relative": person(b.relative, b.name),
        "quota": yuan(result.quota),
        "balance": yuan(result.payer.balance),
        "spendable": yuan(result.spendable),
    }


def moved(s, worker) -> dict[str, Any]:
    return {"worker": worker_json(s, worker)}


def account(s, result) -> dict[str, Any]:
    w = result.worker
    running, entries = 0, []
    for e in result.entries:
        running += e.amount
        entries.append({**ledger_json(e), "balance_after": yuan(running)})
    reserved = sum(e.quota for e in result.entries)
    return {
        "payer": worker_json(s, w),
        "balance": yuan(w.balance),
        "reserved": yuan(reserved),
        "spendable": yuan(w.balance - reserved),
        "ledger": entries,
    }


def policy(s, provinces, year: int | None, out=None) -> dict[str, Any]:
    return {"provinces": [province_json(p, year, s.policy) for p in provinces]}


# -- training: scenarios, grading, handouts ------------------------------------------


def scenario_summary(name: str, scenario: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "title": text_from(scenario["title"]), "today": scenario["today"]}


def text_from(value: dict[str, str]) -> str:
    """A scenario's bilingual text ({"zh", "en"}) in the current language."""
    return value.get(lang(), value.get("zh", ""))


def scenario_list(found: list[dict[str, Any]]) -> dict[str, Any]:
    return {"scenarios": found}


def scenario_ended(name: str | None, today: str) -> dict[str, Any]:
    return {"ended": name, "today": today}


def scenario_started(
    session, name: str, scenario: dict[str, Any], records, steps: list, command: str
) -> dict[str, Any]:
    workers = [{**person(w.id, w.name), "balance": yuan(w.balance)} for w in records.state.workers]
    return {
        "scenario": {
            **scenario_summary(name, scenario),
            "story": text_from(scenario["story"]),
            "steps": steps,
            # the older shape, kept for scripts that read it: the same pairs, split
            "try": [step["try"] for step in steps],
            "expect": [step["expect"] for step in steps],
        },
        "state": str(session.state_path),
        "workers": workers,
        "command": command,
    }


def scenario_brief(data: dict[str, Any]) -> dict[str, Any]:
    return {"scenario": data}


def graded_file(g, message) -> dict[str, Any]:
    """One state file graded against its scenario's goals (famcov.grading.Graded);
    `message(result)` is a goal's finding in words."""
    from famcov.domain.text import shown

    data: dict[str, Any] = {
        "path": shown(g.path),
        "trainee": g.trainee,
        "scenario": g.scenario,
        "passed": g.passed,
        "goals": [
            {
                "id": r.id,
                "passed": r.passed,
                "message": message(r),
                "goal": shown(g.texts.get(r.id, "")),
            }
            for r in g.results
        ],
    }
    if g.problem is not None:
        data["problem"] = shown(g.problem)
    return data


def graded(graded_files: list, message, *, many: bool) -> dict[str, Any]:
    """`scenario check`: one file's goals at the top level, or several under "files"."""
    passed = all(g.passed for g in graded_files)
    if many:
        return {"passed": passed, "files": [graded_file(g, message) for g in graded_files]}
    return {"passed": passed, **graded_file(graded_files[0], message)}


def room(name: str, folder, seats: list, check: str) -> dict[str, Any]:
    """`scenario room`: the class as written, each trainee with the file and the command."""
    from famcov.domain.text import shown

    return {
        "room": {
            "scenario": name,
            "folder": shown(folder),
            "trainees": [
                {"name": s.trainee, "path": shown(s.path), "command": shown(s.command)}
                for s in seats
            ],
            "check": shown(check),
        }
    }


def handout(name: str, fmt: str, *, text: str | None = None, path: str | None = None):
    data: dict[str, Any] = {"name": name, "format": fmt}
    data.update({"text": text} if path is None else {"path": path})
    return {"handout": data}


def doctor(report) -> dict[str, Any]:
    """`famcov doctor --json` (famcov.doctor.Report): "ok" is the file's health."""
    from famcov.domain.model import SCHEMA

    data: dict[str, Any] = {
        "ok": report.ok,
        "path": str(report.path),
        "schema": {"found": report.schema, "current": SCHEMA},
        "counts": report.counts,
        "problems": [p.as_json() for p in report.problems],
        "notes": [n.as_json() for n in report.notes],
    }
    if not report.ok:
        data["error"] = {
            "code": report.error_code,
            "message": t("doctor.verdict.problems", count=len(report.problems)),
            "details": [p.as_json() for p in report.problems],
        }
    return data
