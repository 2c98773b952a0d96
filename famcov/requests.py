"""What a person asks for, parsed once: the seam between a flag or an answer and an action.

Each use case has one input spec (`Spec`): its fields, each with the flag it comes
from and the one function that parses its text. A command parses every flag it was
given before the store is opened — a bad `--year` is INVALID_YEAR whether or not a
state file exists — names the first missing one when nobody can be asked, and
resolves people against the records inside the transaction. The wizard's steps
parse their answers with the same fields. Either side hands the action the same
request object (`PaymentRequest`, `BindRequest`, …), never a list of keywords.

Domain errors carry no flag names; a field attaches its flag when it parses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import msgspec

from famcov import values
from famcov.domain.model import Proof, Relation, RevokeReason
from famcov.domain.policy import Region
from famcov.errors import FamcovError

R = TypeVar("R")


# -- the requests the actions take --------------------------------------------------


class PaymentRequest(msgspec.Struct, frozen=True):
    """代缴信息校验 and 代缴申请提交: who pays for whom, where, which year, which tier."""

    payer: str  # resolved resident IDs
    relative: str
    region: Region
    year: int
    tier: str | None = None  # None: not chosen yet (a check of everything else)
    accept_no_cover: bool = False
    channel: str | None = None


class BindRequest(msgspec.Struct, frozen=True):
    """亲情账户 → 添加家庭成员."""

    payer: str
    relative: str
    name: str
    relation: Relation  # a slug: child, parent, ...
    proof: Proof | None = None  # a slug: hukou, marriage, birth
    accepted: bool = False  # 《个人承诺书》
    confirm_gap: bool = False


class MemberRequest(msgspec.Struct, frozen=True):
    """One bound member of one payer: unbind, verify, a quota's release."""

    payer: str
    relative: str


class ReturnRequest(msgspec.Struct, frozen=True):
    """先缴后返 → 返还申请: the premium paid by tax for a relative and year, back out of the
    payer's personal account."""

    payer: str
    relative: str
    year: int


class RevokeRequest(msgspec.Struct, frozen=True):
    no: str
    reason: RevokeReason


def build(kind: type[R], answers: dict[str, Any], **extra: Any) -> R:
    """A request from a wizard's answers (or a setup step), taking the fields it has."""
    names = set(kind.__struct_fields__)  # type: ignore[attr-defined]
    given = {k: v for k, v in answers.items() if k in names and v is not None}
    given.update((k, v) for k, v in extra.items() if v is not None)
    return kind(**given)


# -- fields: one parse per value ----------------------------------------------------


class Field(msgspec.Struct, frozen=True):
    """One input of a use case. `parse(session, text)` needs no store; `resolve(session,
    records, found, text)` is for a person, looked up in the records (`found` holds
    the fields resolved before it, so a relative is looked up among the payer's)."""

    key: str
    flag: str
    parse: Callable[[Any, str], Any] | None = None
    resolve: Callable[[Any, Any, dict[str, Any], str], Any] | None = None
    positional: bool = False  # NO, FILE: an argument, named in words when missing

    def parse_text(self, session, text: str) -> Any:
        return self.parse(session, text) if self.parse is not None else text


def _payer(session, records, found, text: str) -> str:
    from famcov.people import find_payer

    return find_payer(records, text, session.today)


def _relative(session, records, found, text: str) -> str:
    from famcov.people import find_relative

    return find_relative(records, found.get("payer"), text, session.today)


def _new_relative(session, records, found, text: str) -> str:
    from famcov.people import new_relative_id

    return new_relative_id(records, text, session.today)


def _tax_relative(session, records, found, text: str) -> str:
    from famcov.people import tax_relative

    return tax_relative(records, found.get("payer"), text, session.today)


PAYER = Field("payer", "--payer", resolve=_payer)
RELATIVE = Field("relative", "--relative", resolve=_relative)
NEW_RELATIVE = Field("relative", "--relative", resolve=_new_relative)
TAX_RELATIVE = Field("relative", "--relative", resolve=_tax_relative)  # no binding needed
REGION = Field("region", "--region", parse=lambda s, text: s.policy.find_region(text))
YEAR = Field("year", "--year", parse=lambda s, text: values.year(text))
TIER = Field("tier", "--tier", parse=lambda s, text: str(text))  # judged by the tier rule
NAME = Field("name", "--name", parse=lambda s, text: values.name(text))
RELATION = Field("relation", "--relation", parse=lambda s, text: values.relation(text))
PROOF = Field("proof", "--proof", parse=lambda s, text: values.proof(text))
REASON = Field("reason", "--reason", parse=lambda s, text: values.reason(text))
RECEIPT = Field("no", "NO", parse=lambda s, text: values.receipt_no(text), positional=True)
AMOUNT = Field("amount", "--amount", parse=lambda s, text: values.amount(text))


class Spec(msgspec.Struct, Generic[R], frozen=True):
    """The inputs of one use case, in the order they are asked and named when missing,
    and the request they make."""

    fields: tuple[Field, ...]
    kind: type[R]

    def given(self, session, **texts: str | None) -> Given[R]:
        """Every flag that was given, parsed now, before any store is opened."""
        parsed: dict[str, Any] = {}
        for f in self.fields:
            text = texts.get(f.key)
            if text is not None:
                parsed[f.key] = f.parse_text(session, text)
        return Given(self, session, parsed)


class Given(msgspec.Struct, Generic[R]):
    """A spec's flags as parsed; people are resolved later, against the records."""

    spec: Spec[R]
    session: Any
    values: dict[str, Any]

    def require(self, *optional: str) -> None:
        """MISSING_OPTION for the first missing flag (nobody can be asked)."""
        from famcov.session import missing_argument

        for f in self.spec.fields:
            if f.key in self.values or f.key in optional:
                continue
            if f.positional:
                raise missing_argument(f.flag)
            raise FamcovError("MISSING_OPTION", {"flag": f.flag})

    def resolved(self, records) -> dict[str, Any]:
        """Every value, people looked up in `records` in the spec's order."""
        found: dict[str, Any] = {}
        for f in self.spec.fields:
            if f.key not in self.values:
                continue
            value = self.values[f.key]
            if f.resolve is not None:
                value = f.resolve(self.session, records, found, value)
            found[f.key] = value
        return found

    def request(self, records, **extra: Any) -> R:
        """The spec's request: every value given, people resolved in `records`."""
        return build(self.spec.kind, self.resolved(records), **extra)


PAYMENT = Spec((PAYER, RELATIVE, REGION, YEAR, TIER), PaymentRequest)
BINDING = Spec((PAYER, NEW_RELATIVE, NAME, RELATION, PROOF), BindRequest)
MEMBER = Spec((PAYER, RELATIVE), MemberRequest)
REVOCATION = Spec((RECEIPT, REASON), RevokeRequest)
TAX_PAYMENT = Spec((PAYER, TAX_RELATIVE, REGION, YEAR, TIER), PaymentRequest)
RETURN = Spec((PAYER, TAX_RELATIVE, YEAR), ReturnRequest)
