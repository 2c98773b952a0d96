"""zh messages of the readable screens (issue 10): waits, summaries, plural-free counts."""

MESSAGES: dict[str, str] = {
    "word.tier_choice": "{name} {amount}",
    "policy.sources": "来源：",
}
