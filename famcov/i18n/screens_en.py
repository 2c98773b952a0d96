"""en messages of the readable screens (issue 10): waits, summaries, plural forms."""

MESSAGES: dict[str, str] = {
    "wiz.ui.continue": "Press Enter to continue…",
    "check.failed_rules": "The payment check failed on {count} points: {names}.",
    "check.failed_rule": "The payment check failed on one point: {names}.",
    "word.tier_choice": "{name} {amount}",
    "policy.sources": "Sources:",
}
