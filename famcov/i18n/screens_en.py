"""en messages of the readable screens (issue 10): waits, summaries, plural forms."""

MESSAGES: dict[str, str] = {
    "word.tier_choice": "{name} {amount}",
    "policy.sources": "Sources:",
}
