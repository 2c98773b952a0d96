"""Whose province a payment is for: the same as the payer's, or another one paid out
of the quota reserved for the relative (跨省共济, the 2026 notice, as a what-if)."""

from __future__ import annotations

from famcov.domain.money import yuan
from famcov.domain.rules.core import PaymentCase, RuleResult, skipped


def same_province(case: PaymentCase) -> RuleResult:
    payer_province, province = case.payer_province, case.province
    if payer_province is None:
        return skipped("CROSS_PROVINCE")
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
