"""Money is integer fen inside and yuan with two decimals outside. Never float."""

from __future__ import annotations

import re

from famcov.errors import FamcovError
from famcov.i18n import Msg

# One hundred million yuan: far above any account, far below anything that overflows.
MAX_FEN = 100_000_000 * 100

_YUAN = re.compile(r"(?P<int>[0-9]{1,12})(?:\.(?P<frac>[0-9]{1,2}))?")
_PREFIXES = ("¥", "￥", "RMB", "CNY")
_SUFFIXES = ("元", "yuan", "CNY", "RMB")


def parse_yuan(text: str, *, allow_zero: bool = False) -> int:
    """'400', '400.5', '¥400.00', '1,200.00', '400元' -> fen. Refuses more than two
    decimals, negative amounts, zero (unless allowed) and absurd sizes."""
    raw = str(text).strip()
    cleaned = raw
    for prefix in _PREFIXES:
        if cleaned.upper().startswith(prefix.upper()):
            cleaned = cleaned[len(prefix) :].strip()
            break
    for suffix in _SUFFIXES:
        if cleaned.lower().endswith(suffix.lower()):
            cleaned = cleaned[: -len(suffix)].strip()
            break
    if re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", cleaned):
        cleaned = cleaned.replace(",", "")
    match = _YUAN.fullmatch(cleaned)
    if match is None:
        reason = "negative" if cleaned.startswith("-") else "format"
        if re.fullmatch(r"[0-9]+\.[0-9]{3,}", cleaned):
            reason = "precision"
        raise FamcovError("INVALID_AMOUNT", {"value": raw, "reason": Msg(f"amountreason.{reason}")})
    fen = int(match["int"]) * 100 + int((match["frac"] or "0").ljust(2, "0"))
    if fen == 0 and not allow_zero:
        raise FamcovError("INVALID_AMOUNT", {"value": raw, "reason": Msg("amountreason.zero")})
    if fen > MAX_FEN:
        raise FamcovError("INVALID_AMOUNT", {"value": raw, "reason": Msg("amountreason.too_large")})
    return fen


def yuan(fen: int) -> str:
    """fen -> '400.00' (and '-400.00' for a debit)."""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), 100)
    return f"{sign}{whole}.{part:02d}"
