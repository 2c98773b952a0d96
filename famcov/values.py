"""One validator per value, shared by a command-line flag and a wizard prompt.

Each takes the raw text and the flag it came from, and returns the parsed
value or raises a FamcovError naming the flag and saying what to do.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from famcov.domain import ids, money
from famcov.domain.model import (
    CHANNELS,
    PROOFS,
    RELATIONS,
    REVOKE_REASONS,
    WORKER_STATUSES,
    YEAR_MAX,
    YEAR_MIN,
    Channel,
    Proof,
    Relation,
    RevokeReason,
    WorkerStatus,
)
from famcov.domain.text import clipped
from famcov.errors import FamcovError
from famcov.i18n import catalogue
from famcov.session import date  # noqa: F401 - one date parser, for --today and the rest

# What people type besides the slug and the catalogue names (子女, child).
RELATION_ALIASES = {
    "spouse": ("丈夫", "妻子", "老公", "老婆", "husband", "wife"),
    "parent": ("父亲", "母亲", "爸爸", "妈妈", "父", "母", "father", "mother"),
    "child": ("儿子", "女儿", "son", "daughter"),
    "sibling": ("哥哥", "姐姐", "弟弟", "妹妹", "兄弟", "姐妹", "brother", "sister"),
    "grandparent": ("爷爷", "奶奶", "祖父", "祖母"),
    "maternal-grandparent": ("外公", "外婆", "姥姥", "姥爷", "外祖父", "外祖母"),
    "grandchild": ("孙子", "孙女"),
    "maternal-grandchild": ("外孙", "外孙女"),
}
CHANNEL_ALIASES = {
    "tax": ("税务", "税务局", "税务部门", "电子税务局"),
    "bank": ("银行", "银行APP"),
    "wechat": ("微信",),
    "alipay": ("支付宝",),
}
PROOF_ALIASES = {
    "hukou": ("户口簿", "household register", "household registration booklet"),
    "marriage": ("marriage certificate",),
    "birth": ("出生证", "出生证明", "birth certificate", "medical birth certificate"),
}
Slug = TypeVar("Slug", bound=str)  # one of a Literal's values (Relation, Channel, ...)

REASON_ALIASES = {"duplicate": ("重复",), "moved": ("参保地变更", "变更"), "other": ("其它",)}


def person_id(text: str, *, flag: str, today: dt.date | None = None, known=()) -> str:
    """An ID already in the records was checked when it was stored; others go through stdnum."""
    number = ids.compact(text)
    if number in known:
        return number
    return ids.validate(number, flag=flag, today=today)


def name(text: str, *, flag: str = "--name") -> str:
    from famcov.domain.rules import name_checked  # the rules load with a command that judges

    return name_checked(text, flag=flag)


def _choice(
    text: str, slugs: tuple[Slug, ...], prefix: str, aliases: dict, code: str, flag: str
) -> Slug:
    wanted = str(text).strip()
    folded = wanted.casefold()
    zh, en = catalogue("zh"), catalogue("en")
    for slug in slugs:
        names = {slug, zh.get(f"{prefix}.{slug}", ""), en.get(f"{prefix}.{slug}", "").casefold()}
        names.update(a.casefold() for a in aliases.get(slug, ()))
        if wanted in names or folded in names:
            return slug
    raise FamcovError(code, {"flag": flag, "value": clipped(wanted, 40), "choices": list(slugs)})


def relation(text: str, *, flag: str = "--relation") -> Relation:
    return _choice(text, RELATIONS, "relation", RELATION_ALIASES, "UNKNOWN_RELATION", flag)


def channel(text: str, *, flag: str = "--channel") -> Channel:
    return _choice(text, CHANNELS, "channel", CHANNEL_ALIASES, "INVALID_VALUE", flag)


def reason(text: str, *, flag: str = "--reason") -> RevokeReason:
    return _choice(text, REVOKE_REASONS, "reason", REASON_ALIASES, "INVALID_VALUE", flag)


def proof(text: str, *, flag: str = "--proof") -> Proof:
    """A relation proof: 户口本, 结婚证 or 出生医学证明 (or hukou, marriage, birth)."""
    return _choice(text, PROOFS, "proof", PROOF_ALIASES, "INVALID_VALUE", flag)


def proof_slug(text: str) -> Proof:
    """A stored or typed proof as its slug; stored ones may be the Chinese name."""
    return proof(text)


def proof_name(slug: str) -> str:
    """What a binding stores: the document's Chinese name, as the app shows it."""
    return catalogue("zh")[f"proof.{slug}"]


def status(text: str, *, flag: str = "--status") -> WorkerStatus:
    return _choice(text, WORKER_STATUSES, "status", {}, "INVALID_VALUE", flag)


def year(text: str | int, *, flag: str = "--year") -> int:
    """An insurance year: four digits from YEAR_MIN to YEAR_MAX (domain.model.Year)."""
    raw = str(text).strip()
    if raw.isascii() and raw.isdigit() and len(raw) == 4 and YEAR_MIN <= int(raw) <= YEAR_MAX:
        return int(raw)
    raise FamcovError(
        "INVALID_YEAR", {"flag": flag, "value": clipped(raw, 20), "low": YEAR_MIN, "high": YEAR_MAX}
    )


def amount(text: str, *, flag: str = "--amount", allow_zero: bool = False) -> int:
    try:
        return money.parse_yuan(text, allow_zero=allow_zero)
    except FamcovError as exc:
        exc.params["flag"] = flag
        exc.params["value"] = clipped(exc.params.get("value", ""), 40)
        raise


def receipt_no(text: str) -> str:
    return str(text).strip().upper()
