"""en messages of the readable screens (issue 10): waits, summaries, plural forms."""

MESSAGES: dict[str, str] = {
    "wiz.todo.INSUFFICIENT_BALANCE.lowest": "With too low a balance this proxy payment cannot go through, and this is already the lowest tier: pay the premium through another channel such as the tax bureau or a bank (in practice, the trainer can top the account up).",
    "wiz.ui.continue": "Press Enter to continue…",
    "check.failed_rules": "The payment check failed on {count} points: {names}.",
    "check.failed_rule": "The payment check failed on one point: {names}.",
    "word.tier_choice": "{name} {amount}",
    "policy.sources": "Sources:",
}
