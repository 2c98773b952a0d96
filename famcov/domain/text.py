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

from famcov.domain.idnumber import mask

# Characters that show as nothing (zero-width spaces and joiners, soft hyphen, word
# joiner, byte-order mark): text pasted from a web page carries them, inside a number too.
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2060-\u2064\u206a-\u206f\ufeff"
)

# C0 and C1 controls, DEL, the Unicode characters that break lines or override the
# direction of text (a name that shows as another name), and the invisible ones.
_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069{_INVISIBLE}]")
# What in a JSON text can make a string with such a character: the character itself
# (a raw C0 control is only ever JSON's own white space, which no string holds) or an
# escape; where none stands, no decoded string needs escaping.
JSON_MAY_HOLD_CONTROLS = re.compile(
    f"[\\\\\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069{_INVISIBLE}]"
)

# Any decimal digit (ASCII, full-width, or any other script's), and what people put
# between the groups of a number: spaces of any width, tabs, line ends, dots, commas,
# hyphens, underscores, slashes, middle dots, bullets, bars, brackets, quotes, the
# ideographic full stop, and the invisible characters above: any run of spaces and
# hyphens between two digits, and up to three of the others (`' - '`, CR LF, `·`).
_DIGIT = r"\d"
# The dash family (hyphen, non-breaking hyphen, figure, en and em dashes, minus) and a
# backslash or colon are separators too: an ID typed as 510104‐19850315‐0017 or with
# backslashes is still an ID.
_SEP = (
    rf"[\s.\-_/\\:：·・－＿．／,，、。•‧∙⋅|｜()（）\[\]【】'＇‘’\u2010-\u2015\u2212\ufe58\ufe63"
    rf"{_INVISIBLE}]"
)
# Any run of spaces and hyphens (an ID is read with all of them taken out: 5101041990
# and four spaces and 03078519 is an ID to famcov), and up to three other separators.
_GAP = rf"(?:[\s\-]*+{_SEP}{{0,3}}[\s\-]*+)"
# Every run of fifteen digits or more, however they are separated, with a check
# character after it: whether it is an ID is decided on its digits (`_is_personal`),
# not by the pattern. (Shorter runs are never an ID and cost no Python call.)
_RUN = re.compile(rf"{_DIGIT}(?:{_GAP}{_DIGIT}){{14,}}(?:{_GAP}[XxＸｘ](?![A-Za-z]))?")
# famcov's own record numbers: DJ (a proxy payment) or FH (a return), the date of
# issue, then the counter, however long it grows. Never a person's number.
_RECEIPT_PREFIX = ("DJ", "FH")


def _birth_date(digits: str) -> bool:
    """Eight digits that are a date from 1900 to 2099 (the birth date of an ID)."""
    import datetime as dt

    if not ("1900" <= digits[:4] <= "2099"):
        return False
    try:
        dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    return True


def _is_personal(number: str) -> bool:
    """Whether a run of digits (ASCII, with a check character perhaps) is, or may be, a
    resident ID. Eighteen characters always are: valid, or a typo of one (a wrong check
    digit or date is still someone's number). Fifteen digits are a first-generation ID
    when digits 7-12 are a date. Other lengths from 15 up are a mistyped or run-on ID
    when they hold an ID's birth date where one would stand, or a whole valid ID
    (stdnum's check: date and check digit); a long counter holds neither."""
    from famcov.domain.idnumber import is_valid

    size = len(number)
    if size < 15:
        return False
    if size == 18:
        return True
    digits = number.rstrip("X")
    if size == 15 and _birth_date("19" + digits[6:12]):
        return True
    if any(is_valid(number[at : at + 18]) for at in range(size - 17)):
        return True
    return any(_birth_date(digits[at : at + 8]) for at in range(4, len(digits) - 9))


def _folded(text: str) -> str:
    """The digits (any script, as ASCII) and check characters of `text`."""
    return "".join(
        ch
        if ch in "Xx"
        else str(unicodedata.digit(ch))
        if not ch.isascii() and ch.isdigit()
        else ch
        for ch in unicodedata.normalize("NFKC", text)
        if ch.isdigit() or ch in "Xx"
    ).upper()


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def unseen(ch: str) -> bool:
    """Whether one character is beyond ASCII and one `escape_controls` writes out (a C1
    control, a line or paragraph separator, a direction override or isolate, an
    invisible one): an input line draws it as a mark (C0 ones it shows as ^X itself)."""
    return ch > "\x7f" and _CONTROL.fullmatch(ch) is not None


def escape_controls(text: str) -> str:
    return _CONTROL.sub(_escape, text)


# The first two digits of a resident ID: its province (11 Beijing ... 65 Xinjiang, 71
# Taiwan, 81-83 Hong Kong, Macao, Taiwan residents' permits).
_PROVINCES = frozenset(
    str(code)
    for first, last in ((11, 15), (21, 23), (31, 37), (41, 46), (50, 54), (61, 65), (71, 71))
    for code in range(first, last + 1)
) | {"81", "82", "83"}


def _holds_id(digits: str) -> bool:
    """Whether eighteen digits anywhere in `digits` may be someone's ID: a province's
    code, then a birth date where an ID has one (valid, or with a typo in the rest)."""
    return any(
        digits[at : at + 2] in _PROVINCES and _birth_date(digits[at + 6 : at + 14])
        for at in range(len(digits) - 17)
    )


def _id_span(text: str) -> tuple[int, int] | None:
    """Where in a run longer than an ID the ID stands: the groups (between separators)
    whose digits make a valid ID, or else 18 characters with an ID's birth date. The
    groups around it are no part of it (`f2/510104198503150017/x.lock` keeps `f2/`)."""
    from famcov.domain.idnumber import is_valid

    groups = [m.span() for m in re.finditer(rf"(?:{_DIGIT}|[XxＸｘ])+", text)]
    sizes = [len(_folded(text[a:b])) for a, b in groups]
    spans: dict[int, list[tuple[int, int]]] = {18: [], 15: []}
    for i in range(len(groups)):  # consecutive groups of 15 or 18 digits: linear, not all pairs
        total = 0
        for j in range(i, len(groups)):
            total += sizes[j]
            if total in spans:
                spans[total].append((groups[i][0], groups[j][1]))
            if total >= 18:
                break
    for a, b in spans[18]:
        if is_valid(_folded(text[a:b])):
            return a, b
    for a, b in spans[18]:
        if _birth_date(_folded(text[a:b])[6:14]):
            return a, b
    for a, b in spans[15]:  # a first-generation ID beside other digits (2027 510104850315001)
        if _birth_date("19" + _folded(text[a:b])[6:12]):
            return a, b
    return None


def _old_id_group(text: str) -> bool:
    """A group of exactly fifteen digits between separators with a date at 7-12: a
    first-generation ID standing beside other digits (`2027 510104850315001`)."""
    return any(
        len(group) == 15 and _birth_date("19" + _folded(group)[6:12])
        for group in re.findall(rf"{_DIGIT}+", text)
    )


def _masked(match: re.Match[str]) -> str:
    text = match[0]
    number = _folded(text)
    if len(number) < 15:
        return text
    before = match.string[max(0, match.start() - 2) : match.start()].upper()
    own = re.match("[0-9]+(?![0-9XxＸｘ])", text) if before in _RECEIPT_PREFIX else None
    # DJ + date + counter: famcov's own number, however long its counter grows, and
    # what follows it after a separator looked at on its own (`DJ202611200002 ·
    # 2026-11-20`: the date is no part of an ID), unless an ID (or a typo of one) stands
    # anywhere in the run, in its date, its counter or across the separator
    if own is not None and _birth_date(own[0][:8]) and not _holds_id(number):
        return own[0] + mask_ids(text[own.end() :])
    if not _is_personal(number) and not _old_id_group(text):
        return text
    if len(number) > 15 and (span := _id_span(text)) is not None:
        a, b = span  # and every other ID in the same run, on either side (a record
        # number before it still after its prefix)
        lead = before if before in _RECEIPT_PREFIX else ""
        head = mask_ids(lead + text[:a])[len(lead) :]
        return head + mask(_folded(text[a:b])) + mask_ids(text[b:])
    return mask(number)


def mask_ids(text: str) -> str:
    """`text` with every resident ID in it masked, in any form it was written: the one
    masking function of famcov (ids.scrub and the JSON output call it)."""
    return _RUN.sub(_masked, text)


def clipped(value: object, limit: int) -> str:
    """A typed value cut to `limit` characters for a message, its IDs masked first: cut
    first, a spaced ID's region and birth date would stay, no longer an ID to mask. Only
    what can reach the cut is masked (an ID, separators and all, is under 80 characters):
    a value of kilobytes costs no more than a short one."""
    return mask_ids(str(value)[: limit + 80])[:limit]


def shown(value: object) -> str:
    """A value as famcov may echo it: control characters written out, IDs masked."""
    return escape_controls(mask_ids(str(value)))  # masked first: a tab is a separator too
