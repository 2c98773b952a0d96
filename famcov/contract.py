"""The `--json` contract on one page: every object a command prints for a script.

`famcov <command> --json` prints exactly one JSON object: `{"ok": true, ...}`
with the keys one function below returns (named after the command's view in
famcov/features/), or `{"ok": false, "error": {...}}` (render.error). The shapes
of the things inside — a person, a region, a binding, a receipt, a ledger entry,
a province's policy — are defined once here and shared by every command. Scripts
and training handouts depend on these names: change them only with a note in the
README. Resident IDs are masked here and again in the text (render.json_text).
"""

from __future__ import annotations

from typing import Any

from famcov.domain.ids import mask
from famcov.domain.money import yuan
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


# -- one object per command -----------------------------------------------------------


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
