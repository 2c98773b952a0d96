"""zh messages of the readable screens (issue 10): waits, summaries, plural-free counts."""

MESSAGES: dict[str, str] = {
    "wiz.todo.INSUFFICIENT_BALANCE.lowest": "余额不足时这笔代缴无法完成，且已是最低档次：请改由税务、银行等其他渠道缴纳保费（练习中可由培训老师为账户划入资金）。",
    "wiz.ui.continue": "按回车继续…",
    "check.failed_rules": "代缴信息校验未通过：{names}（共 {count} 项）。",
    "check.failed_rule": "代缴信息校验未通过：{names}。",
    "word.tier_choice": "{name} {amount}",
    "policy.sources": "来源：",
}
