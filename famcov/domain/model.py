"""Typed records of the state file. Decoding checks every type and constraint, and a
bad value is reported with the path where it broke (`$.workers[3].balance`).
The string formats (`Format`) are checked in bulk after decoding: see formats.py."""

# No `from __future__ import annotations`: msgspec would evaluate every annotation
# string on the first decode of a run (some 5 ms of each start).

import datetime as dt
from typing import Annotated, Literal, get_args

import msgspec

from famcov.domain.formats import Format

# 2: optional `channel`, `scenario`, `province` and the `return` ledger kind; a file
# with them is not one an older famcov (schema 1) can read, so it says "newer" there.
SCHEMA = 2

Id = Annotated[str, Format(r"^[0-9]{17}[0-9X]$")]
RegionCode = Annotated[str, Format(r"^[0-9]{6}$")]
# An insurance year, the one range for flags, prompts, the state file and the policy packs.
YEAR_MIN, YEAR_MAX = 2000, 2100
Year = Annotated[int, msgspec.Meta(ge=YEAR_MIN, le=YEAR_MAX)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Fen = int
ReceiptNo = Annotated[str, Format(r"^DJ[0-9]{8}[0-9]{4,}$")]

WorkerStatus = Literal["active", "suspended"]
Relation = Literal[
    "spouse",
    "parent",
    "child",
    "sibling",
    "grandparent",
    "maternal-grandparent",
    "grandchild",
    "maternal-grandchild",
]
# `school` and `counter`: collected at school, or paid at an insurance counter, a
# self-service machine or a community/village collection point (社区、村（组）).
Channel = Literal["tax", "bank", "wechat", "alipay", "school", "counter"]
RevokeReason = Literal["duplicate", "moved", "other"]
# `reserve` and `release` set a cross-province mutual-aid quota (共济额度) aside and
# give it back: they move no money (amount 0), only `quota`, the reserved part.
# `return`: Hubei's pay-then-return (先缴后返): the premium paid through the tax channel
# is returned to the worker out of the personal account (negative, like a payment).
LedgerKind = Literal["opening", "credit", "payment", "refund", "reserve", "release", "return"]
# A relation proof (关系证明): 户口本, 结婚证, 出生医学证明.
Proof = Literal["hukou", "marriage", "birth"]
# 亲情账户 membership: a relative of the policy's face age or over is `temporary`
# until face verification (人脸认证); younger ones and verified ones are `full`.
MemberStatus = Literal["temporary", "full"]

RELATIONS: tuple[Relation, ...] = get_args(Relation)
CHANNELS: tuple[Channel, ...] = get_args(Channel)
REVOKE_REASONS: tuple[RevokeReason, ...] = get_args(RevokeReason)
PROOFS: tuple[Proof, ...] = get_args(Proof)
WORKER_STATUSES: tuple[WorkerStatus, ...] = get_args(WorkerStatus)

# The one insurance type a proxy payment buys (险种当次信息).
INSURANCE = "resident-basic"


class Record(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, gc=False):
    """A record holds only strings, numbers and dates, so it can be in no reference
    cycle, and the garbage collector need not track it (a tenth off decoding)."""


class Worker(Record):
    """An employee-insured worker (职工医保) and their personal account (个人账户).

    `balance` is kept for quick reading and must always equal the sum of the
    worker's ledger entries; loading checks it.
    """

    id: Id
    name: Name
    region: RegionCode
    balance: Fen
    status: WorkerStatus = "active"


class Enrolment(Record):
    """A resident-insurance enrolment (参保登记) for one region and year."""

    id: Id
    name: Name
    region: RegionCode
    year: Year


class EmployeeInsured(Record):
    """Someone known to hold employee insurance, who needs no resident premium."""

    id: Id
    name: Name


class PaidElsewhere(Record):
    """A premium paid through another channel (税务, bank, WeChat, Alipay).

    Paid by a worker in the tax channel (自然人缴纳社保费, 是否代缴 ticked) it names the
    worker, the region, the tier and the amount, so that a province paying first and
    returning afterwards (湖北 先缴后返) can return it: `return_no` and `returned_on`
    then say it was returned, once, out of the personal account of the worker who
    applied (`returned_to`; before it was kept, the payer's)."""

    id: Id
    year: Year
    channel: Channel
    recorded_on: dt.date
    payer: Id | None = None
    region: RegionCode | None = None
    tier: str | None = None
    amount: Fen | None = None
    return_no: str | None = None
    returned_on: dt.date | None = None
    # the worker whose account paid the return: whoever paid, the applicant's
    returned_to: Id | None = None


class Binding(Record):
    """亲情账户: a relative bound to a worker's account. Never deleted: unbinding dates it."""

    payer: Id
    relative: Id
    name: Name
    relation: Relation
    bound_on: dt.date
    proof: str | None = None
    unbound_on: dt.date | None = None
    member: MemberStatus = "full"
    verified_on: dt.date | None = None

    @property
    def active(self) -> bool:
        return self.unbound_on is None

    @property
    def temporary(self) -> bool:
        return self.member == "temporary"


class Payment(Record):
    """A proxy payment (个人账户代缴) and what its receipt says."""

    no: ReceiptNo
    payer: Id
    payer_name: Name
    relative: Id
    relative_name: Name
    relation: Relation
    region: RegionCode
    year: Year
    tier: str
    amount: Fen
    balance_before: Fen
    balance_after: Fen
    paid_on: dt.date
    in_window: bool
    benefits_from: dt.date
    insurance: str = INSURANCE
    illustrative: bool = False
    status: Literal["paid", "revoked"] = "paid"
    revoked_on: dt.date | None = None
    revoke_reason: RevokeReason | None = None
    waiting_months: int | None = None  # outside the window: the months waited (0: a newborn)
    gap_years: int = 0  # years without cover that lengthened the waiting period
    # The channel pack (data/channels) it was paid through; None: the province's usual one.
    channel: str | None = None


class LedgerEntry(Record):
    """One movement of an account. Payments are negative, credits and refunds positive.

    `quota` and `relative`: the change in the part of the balance reserved as a
    cross-province quota for that relative (a reserve +, a release or a payment out
    of the quota -). The balance is still the sum of `amount`; what the worker may
    spend is the balance less the sum of `quota`.
    """

    seq: Annotated[int, msgspec.Meta(ge=1)]
    account: Id
    kind: LedgerKind
    amount: Fen
    on: dt.date
    ref: str | None = None
    quota: Fen = 0
    relative: Id | None = None


class Claim(Record):
    """已享受待遇: the relative used resident-insurance benefits of a year on a date (a
    claim settled). Once benefits are used, a proxy payment for that year is not revoked
    (Henan's conditions)."""

    id: Id
    year: Year
    on: dt.date


class ScenarioMark(Record):
    """The training scenario a state was made from (`famcov scenario start`): its name,
    for `scenario check` to grade against, and its simulated date, which every command
    uses until `--today` overrides it or the scenario ends."""

    name: Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]{0,40}$")]
    today: dt.date
    # the trainee this file was made for (`famcov scenario room`); absent in a file from
    # `scenario start` and in files older than the room
    trainee: Annotated[str, msgspec.Meta(min_length=1, max_length=40)] | None = None


class State(msgspec.Struct, forbid_unknown_fields=True):
    schema: int
    workers: list[Worker] = msgspec.field(default_factory=list)
    enrolments: list[Enrolment] = msgspec.field(default_factory=list)
    employees: list[EmployeeInsured] = msgspec.field(default_factory=list)
    paid_elsewhere: list[PaidElsewhere] = msgspec.field(default_factory=list)
    bindings: list[Binding] = msgspec.field(default_factory=list)
    payments: list[Payment] = msgspec.field(default_factory=list)
    ledger: list[LedgerEntry] = msgspec.field(default_factory=list)
    next_seq: Annotated[int, msgspec.Meta(ge=1)] = 1
    next_receipt: Annotated[int, msgspec.Meta(ge=1)] = 1
    # The channel (data/channels) the worker last chose with --channel, used when a payment
    # names none; absent (UNSET, not written) in files from before channels or without one.
    channel: str | msgspec.UnsetType = msgspec.UNSET
    # The scenario this state was started from; absent (UNSET) in any other state.
    scenario: ScenarioMark | msgspec.UnsetType = msgspec.UNSET
    # The province (its two-digit code) the trainee chose on the first run, whose channels
    # the wizard offers; absent (UNSET) in older files: the payer's own province then.
    province: str | msgspec.UnsetType = msgspec.UNSET
    # Benefits a relative used (已享受待遇), a record each; empty in older files.
    claims: list[Claim] = msgspec.field(default_factory=list)
    # Written last by the store: a digest of the file's bytes (see store.seal). Absent in
    # files written before it, or by hand; such a file is checked against every invariant.
    seal: str | None = None


def new_state() -> State:
    return State(schema=SCHEMA)
