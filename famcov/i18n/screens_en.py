"""en messages of the readable screens (issue 10): waits, summaries, plural forms."""

MESSAGES: dict[str, str] = {
    "wiz.error.COMMITMENT_REQUIRED": "Binding needs the personal commitment letter to be read and accepted first.",
    "wiz.error.PROOF_REQUIRED": "This province needs a relation proof to bind: choose or type it at the relation-proof step (for example 户口本, the household register).",
    "wiz.error.MINOR_PROOF_REQUIRED": "A relative under 16 needs a household register or a medical birth certificate to be bound: choose it at the relation-proof step.",
    "wiz.error.RELATION_GAP": "The birth dates in the ID numbers are unusually close for this relation: check the relation or the ID number.",
    "wiz.todo.INSUFFICIENT_BALANCE.lowest": "With too low a balance this proxy payment cannot go through, and this is already the lowest tier: pay the premium through another channel such as the tax bureau or a bank (in practice, the trainer can top the account up).",
    "wiz.ui.continue": "Press Enter to continue…",
    "check.failed_rules": "The payment check failed on {count} points: {names}.",
    "check.failed_rule": "The payment check failed on one point: {names}.",
    "word.tier_choice": "{name} {amount}",
    "policy.sources": "Sources:",
}
