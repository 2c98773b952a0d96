"""Output: JSON for scripts (exactly one object on stdout) and rich for people.

Every string a person reads comes from the catalogues. Resident IDs are masked
in both. rich's heavier modules are imported inside the functions that draw.
"""

from __future__ import annotations

import sys
from functools import wraps
from typing import TYPE_CHECKING, Any

from famcov import contract
from famcov.contract import text
from famcov.domain.ids import scrub
from famcov.errors import FamcovError
from famcov.i18n import t
from famcov.output import Writer, lost  # the stream's own failure, cleared by famcov.cli

if TYPE_CHECKING:
    from famcov.run import Run

# -- plumbing ----------------------------------------------------------------------


def json_out(payload: dict[str, Any]) -> None:
    out = Writer(stderr=False, json=True)  # escaped where the stream cannot take a character
    out.write(json_text(payload) + "\n")
    out.flush()


# Output that cannot be written (a closed pipe, a full disk) or not in every glyph (a GBK
# pipe, a legacy console): famcov.output, the one writer.


def finish(run: Run) -> None:
    """After a command's result (or error): push it out, and if stdout could not take
    it, say so on stderr, with whether the run's change was saved."""
    Writer(stderr=False).flush()
    if not lost:
        return
    saved, written = run.saved, run.written
    problem = lost[0].problem
    if lost[0].closed and not saved and not written:
        return  # the reader had read enough (`| head`): nothing to tell, nothing changed
    key = "output.lost_saved" if saved else "output.lost"
    err = Writer(stderr=True)
    if written and not saved:  # an export or a handout: the file is there all the same
        err.write(t("output.lost_file", problem=problem, path=written[-1]) + "\n")
    else:
        err.write(t(key, problem=problem) + "\n")
    err.flush()


# JSON leaves C0 controls escaped; these it would write raw, and a terminal that
# shows the output may act on them (C1's CSI) or turn text around (bidi marks,
# embeddings, overrides and isolates, the Arabic letter mark included).
_JSON_RAW_UNSAFE = None


def json_text(payload: dict[str, Any]) -> str:
    """The one JSON object of a run, as text: every string safe to show (controls
    escaped, resident IDs masked in any form: famcov.domain.text). Numbers stay
    numbers: they are famcov's own counts and counters, never masked (a masked
    number would not be JSON)."""
    import re

    import msgspec

    global _JSON_RAW_UNSAFE
    payload = _ids_masked(payload)  # before JSON writes a tab or an invisible one as \t, \u200b
    try:
        data = msgspec.json.encode(payload)
    except UnicodeEncodeError:  # a lone surrogate: argv bytes that were not UTF-8
        data = msgspec.json.encode(_printable(payload))
    if _JSON_RAW_UNSAFE is None:
        _JSON_RAW_UNSAFE = re.compile(
            "[\x7f-\x9f\u061c\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f]"
        )
    return _JSON_RAW_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", data.decode())


def _ids_masked(value: Any) -> Any:
    """`value` with every string's resident IDs masked, in any form (domain.text),
    keys included."""
    from famcov.domain.text import mask_ids

    if isinstance(value, str):
        return mask_ids(value) if len(value) >= 15 else value
    if isinstance(value, dict):
        return {_ids_masked(k): _ids_masked(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_ids_masked(v) for v in value]
    return value


def _printable(value: Any) -> Any:
    """`value` with every string made encodable: undecodable bytes become U+FFFD."""
    if isinstance(value, str):
        try:
            return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        except UnicodeEncodeError:
            return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {_printable(k): _printable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_printable(v) for v in value]
    return value


def console(stderr: bool = False):
    from famcov import output

    # stderr read later (a log, a pipe) keeps each message on one line: the reader's
    # window wraps it, rather than famcov breaking it at a guessed 80 columns
    soft = stderr and not sys.stderr.isatty()
    return output.console(stderr=stderr, soft_wrap=soft)


def bullet(out, note: Any) -> None:
    """`  • note`, its folded lines under its text (not back at column 0)."""
    from famcov.output.screen import indented

    indented(out, "  [dim]•[/]", note)


def esc(value: Any) -> str:
    from rich.markup import escape

    return escape(text(value))


def error(exc: FamcovError, *, json_mode: bool) -> None:
    # scrub: a message may echo a value typed to the wrong flag, which may be an ID
    message = scrub(t(exc.message_key, **exc.params))
    details = [d for d in exc.details if d is not exc]
    help_key = contract.help_key(exc)
    if json_mode:
        json_out({"ok": False, "error": contract.error(exc)})
        return
    err = console(stderr=True)
    if exc.code == "INTERRUPTED":  # the person chose to stop: said plainly, not as an error
        err.print(f"[bold yellow]{esc(message)}[/]")
    else:
        err.print(f"[bold red]{t('label.error')}[/]{esc(message)}")
    if len(details) > 1 or (details and details[0].message_key != exc.message_key):
        for d in details:
            err.print(f"  • {esc(scrub(t(d.message_key, **d.params)))}")
    if help_key is not None:  # a failed operation: where to ask for help (12393)
        err.print(f"[dim]{esc(t(help_key))}[/]")


def region_name(policy, code: str) -> str:
    region = policy.region(code)
    return text(region.name) if region else code


def relation_name(relation: str) -> str:
    return t(f"relation.{relation}")


def plain(text: str) -> None:
    """Text as it is (a handout) on stdout, through the stream that survives a closed
    pipe or a full disk."""
    out = Writer(stderr=False)
    out.write(text)
    out.flush()


def ok(payload: dict[str, Any]) -> None:
    json_out({"ok": True, **payload})


def json_view(payload):
    """A view that, with --json, prints instead the object `payload` (famcov.contract)
    builds from the same arguments."""

    def decorate(view):
        @wraps(view)
        def show(s, *args, **kwargs):
            if s.json:
                ok(payload(s, *args, **kwargs))
                return None
            return view(s, *args, **kwargs)

        return show

    return decorate


def done(message: str) -> None:
    """`✓ message`, its folded lines under the text (plain text: no markup read in it)."""
    from famcov.output.screen import success

    success(message)


# -- data files ----------------------------------------------------------------------


# -- setup side ------------------------------------------------------------------------


text_from = contract.text_from  # a scenario's bilingual text, for the views too


# -- 亲情账户 ---------------------------------------------------------------------------------


# -- 信息校验 -----------------------------------------------------------------------------


# -- receipts -------------------------------------------------------------------------------


# -- 税务渠道 and 先缴后返 ----------------------------------------------------------------


# -- 个人账户 -------------------------------------------------------------------------------


# -- policy --------------------------------------------------------------------------------
