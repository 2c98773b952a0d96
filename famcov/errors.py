"""One exception for every refusal, and the exit code each error code maps to."""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    """The process's exit status (CLI.md): a script can tell these apart."""

    DONE = 0
    REFUSED = 1  # refused by a rule or by the records
    USAGE = 2  # a missing or malformed option or value
    STATE = 3  # the state file: missing, corrupt, locked, unsafe
    INTERRUPTED = 130  # Ctrl-C before anything was saved


DONE, REFUSED, USAGE, STATE, INTERRUPTED = ExitCode

# Every error code famcov raises, with its exit status; a code not here is a bug
# that FamcovError refuses at once (tests/test_exit_codes.py finds every raise).
EXIT_CODES: dict[str, ExitCode] = {
    # usage: a missing or malformed option or value
    "INVALID_ID": USAGE,
    "INVALID_AMOUNT": USAGE,
    "INVALID_YEAR": USAGE,
    "INVALID_DATE": USAGE,
    "INVALID_NAME": USAGE,
    "INVALID_VALUE": USAGE,
    "UNKNOWN_REGION": USAGE,
    "UNKNOWN_PROVINCE": USAGE,
    "UNKNOWN_CHANNEL": USAGE,
    "CHANNEL_NOT_ACCOUNT": USAGE,
    "UNKNOWN_RELATION": USAGE,
    "UNKNOWN_SCENARIO": USAGE,
    "MISSING_OPTION": USAGE,
    "USAGE": USAGE,
    "BAD_IMPORT": USAGE,
    "NEEDS_TERMINAL": USAGE,
    "CONFIRMATION_REQUIRED": USAGE,
    "BAD_POLICY": USAGE,
    "EXPORT_FORMAT": USAGE,
    "EXPORT_IS_FOLDER": USAGE,
    "BAD_SCENARIO": USAGE,  # a scenario file of the data folder that cannot be used
    "FILE_UNUSABLE": USAGE,  # a file or folder given that the system refused to use
    "ROOM_TRAINEES": USAGE,
    "ROOM_NOT_FOLDER": USAGE,
    "WATCH_NEEDS_TERMINAL": USAGE,
    "COMPLETION_SHELL": USAGE,  # no shell named or found that typer completes in
    # refused by a rule or by the records
    "UNKNOWN_PERSON": REFUSED,
    "UNKNOWN_TIER": REFUSED,
    "UNKNOWN_RECEIPT": REFUSED,
    "COMMITMENT_REQUIRED": REFUSED,
    "PROOF_REQUIRED": REFUSED,
    "ALREADY_BOUND": REFUSED,
    "CANNOT_BIND_SELF": REFUSED,
    "NAME_MISMATCH": REFUSED,
    "NOT_BOUND": REFUSED,
    "RELATION_NOT_ALLOWED": REFUSED,
    "CROSS_PROVINCE": REFUSED,
    "NOT_ENROLLED": REFUSED,
    "RELATIVE_HAS_EMPLOYEE_INSURANCE": REFUSED,
    "PAYER_INACTIVE": REFUSED,
    "YEAR_NOT_OPEN": REFUSED,
    "ALREADY_PAID": REFUSED,
    "PAID_ELSEWHERE": REFUSED,
    "INSUFFICIENT_BALANCE": REFUSED,
    "ALREADY_REVOKED": REFUSED,
    "REVOKE_CLOSED": REFUSED,
    "REVOKE_PAYER_ENDED": REFUSED,
    "REVOKE_RECONCILED": REFUSED,
    "REVOKE_TOO_SOON": REFUSED,
    "REVOKE_BENEFITS_USED": REFUSED,
    "RELATION_BIRTH_ORDER": REFUSED,
    "RELATION_GAP": REFUSED,
    "MINOR_PROOF_REQUIRED": REFUSED,
    "WAITING_PAST_YEAR": REFUSED,
    "VERIFY_NOT_NEEDED": REFUSED,
    "QUOTA_NOT_AVAILABLE": REFUSED,
    "MEMBER_TEMPORARY": REFUSED,
    "QUOTA_NONE": REFUSED,
    "ALREADY_EXISTS": REFUSED,
    "RETURN_NOT_OFFERED": REFUSED,
    "RETURN_NOT_PAID": REFUSED,
    "RETURN_ALREADY_CLAIMED": REFUSED,
    "RETURN_TOO_SOON": REFUSED,
    "RETURN_YEAR_NOT_ALLOWED": REFUSED,
    "VALIDATION_FAILED": REFUSED,
    "CANCELLED": REFUSED,
    "INTERNAL": REFUSED,
    "EXPORT_FAILED": REFUSED,  # the export file could not be written; nothing else changed
    # the state file
    "STATE_MISSING": STATE,
    "STATE_EXISTS": STATE,
    "ROOM_EXISTS": STATE,
    "STATE_CORRUPT": STATE,
    "STATE_LOCKED": STATE,
    "STATE_TOO_NEW": STATE,
    "STATE_UNWRITABLE": STATE,
    "STATE_UNSAFE": STATE,
    "STATE_UNREADABLE": STATE,
    "OUT_OF_MEMORY": STATE,  # a state (or import) too large for the memory allowed
    # Ctrl-C
    "INTERRUPTED": INTERRUPTED,
}


class FamcovError(Exception):
    """A refusal: a stable code, the parameters of its message, and per-rule details.

    `details` holds further FamcovErrors (one per failed rule) for VALIDATION_FAILED,
    BAD_IMPORT and any refusal that reports several reasons at once.
    """

    def __init__(
        self,
        code: str,
        params: dict[str, Any] | None = None,
        details: list[FamcovError] | None = None,
        message_key: str | None = None,
    ) -> None:
        super().__init__(code)
        if code not in EXIT_CODES:
            raise KeyError(f"error code {code!r} is not registered in famcov.errors.EXIT_CODES")
        self.code = code
        self.params = params or {}
        self.details = details or []
        self.message_key = message_key or f"error.{code}"

    @property
    def exit_code(self) -> ExitCode:
        return EXIT_CODES[self.code]

    def __repr__(self) -> str:
        return f"FamcovError({self.code!r}, {self.params!r})"


def refusal(failures: list[FamcovError], summary: str = "error.VALIDATION_FAILED") -> FamcovError:
    """One failure stands for itself; several are wrapped in VALIDATION_FAILED,
    whose message (`summary`) says which step refused."""
    if len(failures) == 1:
        only = failures[0]
        return FamcovError(only.code, only.params, [only], only.message_key)
    return FamcovError("VALIDATION_FAILED", {"count": len(failures)}, failures, summary)
