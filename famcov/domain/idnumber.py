"""A resident ID number's own arithmetic, below everything that shows or checks one:
whether a compact number is valid (fast, for every ID of a large state) and how it is
masked. No imports of famcov's: the echo of any text (famcov.domain.text), the
validation that says what is wrong (famcov.domain.ids) and the catalogues build on it.
"""

from __future__ import annotations

import datetime as dt

_CHECK_CHARACTERS = "10X98765432"  # by the weighted sum mod 11 (ISO 7064 MOD 11-2)
_BIRTH_DATES: dict[str, bool] = {}


def is_valid(number: str) -> bool:
    """What `validate` checks of a compact number, without a date to compare with and
    fast enough to run over every ID of a large state at each load.

    The check digit's weights are 2^17 ... 2^1 mod 11, and 13 = 2 (mod 11), so the
    weighted sum is twice the 17 digits read as a base-13 number, mod 11.
    """
    if len(number) != 18 or not number.isascii() or not number[:17].isdigit():
        return False
    if _CHECK_CHARACTERS[2 * int(number[:17], 13) % 11] != number[17]:
        return False
    born = number[6:14]
    ok = _BIRTH_DATES.get(born)
    if ok is None:
        try:
            ok = dt.date(int(born[:4]), int(born[4:6]), int(born[6:])).year >= 1900
        except ValueError:
            ok = False
        _BIRTH_DATES[born] = ok
    return ok


def mask(number: str) -> str:
    """'510104199001010019' -> '510104********0019'. Anything else is masked whole
    but for its length, so no digits of a malformed number leak either."""
    number = str(number)
    if len(number) == 18:
        return f"{number[:6]}{'*' * 8}{number[-4:]}"
    if len(number) > 10:
        return f"{number[:3]}{'*' * (len(number) - 5)}{number[-2:]}"
    return "*" * len(number)
