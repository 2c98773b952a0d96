"""`famcov doctor`: check the whole state file and say what is wrong with it.

It reads the file the way a reader does (no lock: every save is one rename) but
without the ledger check `Store.load()` makes, so that it can report every
problem instead of stopping at the first. It never writes.

What it checks: the file itself (it decodes, its schema is known, it is a
regular file, not a symbolic link, mode 0600, its lock file is no link and
0600, no folder above it can be swapped by another user) and every invariant of
the records (famcov/domain/invariants.py: the same list the store refuses a
file by when it loads it). On Windows the file's modes and owners are not checked:
`os.stat` shows no access lists there (every file looks 0666, every folder 0777,
owned by uid 0), so a check of them would call every healthy file unsafe; the links
are checked as everywhere.

Notes (not problems): an older schema that the next change will upgrade, and
temporary files left by a writer that was killed (the next change removes them).
"""

from __future__ import annotations

import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

from famcov.domain.invariants import Finding, problems
from famcov.domain.model import SCHEMA
from famcov.errors import FamcovError
from famcov.i18n import t
from famcov.statefile import decode_versioned
from famcov.store import Store


@dataclass
class Report:
    path: Path
    schema: int | None = None
    problems: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def error_code(self) -> str:
        """The error code that stands for all the problems: the gravest category."""
        found = {p.category for p in self.problems}
        for code in ("STATE_TOO_NEW", "STATE_CORRUPT", "STATE_UNSAFE"):
            if code in found:
                return code
        return "STATE_CORRUPT"


# -- the whole examination ---------------------------------------------------------------


def examine(store: Store) -> Report:
    """Every check on the file at `store.path`. STATE_MISSING is raised, not reported."""
    report = Report(store.path)
    try:
        data = store.read_bytes()
    except FamcovError as exc:
        if exc.code == "STATE_MISSING":
            raise
        report.problems.append(_from_error(exc))
        report.problems += file_problems(store)
        return report
    report.problems += file_problems(store)
    try:
        state, found = decode_versioned(data, where=str(store.path))
    except FamcovError as exc:
        report.problems.insert(0, _from_error(exc))
        return report
    report.schema = found
    report.counts = {
        "workers": len(state.workers),
        "enrolments": len(state.enrolments),
        "bindings": len(state.bindings),
        "payments": len(state.payments),
        "ledger": len(state.ledger),
    }
    report.problems += problems(data, state)
    if found < SCHEMA:
        report.notes.append(
            Finding(
                "SCHEMA_OLD",
                {"found": found, "known": SCHEMA, "backup": store.backup_path(found).name},
            )
        )
    if temps := store.temp_files():
        report.notes.append(
            Finding("STALE_TEMP", {"count": len(temps), "files": [p.name for p in temps[:3]]})
        )
    return report


def _from_error(exc: FamcovError) -> Finding:
    """A refusal of the loader as a problem, worded for doctor (which is what it advises)."""
    from famcov.i18n import has

    where = exc.params.get("where")
    key = f"doctor.problem.{exc.code}"
    return Finding(
        exc.code,
        dict(exc.params),
        where=where,
        key=key if has(key) else exc.message_key,
        category=exc.code if exc.code.startswith("STATE_") else "STATE_CORRUPT",
    )


# -- the file and its folder ---------------------------------------------------------------


def file_problems(store: Store) -> list[Finding]:
    found: list[Finding] = []
    path = store.path
    try:
        if path.is_symlink():
            found.append(Finding("STATE_SYMLINK", {"path": str(path)}, category="STATE_UNSAFE"))
        if store.lock_path.is_symlink():
            found.append(
                Finding("LOCK_SYMLINK", {"path": str(store.lock_path)}, category="STATE_UNSAFE")
            )
        info = path.stat()
        if sys.platform != "win32" and stat.S_ISREG(info.st_mode) and info.st_mode & 0o077:
            found.append(
                Finding(
                    "FILE_MODE",
                    {"mode": f"{stat.S_IMODE(info.st_mode):04o}", "path": str(path)},
                    category="STATE_UNSAFE",
                )
            )
    except OSError:
        pass
    codes = {
        "state.unsafe.folder": "FOLDER_UNSAFE",
        "state.unsafe.ancestor": "ANCESTOR_UNSAFE",
        "state.unsafe.owner": "FOLDER_OWNER",
    }
    found += [
        Finding(codes[m.key], dict(m.params), category="STATE_UNSAFE")
        for m in store.folder_reasons()
    ]
    try:
        lock = store.lock_path.lstat()
        if (
            sys.platform != "win32"
            and stat.S_ISREG(lock.st_mode)
            and stat.S_IMODE(lock.st_mode) != 0o600
        ):
            found.append(
                Finding(
                    "LOCK_MODE",
                    {"mode": f"{stat.S_IMODE(lock.st_mode):04o}", "path": str(store.lock_path)},
                    category="STATE_UNSAFE",
                )
            )
    except OSError:
        pass
    return found


# -- output ----------------------------------------------------------------------------------


def render(s, report: Report) -> int:
    """Print the report (JSON or for people); the exit code: 0 healthy, 3 problems."""
    from famcov.errors import DONE, STATE

    if s.json:
        from famcov import contract
        from famcov.output.render import json_out

        json_out(contract.doctor(report))  # the one stream that survives a closed pipe
        return DONE if report.ok else STATE
    from rich.markup import escape

    from famcov.output.render import console

    out = console()
    out.print(f"[bold]{escape(t('doctor.title', path=str(report.path)))}[/]")
    if report.schema is not None:
        out.print(escape(t("doctor.counts", schema=report.schema, **report.counts)))
    for p in report.problems:
        message = p.message
        where = f"  [dim]{escape(p.where)}[/]" if p.where and p.where not in message else ""
        out.print(f" [red]✗[/] {escape(message)}{where}")
    for n in report.notes:
        out.print(f" [dim]•[/] {escape(n.message)}")
    if report.ok:
        out.print(f"[green]✓[/] {escape(t('doctor.verdict.ok'))}", style="bold")
        return DONE
    out.print(
        f"[red]✗[/] {escape(t('doctor.verdict.problems', count=len(report.problems)))}",
        style="bold",
    )
    out.print(escape(t("doctor.advice")))
    return STATE
