"""Ctrl-C and what famcov says about it: true whenever it comes.

Before a change is committed, Ctrl-C stops the command and famcov says nothing
was written (INTERRUPTED, exit 130). From the moment the store starts to rename
the new file into place, the change is as good as saved: Ctrl-C is then *held*
(noted, not raised) until the command has reported its result, so a saved change
is always reported as saved (exit 0) and a retry never pays twice. It is held
too while famcov starts up and while it prints an error, so that no Ctrl-C ends
in a traceback or half a JSON object.

`hold()` and `release()` only change the handler in the main thread; elsewhere
(a test running famcov in a thread) they do nothing.
"""

from __future__ import annotations

import signal

_held = False
_noted = False
_previous: object = None


def _note(signum, frame) -> None:
    global _noted
    _noted = True


def hold() -> None:
    """From now on a Ctrl-C is noted instead of raised, until `release()`."""
    global _held, _previous
    if _held:
        return
    try:
        _previous = signal.signal(signal.SIGINT, _note)
    except ValueError:  # not the main thread: its handler is not ours to change
        return
    _held = True


def adopt(noted: list[int]) -> None:
    """Take over from the entry's first-line handler (entry.py): held, and noted if
    a Ctrl-C already came."""
    global _held, _previous, _noted
    signal.signal(signal.SIGINT, _note)
    _held, _previous = True, signal.default_int_handler
    _noted = _noted or bool(noted)


def release() -> bool:
    """Ctrl-C raises again; True when one came while it was held (it is dropped:
    whatever was being finished has been finished and reported)."""
    global _held, _noted, _previous
    if _held:
        # first the handler: Python hands a Ctrl-C still pending to the old one (noted)
        signal.signal(
            signal.SIGINT, _previous if callable(_previous) else signal.default_int_handler
        )
        _held, _previous = False, None
    noted, _noted = _noted, False
    return noted


def held() -> bool:
    return _held


def take() -> bool:
    """Whether a Ctrl-C came while it was held, forgetting it: it is being acted on."""
    global _noted
    noted, _noted = _noted, False
    return noted


def caused_by_interrupt(exc: BaseException) -> bool:
    """Whether `exc` was caused by a Ctrl-C: Python 3.11 reports one that comes while a
    class is being made (a dataclass's fields, as a module loads) as RuntimeError("Error
    calling __set_name__ ...") with the interrupt as its cause; a library may wrap one so."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False
