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
from famcov.domain.model import Binding, Worker
from famcov.domain.money import yuan
from famcov.domain.records import Records
from famcov.errors import FamcovError
from famcov.i18n import Msg

Status = Literal["passed", "failed", "skipped"]


@dataclass(frozen=True)
class RuleResult:
    code: str
    status: Status
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    @property
    def message(self) -> Msg:
        return Msg(f"rule.{self.code}.{self.status}", self.params)

    def as_error(self) -> FamcovError:
        return FamcovError(self.code, self.params, message_key=f"rule.{self.code}.failed")


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
    policy: Any  # famcov.policy.Policy; typed loosely to keep the domain free of file loading
    today: dt.date
    payer: Worker
    relative: str
    region: Any  # famcov.policy.Region
    year: int
    tier_text: str | None = None

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
        province = self.province
        return province.year(self.year) if province else None

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


def payer_active(case: PaymentCase) -> RuleResult:
    return _result("PAYER_INACTIVE", case.payer.status == "active", name=case.payer.name)


def relative_bound(case: PaymentCase) -> RuleResult:
    return _result("NOT_BOUND", case.binding is not None, relative=mask(case.relative))


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
    ok = province is payer_province or payer_province.scope.value == "cross-province-quota"
    return _result(
        "CROSS_PROVINCE",
        ok,
        region=case.region.name,
        province=province.name if province else case.region.code,
        payer_province=payer_province.name,
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
            {"year": case.year, "period": "—", "hint": Msg("hint.no_year")},
        )
    period = year_policy.open_for(case.region.code)
    shown = f"{period.start.isoformat()} ~ {period.end.isoformat()}"
    hint = Msg("hint.not_yet_open" if case.today < period.start else "hint.year_closed")
    return _result("YEAR_NOT_OPEN", case.today in period, year=case.year, period=shown, hint=hint)


def tier_exists(case: PaymentCase) -> RuleResult:
    if case.year_policy is None:
        return _skip("UNKNOWN_TIER")
    choices = [f"{t.id} {yuan(t.fen)}" for t in case.tiers]
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
    balance = case.payer.balance
    return _result(
        "INSUFFICIENT_BALANCE",
        balance >= amount,
        balance=yuan(balance),
        amount=yuan(amount),
        shortfall=yuan(max(amount - balance, 0)),
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
    province: Any  # famcov.policy.Province of the payer, or None
    payer: Worker
    relative: str
    name: str
    relation: str
    proof: str | None
    accepted: bool


def commitment_accepted(case: BindingCase) -> RuleResult:
    return _result("COMMITMENT_REQUIRED", case.accepted)


def not_self(case: BindingCase) -> RuleResult:
    return _result("CANNOT_BIND_SELF", case.payer.id != case.relative)


def not_already_bound(case: BindingCase) -> RuleResult:
    bound = case.records.active_binding(case.payer.id, case.relative)
    return _result("ALREADY_BOUND", bound is None, relative=mask(case.relative), name=case.name)


def name_matches(case: BindingCase) -> RuleResult:
    known = case.records.known_name(case.relative)
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
    return _result(
        "PROOF_REQUIRED",
        not needed or bool(case.proof),
        province=case.province.name if case.province else "",
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
