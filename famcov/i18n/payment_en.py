"""en messages: 代缴: the check, the payment's confirmation, a revocation, the quota."""

MESSAGES: dict[str, str] = {
    "amountreason.format": "write a number with at most two decimals, like 400 or 400.50",
    "amountreason.precision": "amounts have at most two decimals (fen)",
    "amountreason.negative": "an amount cannot be negative",
    "amountreason.zero": "the amount must be more than zero",
    "amountreason.too_large": "the amount is too large",
    "confirm.does.pay": "takes money out of the personal account",
    "confirm.does.revoke": "revokes a proxy payment and puts the money back",
    "confirm.does.unbind": "ends a family member's binding",
    "confirm.does.pay-tax": "records a premium paid with your own money",
    "confirm.does.claim-return": "takes a premium's return out of the personal account",
    "check.passed": "The payment check passed: choose a tier and submit.",
    "check.failed": "The payment check failed; points to deal with: {count}.",
    "revoke.done": "Revoked {no}: {amount} yuan went back to the personal account; the balance is {balance} yuan.",
    "revoke.repay_hint": "To pay the {year} premium again, submit a new proxy payment.",
    "quota.reserved": "Set aside a cross-province quota of {amount} yuan for {name} ({id}); their quota is now {quota} yuan, spendable balance {spendable} yuan.",
    "quota.released": "{name} ({id})'s cross-province quota has ended: the {amount} yuan left is spendable again ({spendable} yuan).",
    "quota.too_much": "Only {balance} yuan can be spent (quotas already set aside are not), so {amount} yuan cannot be reserved.",
    "revoke.no_repay": "After revoking, {year} is unpaid: pay again (by proxy or another channel) if the relative needs cover.",
    "check.failed_rules": "The payment check failed on {count} points: {names}.",
    "check.failed_rule": "The payment check failed on one point: {names}.",
}
