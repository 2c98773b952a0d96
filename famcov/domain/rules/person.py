"""What a resident ID number says of a person (birth date, sex, age) and what a
person's name may be: facts the binding, payment and waiting rules read."""

from __future__ import annotations

import datetime as dt
import unicodedata

from famcov.domain.text import clipped
from famcov.errors import FamcovError


def birth_date(person_id: str) -> dt.date | None:
    """The birth date a resident ID carries (digits 7-14), or None if it has none."""
    try:
        return dt.date(int(person_id[6:10]), int(person_id[10:12]), int(person_id[12:14]))
    except (ValueError, IndexError):
        return None


def sex_of(person_id: str) -> str | None:
    """`male` or `female`: the 17th digit of a resident ID is odd for men, even for women."""
    digit = person_id[16:17]
    return ("male" if int(digit) % 2 else "female") if digit.isdigit() else None


def age_on(person_id: str, day: dt.date) -> int | None:
    born = birth_date(person_id)
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def years_between(older: dt.date, younger: dt.date) -> int:
    """Whole years from `older` to `younger` (negative when `older` is the later date)."""
    if older > younger:
        return -years_between(younger, older)
    return younger.year - older.year - ((younger.month, younger.day) < (older.month, older.day))


def name_checked(text: str, *, flag: str = "--name") -> str:
    """A person's name: letters (any script), inner spaces and the separators of
    transliterated names (· • - ' .); 1 to 40 characters."""
    name = " ".join(str(text).split())
    if not 1 <= len(name) <= 40:
        raise FamcovError("INVALID_NAME", {"flag": flag, "value": clipped(name, 40)})
    for ch in name:
        if ch in " ·•・-'.’" or unicodedata.category(ch)[0] in "LM":
            continue
        raise FamcovError("INVALID_NAME", {"flag": flag, "value": clipped(name, 40)})
    if not any(unicodedata.category(ch)[0] == "L" for ch in name):
        raise FamcovError("INVALID_NAME", {"flag": flag, "value": clipped(name, 40)})
    return name
