"""Ready-made states: the demo family (data/demo.json) and the training scenarios
(data/scenarios/*.json). Both are a story plus setup steps that bureau.run_setup
replays through the same use cases a person or a script would use."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

from famcov import datafiles, values
from famcov.domain.text import clipped
from famcov.errors import FamcovError
from famcov.features import bureau

NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")


def folder() -> Path:
    from famcov.policy import data_dir

    return data_dir() / "scenarios"


def what_if_folder() -> Path | None:
    """The scenarios of the what-if packs in use (FAMCOV_WHAT_IF), if any."""
    from famcov.policy import what_if, what_if_dir

    name = what_if()
    return what_if_dir(name) / "scenarios" if name else None


def names() -> list[str]:
    """The scenarios on offer, by file name (with a what-if's own, when one is in use)."""
    found = {p.stem for p in folder().glob("*.json") if NAME.match(p.stem)}
    extra = what_if_folder()
    if extra is not None:
        found |= {p.stem for p in extra.glob("*.json") if NAME.match(p.stem)}
    return sorted(found)


def load(name: str) -> dict[str, Any]:
    """`demo` or a scenario name -> its story and setup steps; UNKNOWN_SCENARIO otherwise."""
    from famcov.policy import data_dir

    wanted = str(name).strip()
    if not NAME.match(wanted):
        raise FamcovError("UNKNOWN_SCENARIO", {"value": clipped(wanted, 40)})
    path = data_dir() / "demo.json" if wanted == "demo" else folder() / f"{wanted}.json"
    extra = what_if_folder()
    if wanted != "demo" and not path.exists() and extra is not None:
        path = extra / f"{wanted}.json"
    if not os.path.lexists(path):
        raise FamcovError("UNKNOWN_SCENARIO", {"value": wanted})
    return _people_text_masked(datafiles.load_object(path, code="BAD_SCENARIO")[1])


# What a scenario file holds for the records (IDs included, as the state holds them);
# everything else is text a person reads: a title, a story, steps and answers.
_RECORD_KEYS = ("setup", "payers", "today", "verify")


def _people_text_masked(scenario: dict[str, Any]) -> dict[str, Any]:
    """`scenario` with every resident ID in its readable text masked (in any form, by
    the one masking function): a story that names a person's ID prints it masked in
    `scenario show`, a handout and the wizard alike."""
    from famcov.domain.text import mask_ids

    def masked(value: Any) -> Any:
        if isinstance(value, str):
            return mask_ids(value)
        if isinstance(value, dict):  # a goal's check names records, as setup does
            return {k: v if k == "check" else masked(v) for k, v in value.items()}
        if isinstance(value, list):
            return [masked(v) for v in value]
        return value

    return {k: v if k in _RECORD_KEYS else masked(v) for k, v in scenario.items()}


def scenario(name: str) -> dict[str, Any]:
    """A training scenario by name; `demo` is the demo family, not a scenario
    (it has no date of its own): UNKNOWN_SCENARIO, as any other unknown name."""
    if str(name).strip() == "demo":
        raise FamcovError("UNKNOWN_SCENARIO", {"value": "demo"})
    return load(name)


def today_of(scenario: dict[str, Any]) -> dt.date:
    return values.date(scenario["today"], flag="today")


def create(session, scenario: dict[str, Any], *, force: bool, name: str | None = None):
    """A fresh state file holding the scenario's records; the records. With `name`, the
    state remembers the scenario and its date (every later command runs on that date)."""
    records = fill(session.store, session.policy, scenario, force=force, name=name)
    session.forget_mark()
    return records


def fill(store, policy, scenario: dict[str, Any], *, force: bool, name: str | None, trainee=None):
    """`store`'s file made afresh from the scenario: the same setup `scenario start` runs,
    marked with the scenario (and, for a room, the trainee it is for)."""
    from famcov.domain.model import ScenarioMark

    today = today_of(scenario)
    with store.creating(force=force) as records:
        bureau.run_setup(records, policy, today, scenario["setup"])
        if name is not None:
            records.state.scenario = ScenarioMark(name=name, today=today, trainee=trainee)
    return records
