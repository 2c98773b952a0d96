"""Resident identity numbers (居民身份证号, GB 11643): checked with python-stdnum, shown masked."""

from __future__ import annotations

import datetime as dt

from famcov.domain.idnumber import is_valid as is_valid
from famcov.domain.idnumber import mask as mask
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

    from famcov.domain.text import clipped
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
        value = echoed(clipped(str(text).strip(), 24))
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


def scrub(text: str) -> str:
    """`text` with every resident ID in it masked: for messages that echo back what a
    person typed, which may be an ID given to the wrong flag. The same function as
    every other echo (famcov.domain.text.mask_ids), so no form escapes one of them."""
    from famcov.domain.text import mask_ids

    return mask_ids(text)
