"""Text famcov echoes back: what a person typed, a CSV carried or a file holds.

`shown(value)` is how any such value is shown, to a terminal or in JSON: control
characters written out (`\\x1b`, `\\u202e`) so that none can clear a screen, retitle a
window or turn text around, and every resident ID masked, in whatever form it was
written: whole, spaced or dotted (`5101 0419…`, `510104.1990…`), with full-width
digits (`５１０１…`) or any mix of them.
"""

from __future__ import annotations

import re
import unicodedata

from famcov.domain.ids import mask

# Characters that show as nothing (zero-width spaces and joiners, soft hyphen, word
# joiner, byte-order mark): text pasted from a web page carries them, inside a number too.
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2060-\u2064\u206a-\u206f\ufeff"
)

# C0 and C1 controls, DEL, the Unicode characters that break lines or override the
# direction of text (a name that shows as another name), and the invisible ones.
_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069{_INVISIBLE}]")

# Any decimal digit (ASCII, full-width, or any other script's), and what people put
# between the groups of a number: spaces of any width, tabs, dots, commas, hyphens,
# underscores, slashes, middle dots, and the invisible characters above.
_DIGIT = r"\d"
_SEP = rf"[\s.\-_/·・－＿．／,，、{_INVISIBLE}]"
# Fifteen digits or more (a first-generation ID has 15, today's 17 and a check
# character, which may be X), each digit after at most one separator: an ID written
# in any form, or a run that holds one.
_ID_ANY_FORM = re.compile(
    rf"(?<!\d)(?<!\d{_SEP}){_DIGIT}(?:{_SEP}?{_DIGIT}){{14,}}(?:{_SEP}?[XxＸｘ])?(?![\dXxＸｘ])"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    return _CONTROL.sub(_escape, text)


def _masked(match: re.Match[str]) -> str:
    folded = "".join(
        ch
        if ch in "Xx"
        else str(unicodedata.digit(ch))
        if not ch.isascii() and ch.isdigit()
        else ch
        for ch in unicodedata.normalize("NFKC", match[0])
        if ch.isdigit() or ch in "Xx"
    )
    return mask(folded.upper())


def mask_ids(text: str) -> str:
    """`text` with every resident ID in it masked, in any form it was written."""
    return _ID_ANY_FORM.sub(_masked, text)


def shown(value: object) -> str:
    """A value as famcov may echo it: control characters written out, IDs masked."""
    return escape_controls(mask_ids(str(value)))  # masked first: a tab is a separator too
