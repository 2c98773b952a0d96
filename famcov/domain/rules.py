"""Every rule that refuses a binding or a payment, each its own small function.

A rule returns a RuleResult: its stable code, whether it passed, failed or could
not be judged (skipped, because an earlier fact is missing), and the parameters
of its message. `check`, `pay` and the wizard all call `payment_rules`; `bind`
and the bind wizard call `binding_rules`. Messages live in the catalogues under
`rule.<CODE>.<status>`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from famcov.domain.ids import mask
from famcov.domain.model import Binding, MemberStatus, Payment, Worker
from famcov.domain.money import yuan
from famcov.domain.policy import Policy, Province, Region
from famcov.domain.records import Records
from famcov.errors import FamcovError
from famcov.i18n import Msg

Status = Literal["passed", "failed", "skipped"]


@dataclass(frozen=True)
class RuleResult:
    code: str
    status: Status
    params: dict[str, Any] = field(default_factory=dict)
    message_variant: str = ""  # a message other than the status's (`confirmed`)

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    @property
    def message(self) -> Msg:
        return Msg(f"rule.{self.code}.{self.message_variant or self.status}", self.params)

    def as_error(self) -> FamcovError:
        variant = self.message_variant or "failed"
        return FamcovError(self.code, self.params, message_key=f"rule.{self.code}.{variant}")


def _result(code: str, ok: bool, **params: Any) -> RuleResult:
    return RuleResult(code, "passed" if ok else "failed", params)


def _skip(code: str, **params: Any) -> RuleResult:
    return RuleResult(code, "skipped", params)


def relation_name(relation: str) -> Msg:
    return Msg(f"relation.{relation}")


# -- payment (信息校验) ----------------------------------------------------------


@dataclass
class PaymentCase:
    """Everything the payment rules look at. `tier_text` is None when no tier is chosen yet."""

    records: Records
    policy: Policy
    today: dt.date
    payer: Worker
    relative: str
    region: Region
    year: int
    tier_text: str | None = None
    accept_no_cover: bool = False  # the trainee confirmed a waiting period past the year's end

    @property
    def binding(self) -> Binding | None:
        return self.records.active_binding(self.payer.id, self.relative)

    @property
    def payer_province(self):
        return self.policy.province_of(self.payer.region)

    @property
    def province(self):
        return self.policy.province_of(self.region.code)

    @property
    def year_policy(self):
        return self.policy.year_policy(self.region.code, self.year)

    @property
    def tiers(self) -> list:
        year_policy = self.year_policy
        return year_policy.tiers_for(self.region.code) if year_policy else []

    @property
    def tier(self):
        """The chosen tier, by id or by its shown name; None if not chosen or unknown."""
        if self.tier_text is None:
            return None
        wanted = self.tier_text.strip()
        for tier in self.tiers:
            if wanted.casefold() in (tier.id, tier.name.zh.casefold(), tier.name.en.casefold()):
                return tier
        return None

    @property
    def amount(self) -> int | None:
        """The amount to pay: the chosen tier's, or before choosing, the cheapest tier's."""
        if self.tier_text is not None:
            tier = self.tier
            return tier.fen if tier else None
        return min((t.fen for t in self.tiers), default=None)


def payer_active(case: PaymentCase | ReturnCase) -> RuleResult:
    return _result("PAYER_INACTIVE", case.payer.status == "active", name=case.payer.name)


def relative_bound(case: PaymentCase) -> RuleResult:
    return member_bound(case.records, case.payer.id, case.relative)


def member_bound(records: Records, payer: str, relative: str) -> RuleResult:
    """The relative is a member of the payer's family account now (pay, unbind, verify)."""
    bound = records.active_binding(payer, relative) is not None
    return _result("NOT_BOUND", bound, relative=mask(relative))


def relation_allowed(case: PaymentCase) -> RuleResult:
    binding, province = case.binding, case.payer_province
    if binding is None or province is None:
        return _skip("RELATION_NOT_ALLOWED")
    return _result(
        "RELATION_NOT_ALLOWED",
        province.allows(binding.relation),
        relation=relation_name(binding.relation),
        province=province.name,
    )


def same_province(case: PaymentCase) -> RuleResult:
    payer_province, province = case.payer_province, case.province
    if payer_province is None:
        return _skip("CROSS_PROVINCE")
    params = {
        "region": case.region.name,
        "province": province.name if province else case.region.code,
        "payer_province": payer_province.name,
    }
    if province is payer_province:
        return RuleResult("CROSS_PROVINCE", "passed", params)
    if payer_province.scope.value != "cross-province-quota":
        return RuleResult("CROSS_PROVINCE", "failed", params)
    # 跨省共济 (the 2026 notice, as a what-if): paid out of the quota reserved for the relative
    quota = case.records.quota(case.payer.id, case.relative)
    return RuleResult(
        "CROSS_PROVINCE",
        "passed" if quota > 0 else "failed",
        {**params, "quota": yuan(quota)},
        message_variant="quota" if quota > 0 else "no_quota",
    )


def from_quota(case: PaymentCase) -> bool:
    """A cross-province payment under the quota scheme: it spends the relative's quota."""
    payer_province, province = case.payer_province, case.province
    return (
        payer_province is not None
        and province is not payer_province
        and payer_province.scope.value == "cross-province-quota"
    )


def relative_enrolled(case: PaymentCase) -> RuleResult:
    records = case.records
    if records.holds_employee_insurance(case.relative):
        return _skip("NOT_ENROLLED")
    if records.enrolment(case.relative, case.region.code, case.year) is not None:
        return _result("NOT_ENROLLED", True, region=case.region.name, year=case.year)
    elsewhere = [e for e in records.enrolments.get(case.relative, ()) if e.year == case.year]
    if elsewhere:
        other = case.policy.region(elsewhere[0].region)
        return RuleResult(
            "NOT_ENROLLED",
            "failed",
            {
                "region": case.region.name,
                "year": case.year,
                "hint": Msg(
                    "hint.enrolled_elsewhere",
                    {"region": other.name if other else elsewhere[0].region},
                ),
            },
        )
    return RuleResult(
        "NOT_ENROLLED",
        "failed",
        {
            "region": case.region.name,
            "year": case.year,
            "hint": Msg("hint.enrol_first", {"region": case.region.name}),
        },
    )


def relative_not_employee(case: PaymentCase) -> RuleResult:
    return _result(
        "RELATIVE_HAS_EMPLOYEE_INSURANCE", not case.records.holds_employee_insurance(case.relative)
    )


def year_open(case: PaymentCase) -> RuleResult:
    year_policy = case.year_policy
    if year_policy is None:
        return RuleResult(
            "YEAR_NOT_OPEN",
            "failed",
            {"year": case.year, "period": "—", "window": "—", "hint": Msg("hint.no_year")},
        )
    period = year_policy.open_for(case.region.code)
    shown = f"{period.start.isoformat()} ~ {period.end.isoformat()}"
    window = year_policy.window_for(case.region.code)
    hint = Msg("hint.not_yet_open" if case.today < period.start else "hint.year_closed")
    born = birth_date(case.relative)
    if (
        case.today not in period
        and case.today > period.end
        and born is not None
        and born.year == case.year
        and newborn_within(case.province, case.relative, case.today)
    ):
        # a newborn's 90 days may cross the year end: the birth year can still be paid
        days = case.province.waiting.newborn_days.value if case.province else 0
        return RuleResult(
            "YEAR_NOT_OPEN",
            "passed",
            {"year": case.year, "date": born.isoformat(), "days": days},
            message_variant="newborn",
        )
    return _result(
        "YEAR_NOT_OPEN",
        case.today in period,
        year=case.year,
        period=shown,
        window=f"{window.start.isoformat()} ~ {window.end.isoformat()}",
        hint=hint,
    )


def illustrative_read(case: PaymentCase) -> list[Msg]:
    """The 示意 values a check read (no public source confirms them): said beside the
    result, not only by `famcov policy`."""
    year_policy = case.year_policy
    if year_policy is None:
        return []
    read = []
    window = year_policy.window_for(case.region.code)
    if window.illustrative or year_policy.open.illustrative:
        read.append(Msg("bureau.read.window"))
    if year_policy.waiting_months.illustrative:
        read.append(Msg("bureau.read.waiting"))
    tiers = [case.tier] if case.tier is not None else case.tiers
    if any(t.illustrative for t in tiers):
        read.append(Msg("bureau.read.tiers"))
    if not read:
        return []
    return [Msg("bureau.read.illustrative", {"what": read})]


def tier_exists(case: PaymentCase) -> RuleResult:
    if case.year_policy is None:
        return _skip("UNKNOWN_TIER")
    # shown by name (个人缴费标准 400.00), which --tier accepts as well as the id
    choices = [Msg("word.tier_choice", {"name": t.name, "amount": yuan(t.fen)}) for t in case.tiers]
    if case.tier_text is None:
        return _result("UNKNOWN_TIER", bool(choices), tier="", choices=choices)
    return _result("UNKNOWN_TIER", case.tier is not None, tier=case.tier_text, choices=choices)


def not_already_paid(case: PaymentCase) -> RuleResult:
    paid = case.records.paid_by_relative_year.get((case.relative, case.year))
    if paid is None:
        return _result("ALREADY_PAID", True, year=case.year)
    by_self = paid.payer == case.payer.id
    return RuleResult(
        "ALREADY_PAID",
        "failed",
        {
            "year": case.year,
            "no": paid.no,
            "payer": Msg("word.you")
            if by_self
            else Msg("word.someone", {"name": paid.payer_name, "id": mask(paid.payer)}),
        },
    )


def not_paid_elsewhere(case: PaymentCase) -> RuleResult:
    record = case.records.paid_elsewhere.get((case.relative, case.year))
    if record is None:
        return _result("PAID_ELSEWHERE", True, year=case.year)
    return RuleResult(
        "PAID_ELSEWHERE", "failed", {"year": case.year, "channel": Msg(f"channel.{record.channel}")}
    )


def balance_enough(case: PaymentCase) -> RuleResult:
    amount = case.amount
    if amount is None:
        return _skip("INSUFFICIENT_BALANCE")
    province = case.province or case.payer_province
    days = province.revocation.refund_days.value if province is not None else 2
    if from_quota(case):
        quota = case.records.quota(case.payer.id, case.relative)
        return RuleResult(
            "INSUFFICIENT_BALANCE",
            "passed" if quota >= amount else "failed",
            {
                "quota": yuan(quota),
                "amount": yuan(amount),
                "shortfall": yuan(max(amount - quota, 0)),
                "days": days,
            },
            message_variant="quota_ok" if quota >= amount else "quota_short",
        )
    balance = case.records.spendable(case.payer)
    reserved = case.payer.balance - balance
    above = province is not None and province.balance_above_premium.value
    ok = balance > amount if above else balance >= amount
    if above and balance == amount and not reserved:
        # 余额应大于…否则缴费将失败: an equal balance fails too
        return RuleResult(
            "INSUFFICIENT_BALANCE",
            "failed",
            {
                "balance": yuan(balance),
                "amount": yuan(amount),
                "days": days,
                "mark": illustrative_mark(province.balance_above_premium if province else None),
            },
            message_variant="bureau_equal",
        )
    return RuleResult(
        "INSUFFICIENT_BALANCE",
        "passed" if ok else "failed",
        {
            "balance": yuan(balance),
            "amount": yuan(amount),
            "shortfall": yuan(max(amount - balance, 0)),
            "days": days,
            "reserved": yuan(reserved),
        },
        # with a quota set aside, the message says what is left to spend
        message_variant="" if not reserved else ("reserved_ok" if ok else "reserved_short"),
    )


PAYMENT_RULES: tuple[Callable[[PaymentCase], RuleResult], ...] = (
    payer_active,
    relative_bound,
    relation_allowed,
    same_province,
    relative_enrolled,
    relative_not_employee,
    year_open,
    tier_exists,
    not_already_paid,
    not_paid_elsewhere,
    balance_enough,
)


def payment_rules(case: PaymentCase) -> list[RuleResult]:
    return [rule(case) for rule in PAYMENT_RULES]


# -- binding (亲情账户) ----------------------------------------------------------


@dataclass
class BindingCase:
    records: Records
    province: Province | None  # the payer's
    payer: Worker
    relative: str
    name: str
    relation: str
    proof: str | None
    accepted: bool
    today: dt.date | None = None
    confirm_gap: bool = False  # the trainee confirmed an unusual age gap


def commitment_accepted(case: BindingCase) -> RuleResult:
    return _result("COMMITMENT_REQUIRED", case.accepted)


def not_self(case: BindingCase) -> RuleResult:
    return _result("CANNOT_BIND_SELF", case.payer.id != case.relative)


def not_already_bound(case: BindingCase) -> RuleResult:
    bound = case.records.active_binding(case.payer.id, case.relative)
    return _result("ALREADY_BOUND", bound is None, relative=mask(case.relative), name=case.name)


def name_matches(case: BindingCase) -> RuleResult:
    """The name given is the one the records hold for the ID: an enrolment's, a worker's,
    an employee's, or the name any binding of that ID was made under, ended or not."""
    known = case.records.known_name(case.relative)
    if known is None:
        known = next(
            (b.name for b in case.records.state.bindings if b.relative == case.relative), None
        )
    return _result(
        "NAME_MISMATCH",
        known is None or known == case.name,
        relative=mask(case.relative),
        name=case.name,
    )


def relation_allowed_to_bind(case: BindingCase) -> RuleResult:
    if case.province is None:
        return _skip("RELATION_NOT_ALLOWED")
    return _result(
        "RELATION_NOT_ALLOWED",
        case.province.allows(case.relation),
        relation=relation_name(case.relation),
        province=case.province.name,
    )


def proof_given(case: BindingCase) -> RuleResult:
    needed = case.province is not None and case.province.proof_required.value
    ok = not needed or bool(case.proof)
    if ok or case.province is None or not case.province.proof_required.says:
        return _result("PROOF_REQUIRED", ok, province=case.province.name if case.province else "")
    # the sources disagree: famcov asks for it as an illustrative value and says why
    value = case.province.proof_required
    return RuleResult(
        "PROOF_REQUIRED",
        "failed",
        {"province": case.province.name, "says": sources_say(value)},
        message_variant="disputed",
    )


def sources_say(value: Any) -> Msg:
    """What each source says of a value the sources disagree on, one after another."""
    from famcov.domain.policy import Text

    said = getattr(value, "says", None) or []
    return Msg(
        "bureau.sources_say",
        {"says": Text(zh="；".join(t.zh for t in said), en="; ".join(t.en for t in said))},
    )


BINDING_RULES: tuple[Callable[[BindingCase], RuleResult], ...] = (
    commitment_accepted,
    not_self,
    not_already_bound,
    name_matches,
    relation_allowed_to_bind,
    proof_given,
)


def binding_rules(case: BindingCase) -> list[RuleResult]:
    return [rule(case) for rule in BINDING_RULES]


def name_checked(text: str, *, flag: str = "--name") -> str:
    """A person's name: letters (any script), inner spaces and the separators of
    transliterated names (· • - ' .); 1 to 40 characters."""
    import unicodedata

    name = " ".join(str(text).split())
    if not 1 <= len(name) <= 40:
        raise FamcovError("INVALID_NAME", {"flag": flag, "value": name[:40]})
    for ch in name:
        if ch in " ·•・-'.’" or unicodedata.category(ch)[0] in "LM":
            continue
        raise FamcovError("INVALID_NAME", {"flag": flag, "value": name[:40]})
    if not any(unicodedata.category(ch)[0] == "L" for ch in name):
        raise FamcovError("INVALID_NAME", {"flag": flag, "value": name[:40]})
    return name


# -- rules the bureaus add (issue 12) -----------------------------------------------
# Each reads its parameters from the province's policy pack (`revocation`, `waiting`,
# `members`): sourced there, or marked illustrative.


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


# Relations whose relative is older than the worker (+) or younger (-), and by how many
# generations.
GENERATIONS = {
    "parent": 1,
    "grandparent": 2,
    "maternal-grandparent": 2,
    "child": -1,
    "grandchild": -2,
    "maternal-grandchild": -2,
}


def relation_matches_ids(case: BindingCase) -> RuleResult:
    """A parent is born before the worker, a child after: the ID numbers say when."""
    generations = GENERATIONS.get(case.relation)
    worker_born, relative_born = birth_date(case.payer.id), birth_date(case.relative)
    if generations is None or worker_born is None or relative_born is None:
        return _skip("RELATION_BIRTH_ORDER")
    older, younger = (
        (relative_born, worker_born) if generations > 0 else (worker_born, relative_born)
    )
    return _result(
        "RELATION_BIRTH_ORDER",
        older < younger,
        relation=relation_name(case.relation),
        worker=worker_born.isoformat(),
        relative=relative_born.isoformat(),
        order=Msg("word.born_after" if generations > 0 else "word.born_before"),
        # an elder who is younger is perhaps a child or grandchild, and the other way round
        hint=Msg("hint.relation_younger" if generations > 0 else "hint.relation_older"),
    )


def generation_gap_plausible(case: BindingCase) -> RuleResult:
    """A parent 10 years older is possible on paper but worth a second look: the trainee
    must confirm it (--confirm-gap). The threshold is the pack's `members.warn_generation_gap`."""
    generations = GENERATIONS.get(case.relation)
    worker_born, relative_born = birth_date(case.payer.id), birth_date(case.relative)
    if generations is None or worker_born is None or relative_born is None:
        return _skip("RELATION_GAP")
    older, younger = (
        (relative_born, worker_born) if generations > 0 else (worker_born, relative_born)
    )
    gap = years_between(older, younger)
    if older >= younger:
        return _skip("RELATION_GAP")
    members = case.province.members if case.province is not None else None
    per_generation = members.warn_generation_gap.value if members else 14
    least = per_generation * abs(generations)
    plausible = gap >= least
    return _result(
        "RELATION_GAP",
        plausible or case.confirm_gap,
        relation=relation_name(case.relation),
        gap=gap,
        least=least,
        confirmed=Msg("word.gap_confirmed") if case.confirm_gap and not plausible else "",
    )


def face_or_proof(case: BindingCase) -> RuleResult:
    """Under the face age (16) a binding needs a relation proof (户口本 or 出生医学证明)
    instead of face verification; at that age or over, face verification comes later and
    the relative is a temporary member until then."""
    age = age_on(case.relative, case.today) if case.today else None
    members = case.province.members if case.province is not None else None
    if age is None or members is None:
        return _skip("MINOR_PROOF_REQUIRED")
    if age >= members.face_age.value:
        return RuleResult(
            "MINOR_PROOF_REQUIRED", "skipped", {"age": age, "face_age": members.face_age.value}
        )
    allowed = members.minor_proofs.value
    return _result(
        "MINOR_PROOF_REQUIRED",
        case.proof in allowed,
        age=age,
        face_age=members.face_age.value,
        proofs=[Msg(f"proof.{p}") for p in allowed],
    )


def member_status(province, relative: str, today: dt.date) -> MemberStatus:
    """The status a new binding starts with: temporary until face verification at the
    face age or over, full below it (the relation proof stands in)."""
    age = age_on(relative, today)
    face_age = province.members.face_age.value if province is not None else 16
    return "temporary" if age is None or age >= face_age else "full"


# -- revocation (撤销) -----------------------------------------------------------------


@dataclass
class RevocationCase:
    payment: Payment
    policy: Policy
    today: dt.date
    payer: Worker | None
    used_on: dt.date | None = None  # the first day the relative used the year's benefits

    @property
    def province(self):
        return self.policy.province_of(self.payment.region)


def revoke_in_window(case: RevocationCase) -> RuleResult:
    province = case.province
    if province is None or not province.revoke_in_window_only.value:
        return _skip("REVOKE_CLOSED")
    year_policy = case.policy.year_policy(case.payment.region, case.payment.year)
    window = year_policy.window_for(case.payment.region) if year_policy else None
    shown = f"{window.start} ~ {window.end}" if window else "—"
    return _result(
        "REVOKE_CLOSED",
        window is not None and case.today in window,
        no=case.payment.no,
        province=province.name,
        window=shown,
    )


def revoke_not_reconciled(case: RevocationCase) -> RuleResult:
    """Before 对账/清算: famcov takes a year's payments as reconciled once its open
    period has ended (the pack says whether this applies)."""
    province = case.province
    if province is None or not province.revocation.reconciled_after_open.value:
        return _skip("REVOKE_RECONCILED")
    year_policy = case.policy.year_policy(case.payment.region, case.payment.year)
    if year_policy is None:
        return _skip("REVOKE_RECONCILED")
    period = year_policy.open_for(case.payment.region)
    return _result(
        "REVOKE_RECONCILED",
        case.today <= period.end,
        no=case.payment.no,
        year=case.payment.year,
        date=period.end.isoformat(),
    )


def revoke_payer_active(case: RevocationCase) -> RuleResult:
    province = case.province
    if province is None or not province.revocation.payer_active.value or case.payer is None:
        return _skip("REVOKE_PAYER_ENDED")
    return _result(
        "REVOKE_PAYER_ENDED",
        case.payer.status == "active",
        name=case.payer.name,
        province=province.name,
    )


def revoke_not_too_soon(case: RevocationCase) -> RuleResult:
    """`min_hours` after paying: famcov keeps dates, not times, so the day of payment
    counts as inside the hours and a revocation waits until the next day."""
    province = case.province
    hours = province.revocation.min_hours.value if province is not None else 0
    if hours <= 0:
        return _skip("REVOKE_TOO_SOON")
    return _result(
        "REVOKE_TOO_SOON",
        case.today > case.payment.paid_on,
        hours=hours,
        date=case.payment.paid_on.isoformat(),
        province=province.name,
    )


def revoke_benefits_unused(case: RevocationCase) -> RuleResult:
    """Before the relative has used benefits of the year (已享受待遇): a claim on record
    on or before today ends any revocation, where the pack says so."""
    province = case.province
    if province is None or not province.revocation.benefits_unused.value:
        return _skip("REVOKE_BENEFITS_USED")
    used = case.used_on is not None and case.used_on <= case.today
    return _result(
        "REVOKE_BENEFITS_USED",
        not used,
        no=case.payment.no,
        year=case.payment.year,
        date=case.used_on.isoformat() if used and case.used_on else "",
        mark=illustrative_mark(province.revocation.benefits_unused),
    )


REVOCATION_RULES: tuple[Callable[[RevocationCase], RuleResult], ...] = (
    revoke_in_window,
    revoke_not_reconciled,
    revoke_payer_active,
    revoke_not_too_soon,
    revoke_benefits_unused,
)


def not_revoked(payment: Payment) -> RuleResult:
    """A payment is revoked once: the money went back the first time."""
    if payment.status != "revoked":
        return _result("ALREADY_REVOKED", True, no=payment.no)
    return _result("ALREADY_REVOKED", False, no=payment.no, date=str(payment.revoked_on))


def revocation_rules(case: RevocationCase) -> list[RuleResult]:
    return [rule(case) for rule in REVOCATION_RULES]


# -- waiting period (待遇等待期, 国办发〔2024〕38号) ----------------------------------------


@dataclass(frozen=True)
class Terms:
    """When a payment's benefits start (国办发〔2024〕38号): paid inside the window by
    someone continuously insured, on 1 January of the year; otherwise after the fixed
    months plus a month per year of lapse (less a month per missed year paid back, with
    a floor after long lapses); a newborn paid for within the pack's days from birth."""

    in_window: bool
    benefits_from: dt.date
    months: int = 0
    gap_years: int = 0
    newborn: bool = False
    repaired: int = 0

    def past_year_end(self, year: int) -> bool:
        return self.benefits_from > dt.date(year, 12, 31)


def covered(records: Records, relative: str, year: int) -> bool:
    """The records show cover for that year: a proxy payment, another channel's, or
    employee insurance."""
    return (
        (relative, year) in records.paid_by_relative_year
        or (relative, year) in records.paid_elsewhere
        or records.holds_employee_insurance(relative)
    )


def paid_back(records: Records, relative: str, year: int) -> bool:
    """The year was paid only after it had ended (补缴): a lapse, repaired afterwards."""
    proxy = records.paid_by_relative_year.get((relative, year))
    if proxy is not None:
        return proxy.paid_on > dt.date(year, 12, 31)
    other = records.paid_elsewhere.get((relative, year))
    return other is not None and other.recorded_on > dt.date(year, 12, 31)


def lapse(
    records: Records, relative: str, year: int, today: dt.date | None = None
) -> tuple[int, int]:
    """Years without cover in time (断保) right before `year`, and how many of them were
    paid back afterwards, counted back to the first year the records know the relative
    in (an enrolment, a payment): famcov cannot know earlier. A year not yet over on
    `today` can still be paid: it is no lapse (yet), and the count goes on before it."""
    known = [e.year for e in records.enrolments.get(relative, ())]
    known += [y for (r, y) in records.paid_elsewhere if r == relative]
    first = min(known, default=year)
    gaps = repaired = 0
    y = year - 1
    while y >= first:
        if today is not None and y >= today.year and not covered(records, relative, y):
            y -= 1  # still payable this year
            continue
        if not covered(records, relative, y):
            gaps += 1
        elif paid_back(records, relative, y):
            gaps, repaired = gaps + 1, repaired + 1
        else:
            break
        y -= 1
    return gaps, repaired


def gap_years(records: Records, relative: str, year: int) -> int:
    return lapse(records, relative, year)[0]


def add_months(day: dt.date, months: int) -> dt.date:
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def newborn_within(province: Province | None, relative: str, day: dt.date) -> bool:
    """The relative was born no more than the pack's `newborn_days` before `day`."""
    born = birth_date(relative)
    days = province.waiting.newborn_days.value if province is not None else 0
    return born is not None and days > 0 and born <= day <= born + dt.timedelta(days=days)


def terms(
    province, year_policy, records: Records, relative: str, region: str, year: int, today: dt.date
) -> Terms:
    born = birth_date(relative)
    start = dt.date(year, 1, 1)
    in_window = today in year_policy.window_for(region)
    waiting = province.waiting if province is not None else None
    days = waiting.newborn_days.value if waiting is not None else 0
    if days and born is not None and born.year >= year - 1:
        # a baby's first year: from birth within the days, else from the payment date
        if newborn_within(province, relative, today):
            return Terms(in_window, max(start, born), newborn=True)
        if born.year == year or not in_window:
            return Terms(in_window, max(start, born, today), newborn=True)
    gaps, repaired = lapse(records, relative, year, today) if waiting is not None else (0, 0)
    if in_window and not gaps:
        return Terms(True, max(start, born or start))
    per_gap = waiting.per_gap_year_months.value if waiting is not None else 0
    per_repair = waiting.repair_months_per_year.value if waiting is not None else 0
    extra = max(gaps * per_gap - repaired * per_repair, 0)
    months = year_policy.waiting_months.value + extra
    if waiting is not None and repaired and gaps >= waiting.repair_floor_after_years.value:
        months = max(months, waiting.repair_floor_months.value)
    # inside the window a lapse waits from 1 January; outside it from the payment date
    return Terms(in_window, add_months(max(today, start), months), months, gaps, False, repaired)


def case_terms(case: PaymentCase) -> Terms | None:
    if case.year_policy is None:
        return None
    return terms(
        case.province,
        case.year_policy,
        case.records,
        case.relative,
        case.region.code,
        case.year,
        case.today,
    )


def waiting_within_year(case: PaymentCase) -> RuleResult:
    """A payment whose waiting period runs past 31 December buys no cover that year:
    refused, or (as the pack says) allowed only once the trainee confirms it."""
    found = case_terms(case)
    if found is None or case.province is None:
        return _skip("WAITING_PAST_YEAR")
    if case.today not in case.year_policy.open_for(case.region.code):
        return _skip("WAITING_PAST_YEAR")  # the year is not open: nothing to wait for
    params = {
        "year": case.year,
        "date": found.benefits_from.isoformat(),
        "months": found.months,
        "gaps": found.gap_years,
    }
    if not found.past_year_end(case.year):
        return RuleResult("WAITING_PAST_YEAR", "passed", params)
    if case.province.waiting.past_year_end.value == "refuse":
        return RuleResult("WAITING_PAST_YEAR", "failed", {**params, "todo": Msg("hint.no_cover")})
    if case.accept_no_cover:
        return RuleResult("WAITING_PAST_YEAR", "passed", {**params}, message_variant="confirmed")
    return RuleResult(
        "WAITING_PAST_YEAR", "failed", {**params, "todo": Msg("hint.confirm_no_cover")}
    )


PAYMENT_RULES = (*PAYMENT_RULES, waiting_within_year)
BINDING_RULES = (*BINDING_RULES, relation_matches_ids, generation_gap_plausible, face_or_proof)


# -- the tax channel (自然人缴纳社保费, 是否代缴) ---------------------------------------------
# Anyone may pay a resident's premium there with their own money: no binding, no account.
# The tax bureau still knows whom it is for: an enrolment for the region and year, no
# employee insurance, an open year, a tier, and no payment for that year already —
# a year paid by proxy is the duplicate the receipts warn about.

ACCOUNT_RULES = (payer_active, relative_bound, relation_allowed, same_province, balance_enough)
TAX_PAYMENT_RULES: tuple[Callable[[PaymentCase], RuleResult], ...] = tuple(
    rule
    for rule in PAYMENT_RULES
    if rule not in ACCOUNT_RULES  # the payment rules but the account's
)


def tax_payment_rules(case: PaymentCase) -> list[RuleResult]:
    return [rule(case) for rule in TAX_PAYMENT_RULES]


# -- 先缴后返: the return of a premium paid through the tax channel (湖北) -------------------


@dataclass
class ReturnCase:
    """A return application (个人账户支付城乡居民医保缴费申请): a relative's premium was
    paid through the tax channel in the relative's name — by the worker, the relative or
    anyone (the tax system does not know who held the phone) — and the worker asks for
    the amount to be paid out of the personal account to the worker's bank account."""

    records: Records
    policy: Policy
    today: dt.date
    payer: Worker
    relative: str
    year: int

    @property
    def paid(self):
        """The premium the records hold for the relative and year from another channel."""
        return self.records.paid_elsewhere.get((self.relative, self.year))

    @property
    def binding(self) -> Binding | None:
        return self.records.active_binding(self.payer.id, self.relative)

    @property
    def amount(self) -> int | None:
        """What was paid: as recorded, or for a payment recorded without an amount (the
        relative paid at the tax bureau), the cheapest tier of the region the relative
        is enrolled in that year."""
        paid = self.paid
        if paid is None:
            return None
        if paid.amount is not None:
            return paid.amount
        region = paid.region or next(
            (
                e.region
                for e in self.records.enrolments.get(self.relative, ())
                if e.year == self.year
            ),
            None,
        )
        year_policy = self.policy.year_policy(region, self.year) if region else None
        tiers = year_policy.tiers_for(region) if year_policy and region else []
        return min((t.fen for t in tiers), default=None)

    @property
    def province(self):
        """The payer's: the return comes out of the payer's personal account, under the
        rules of the province that keeps it."""
        return self.policy.province_of(self.payer.region)

    @property
    def return_channel(self):
        """The channel of the province that pays first and returns afterwards, if any."""
        province = self.province
        if province is None:
            return None
        return next(
            (c for c in self.policy.channels(province) if c.funds == "pay-then-return"), None
        )


def return_offered(case: ReturnCase) -> RuleResult:
    province = case.province
    return _result(
        "RETURN_NOT_OFFERED",
        case.return_channel is not None,
        province=province.name if province is not None else "—",
    )


def return_relative_bound(case: ReturnCase) -> RuleResult:
    return member_bound(case.records, case.payer.id, case.relative)


def return_paid_by_tax(case: ReturnCase) -> RuleResult:
    """The premium must have been paid through the tax channel — by anyone: the tax
    system records it in the relative's name. A proxy payment came out of the account
    already; a school, counter or bank payment is not returned."""
    paid = case.paid
    proxy = case.records.paid_by_relative_year.get((case.relative, case.year))
    if paid is None:
        hint = Msg("hint.return_proxy", {"no": proxy.no}) if proxy else Msg("hint.return_pay")
        return RuleResult("RETURN_NOT_PAID", "failed", {"year": case.year, "hint": hint})
    amount = case.amount
    if paid.channel != "tax" or amount is None:
        return RuleResult(
            "RETURN_NOT_PAID",
            "failed",
            {
                "year": case.year,
                "hint": Msg("hint.return_channel", {"channel": Msg(f"channel.{paid.channel}")}),
            },
        )
    by = (
        Msg("word.you")
        if paid.payer == case.payer.id
        else Msg("bureau.word.paid_by_other", {"id": mask(paid.payer)})
        if paid.payer
        else Msg("bureau.word.paid_by_relative")
    )
    return _result("RETURN_NOT_PAID", True, year=case.year, amount=yuan(amount), by=by)


def return_waited(case: ReturnCase) -> RuleResult:
    """The guide: apply only some days after the payment (Hubei: 5)."""
    paid, province = case.paid, case.province
    days = province.returns.wait_days.value if province is not None else 0
    if paid is None or paid.channel != "tax" or days <= 0:
        return _skip("RETURN_TOO_SOON")
    ready = paid.recorded_on + dt.timedelta(days=days)
    return _result(
        "RETURN_TOO_SOON",
        case.today >= ready,
        days=days,
        paid=paid.recorded_on.isoformat(),
        date=ready.isoformat(),
        mark=illustrative_mark(province.returns.wait_days) if province else "",
    )


def return_year_allowed(case: ReturnCase) -> RuleResult:
    """The guide: the current year and the next only."""
    province = case.province
    if province is None:
        return _skip("RETURN_YEAR_NOT_ALLOWED")
    ahead = province.returns.years_ahead.value
    first, last = case.today.year, case.today.year + ahead
    return _result(
        "RETURN_YEAR_NOT_ALLOWED",
        first <= case.year <= last,
        year=case.year,
        first=first,
        last=last,
        mark=illustrative_mark(province.returns.years_ahead),
    )


def illustrative_mark(value) -> Msg | str:
    """示意 after a value no public source confirms, where a rule's message reads it."""
    return Msg("bureau.mark.illustrative") if getattr(value, "illustrative", False) else ""


def return_not_claimed(case: ReturnCase) -> RuleResult:
    paid = case.paid
    if paid is None:
        return _skip("RETURN_ALREADY_CLAIMED")
    return _result(
        "RETURN_ALREADY_CLAIMED",
        paid.return_no is None,
        year=case.year,
        no=paid.return_no or "",
        date=str(paid.returned_on or ""),
    )


def return_balance_enough(case: ReturnCase) -> RuleResult:
    amount = case.amount
    if case.paid is None or amount is None:
        return _skip("INSUFFICIENT_BALANCE")
    balance = case.records.spendable(case.payer)
    above = case.province is not None and case.province.balance_above_premium.value
    ok = balance > amount if above else balance >= amount
    return RuleResult(
        "INSUFFICIENT_BALANCE",
        "passed" if ok else "failed",
        {
            "balance": yuan(balance),
            "amount": yuan(amount),
            "shortfall": yuan(max(amount - balance, 0)),
        },
        message_variant=(
            "return_ok"
            if ok
            else "bureau_return_equal"
            if above and balance == amount
            else "return_short"
        ),
    )


def return_same_province(case: ReturnCase) -> RuleResult:
    """Mutual aid stays inside the province: a premium paid for a region of another
    province is not returned out of this account (as a proxy payment would be refused)."""
    paid, payer_province = case.paid, case.province
    if paid is None or not paid.region or payer_province is None:
        return _skip("CROSS_PROVINCE")
    region = case.policy.region(paid.region)
    province = case.policy.province_of(paid.region)
    params = {
        "region": region.name if region else paid.region,
        "province": province.name if province else paid.region,
        "payer_province": payer_province.name,
    }
    return RuleResult(
        "CROSS_PROVINCE", "passed" if province is payer_province else "failed", params
    )


RETURN_RULES: tuple[Callable[[ReturnCase], RuleResult], ...] = (
    return_offered,
    return_same_province,
    payer_active,
    return_relative_bound,
    return_paid_by_tax,
    return_waited,
    return_year_allowed,
    return_not_claimed,
    return_balance_enough,
)


def return_rules(case: ReturnCase) -> list[RuleResult]:
    return [rule(case) for rule in RETURN_RULES]
