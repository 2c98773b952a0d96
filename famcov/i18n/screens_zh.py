"""zh messages of the readable screens (issue 10): waits, summaries, plural-free counts."""

MESSAGES: dict[str, str] = {
    "wiz.error.COMMITMENT_REQUIRED": "绑定前须阅读并同意《个人承诺书》。",
    "wiz.error.PROOF_REQUIRED": "本省绑定须提供关系证明，请在关系证明一步选择或填写（例如户口本）。",
    "wiz.error.MINOR_PROOF_REQUIRED": "未满 16 周岁的家庭成员绑定时须提供户口本或出生医学证明，请在关系证明一步选择。",
    "wiz.error.RELATION_GAP": "身份证号中的出生日期与所填亲属关系相差异常，请核对关系或证件号。",
    "wiz.todo.INSUFFICIENT_BALANCE.lowest": "余额不足时这笔代缴无法完成，且已是最低档次：请改由税务、银行等其他渠道缴纳保费（练习中可由培训老师为账户划入资金）。",
    "wiz.ui.continue": "按回车继续…",
    "check.failed_rules": "代缴信息校验未通过：{names}（共 {count} 项）。",
    "check.failed_rule": "代缴信息校验未通过：{names}。",
    "word.tier_choice": "{name} {amount}",
    "policy.sources": "来源：",
}
