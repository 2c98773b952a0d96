"""zh messages of the readable screens (issue 10): waits, summaries, plural-free counts."""

MESSAGES: dict[str, str] = {
    "wiz.ui.continue": "按回车继续…",
    "check.failed_rules": "代缴信息校验未通过：{names}（共 {count} 项）。",
    "check.failed_rule": "代缴信息校验未通过：{names}。",
    "word.tier_choice": "{name} {amount}",
    "policy.sources": "来源：",
}
