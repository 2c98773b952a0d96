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

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import msgspec

from famcov import values
from famcov.domain.model import Channel, Proof, Relation, RevokeReason, WorkerStatus
from famcov.domain.policy import Region
from famcov.errors import FamcovError

if TYPE_CHECKING:
    from famcov.domain.policy import Policy
    from famcov.domain.records import Records

R = TypeVar("R")
T = TypeVar("T")

# -- fields: one parse per value ----------------------------------------------------


class Field(msgspec.Struct, frozen=True):
    """One input of a use case. `parse(session, text)` needs no store; `resolve(session,
    records, found, text, flag)` is for a person, looked up in the records (`found`
    holds the fields resolved before it, so a relative is looked up among the payer's)."""

    key: str
    flag: str
    parse: Callable[[Any, str], Any] | None = None
    resolve: Callable[[Any, Any, dict[str, Any], str, str], Any] | None = None
    positional: bool = False  # NO, FILE: an argument, named in words when missing

    def parse_text(self, session, text: str) -> Any:
        return self.parse(session, text) if self.parse is not None else text


def _payer(session, records, found, text: str, flag: str) -> str:
    from famcov.people import find_payer

    return find_payer(records, text, session.today, flag=flag)


def _relative(session, records, found, text: str, flag: str) -> str:
    from famcov.people import find_relative

    return find_relative(records, found.get("payer"), text, session.today, flag=flag)


def _new_relative(session, records, found, text: str, flag: str) -> str:
    from famcov.people import new_relative_id

    return new_relative_id(records, text, session.today, flag=flag)


def _new_person(session, records, found, text: str, flag: str) -> str:
    return values.person_id(text, flag=flag, today=session.today, known=records.names)


def _tax_relative(session, records, found, text: str, flag: str) -> str:
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
# the bureau's records name a person by --id: a worker, anyone known (or a new ID),
# or someone new to the records (a known name is theirs already)
WORKER_ID = Field("id", "--id", resolve=_payer)
PERSON_ID = Field("id", "--id", resolve=_new_relative)
NEW_ID = Field("id", "--id", resolve=_new_person)
BALANCE = Field(
    "balance",
    "--balance",
    parse=lambda s, text: values.amount(text, flag="--balance", allow_zero=True),
)
CHANNEL = Field("channel", "--channel", parse=lambda s, text: values.channel(text))


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
                value = f.resolve(self.session, records, found, value, f.flag)
            found[f.key] = value
        return found

    def request(self, records, **extra: Any) -> R:
        """The spec's request: every value given, people resolved in `records`."""
        return build(self.spec.kind, self.resolved(records), **extra)

    def commit(self, action: Callable[[Records, Policy, dt.date, R], T], **extra: Any) -> T:
        """The use case `action` on this request in one transaction of the session's
        store (people resolved in it), saved when it returns: what it returned. Every
        use case that changes the records takes (records, policy, today, request)."""
        s = self.session
        with s.store.transaction() as records:
            return action(records, s.policy, s.today, self.request(records, **extra))


# -- the requests the use cases take, each with its input spec --------------------


class PaymentRequest(msgspec.Struct, frozen=True):
    """代缴信息校验 and 代缴申请提交: who pays for whom, where, which year, which tier."""

    payer: str  # resolved resident IDs
    relative: str
    region: Region
    year: int
    tier: str | None = None  # None: not chosen yet (a check of everything else)
    accept_no_cover: bool = False
    channel: str | None = None


PAYMENT = Spec((PAYER, RELATIVE, REGION, YEAR, TIER), PaymentRequest)
TAX_PAYMENT = Spec((PAYER, TAX_RELATIVE, REGION, YEAR, TIER), PaymentRequest)


class BindRequest(msgspec.Struct, frozen=True):
    """亲情账户 → 添加家庭成员."""

    payer: str
    relative: str
    name: str
    relation: Relation  # a slug: child, parent, ...
    proof: Proof | None = None  # a slug: hukou, marriage, birth
    accepted: bool = False  # 《个人承诺书》
    confirm_gap: bool = False


BINDING = Spec((PAYER, NEW_RELATIVE, NAME, RELATION, PROOF), BindRequest)


class MemberRequest(msgspec.Struct, frozen=True):
    """One bound member of one payer: unbind, verify, a quota's release."""

    payer: str
    relative: str


MEMBER = Spec((PAYER, RELATIVE), MemberRequest)


class ReturnRequest(msgspec.Struct, frozen=True):
    """先缴后返 → 返还申请: the premium paid by tax for a relative and year, back out of the
    payer's personal account."""

    payer: str
    relative: str
    year: int


RETURN = Spec((PAYER, TAX_RELATIVE, YEAR), ReturnRequest)


class RevokeRequest(msgspec.Struct, frozen=True):
    """撤销 / 退费: a proxy payment by its receipt number, and why."""

    no: str
    reason: RevokeReason


REVOCATION = Spec((RECEIPT, REASON), RevokeRequest)


class QuotaRequest(msgspec.Struct, frozen=True):
    """跨省共济: a quota set aside from the payer's account for one bound member."""

    payer: str
    relative: str
    amount: int  # fen


QUOTA = Spec((PAYER, RELATIVE, AMOUNT), QuotaRequest)


# -- the bureau's records (famcov admin ..., the setup steps, the CSV import) -------


class WorkerRequest(msgspec.Struct, frozen=True):
    """An employee-insured worker and their personal account's opening balance."""

    id: str
    name: str
    region: Region
    balance: int  # fen
    status: WorkerStatus = "active"


WORKER = Spec((NEW_ID, NAME, REGION, BALANCE), WorkerRequest)


class EnrolRequest(msgspec.Struct, frozen=True):
    """A resident-insurance enrolment; with no region and year, an employee-insured
    person instead (`admin enrol --employee`)."""

    id: str
    name: str
    region: Region | None = None
    year: int | None = None


ENROLMENT = Spec((NEW_ID, NAME, REGION, YEAR), EnrolRequest)


class RecordRequest(msgspec.Struct, frozen=True):
    """A fact the bureau records of one person: a premium of a year paid through another
    channel, benefits used in a year, the monthly credit, a worker's move. Each use case
    has its spec's fields (below); the others are None."""

    id: str
    year: int | None = None
    channel: Channel | None = None
    amount: int | None = None  # fen
    region: Region | None = None


PAID_ELSEWHERE = Spec((PERSON_ID, YEAR, CHANNEL), RecordRequest)
CLAIM = Spec((PERSON_ID, YEAR), RecordRequest)
CREDIT = Spec((WORKER_ID, AMOUNT), RecordRequest)
MOVE = Spec((WORKER_ID, REGION), RecordRequest)


def build(kind: type[R], answers: dict[str, Any], **extra: Any) -> R:
    """A request from a wizard's answers (or a setup step), taking the fields it has."""
    names = set(kind.__struct_fields__)  # type: ignore[attr-defined]
    given = {k: v for k, v in answers.items() if k in names and v is not None}
    given.update((k, v) for k, v in extra.items() if v is not None)
    return kind(**given)
