"""One run of famcov: what it was given before its options were read, and what it did
that its last words must tell.

The command line makes one for each run (`FamcovGroup.main`: the process's own, or a
test's CliRunner) and hands it on: to click as the context's object, to the run's
Session (`session.run`), and through the session to every Store it opens, every export
and every wizard flow. Nothing of it outlives the run, and no module keeps one: a
second run in the same process starts from a new one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Run:
    json: bool = False  # --json as given: errors before the options are parsed say it so
    whole_process: bool = False  # famcov owns the process (its entry), not a test's runner
    first: Any = None  # famcov.front.First: the wizard's first screen, answered already
    session: Any = None  # the Session, once the global options are read
    saved: bool = False  # a change was saved (renamed into place): it is reported as done
    kept: str | None = None  # the backup `init --force` wrote before replacing the state
    written: list[str] = field(default_factory=list)  # files an export or handout wrote
    steps: list[Any] = field(default_factory=list)  # what the wizard saved (a Msg each)
    depth: int = 0  # the wizard's interruptible flows running (famcov.wizard)

    @property
    def json_mode(self) -> bool:
        """--json as the session read it, else as it was given."""
        return bool(self.session.json) if self.session is not None else self.json
