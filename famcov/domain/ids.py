"""Resident identity numbers (居民身份证号, GB 11643): checked with python-stdnum, shown masked."""

from __future__ import annotations

import datetime as dt

from famcov.errors import FamcovError
from famcov.i18n import Msg


def compact(text: str) -> str:
    """Strip spaces and hyphens and upper-case the check character, as stdnum does.
    Full-width digits (a Chinese input method's １２３) become ASCII digits."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", str(text)).split()).replace("-", "").upper()


def validate(text: str, *, flag: str = "--id", today: dt.date | None = None) -> str:
    """Return the compact 18-character ID or raise INVALID_ID saying what is wrong.

    The three checks of GB 11643 that DOMAIN.md names: length, birth date and
    check digit. The birthplace table is not consulted: older area codes stay
    valid on ID cards after a redistricting.
    """
    from stdnum import exceptions
    from stdnum.cn import ric

    from famcov.domain.text import shown as echoed

    number = compact(text)
    shown = mask(number)
    if (
        len(number) != 18
        or not number.isascii()
        or not number[:17].isdigit()
        or not (number[17].isdigit() or number[17] == "X")
    ):
        # not an ID at all: shown as typed (cut short; any ID-like run in it masked),
        # so that the person sees what was wrong with it
        value = echoed(str(text).strip()[:24])
        raise FamcovError(
            "INVALID_ID", {"flag": flag, "value": value, "reason": Msg("idreason.length")}
        )
    if number[17] != ric.calc_check_digit(number):
        raise FamcovError(
            "INVALID_ID", {"flag": flag, "value": shown, "reason": Msg("idreason.check_digit")}
        )
    try:
        born = ric.get_birth_date(number)
    except exceptions.ValidationError:
        raise FamcovError(
            "INVALID_ID", {"flag": flag, "value": shown, "reason": Msg("idreason.birth_date")}
        ) from None
    if born.year < 1900 or (today is not None and born > today):
        raise FamcovError(
            "INVALID_ID", {"flag": flag, "value": shown, "reason": Msg("idreason.birth_date")}
        )
    return number


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


def scrub(text: str) -> str:
    """`text` with every resident ID in it masked: for messages that echo back what a
    person typed, which may be an ID given to the wrong flag. The same function as
    every other echo (famcov.domain.text.mask_ids), so no form escapes one of them."""
    from famcov.domain.text import mask_ids

    return mask_ids(text)
