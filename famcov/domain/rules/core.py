"""What every rule shares: the tri-state result, its two makers, the payment case
that the payment, quota, waiting and tax rules all read, and the small pieces of a
message more than one rule says (a relation's name, 示意, what the sources say)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar

from famcov.domain.ids import mask
from famcov.domain.model import Binding, Worker
from famcov.domain.money import yuan
from famcov.domain.policy import Policy, Province, Region, Text
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


Case = TypeVar("Case")


class Rules(Generic[Case]):
    """A use case's rules in the order its checklist shows them; called with a case,
    each rule's result in that order."""

    def __init__(self, *rules: Callable[[Case], RuleResult]) -> None:
        self.rules = rules

    def __iter__(self) -> Iterator[Callable[[Case], RuleResult]]:
        return iter(self.rules)

    def __call__(self, case: Case) -> list[RuleResult]:
        return [rule(case) for rule in self.rules]


def judged(code: str, ok: bool, **params: Any) -> RuleResult:
    return RuleResult(code, "passed" if ok else "failed", params)


def skipped(code: str, **params: Any) -> RuleResult:
    return RuleResult(code, "skipped", params)


def balance_covers(balance: int, amount: int, province: Province | None) -> bool:
    """The balance pays the premium: where the bureau says it must be greater than the
    premium (余额应大于…否则缴费将失败), an equal one does not."""
    above = province is not None and province.balance_above_premium.value
    return balance > amount if above else balance >= amount


def balance_params(balance: int, amount: int, **more: Any) -> dict[str, Any]:
    """What an INSUFFICIENT_BALANCE message says of the money: balance, premium, shortfall."""
    shortfall = max(amount - balance, 0)
    return {"balance": yuan(balance), "amount": yuan(amount), "shortfall": yuan(shortfall), **more}


def relation_name(relation: str) -> Msg:
    return Msg(f"relation.{relation}")


def illustrative_mark(value) -> Msg | str:
    """示意 after a value no public source confirms, where a rule's message reads it."""
    return Msg("bureau.mark.illustrative") if getattr(value, "illustrative", False) else ""


def sources_say(value: Any) -> Msg:
    """What each source says of a value the sources disagree on, one after another."""
    said = getattr(value, "says", None) or []
    return Msg(
        "bureau.sources_say",
        {"says": Text(zh="；".join(t.zh for t in said), en="; ".join(t.en for t in said))},
    )


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


class PayerCase(Protocol):
    """A case with a worker who pays (a payment) or is paid back (a return)."""

    @property
    def payer(self) -> Worker: ...


def payer_active(case: PayerCase) -> RuleResult:
    return judged("PAYER_INACTIVE", case.payer.status == "active", name=case.payer.name)


def member_bound(records: Records, payer: str, relative: str) -> RuleResult:
    """The relative is a member of the payer's family account now (pay, unbind, verify)."""
    bound = records.active_binding(payer, relative) is not None
    return judged("NOT_BOUND", bound, relative=mask(relative))
