"""zh messages: 代缴: the check, the payment's confirmation, a revocation, the quota."""

MESSAGES: dict[str, str] = {
    "amountreason.format": "请写成数字，最多两位小数，如 400 或 400.50",
    "amountreason.precision": "金额最多两位小数（精确到分）",
    "amountreason.negative": "金额不能为负数",
    "amountreason.zero": "金额必须大于零",
    "amountreason.too_large": "金额过大",
    "confirm.does.pay": "会从个人账户扣款",
    "confirm.does.revoke": "会撤销一笔代缴并把钱退回个人账户",
    "confirm.does.unbind": "会解除一个家庭成员的绑定",
    "confirm.does.pay-tax": "会记录一笔用您自己的钱缴的保费",
    "confirm.does.claim-return": "会从个人账户返还一笔保费",
    "check.passed": "代缴信息校验通过，可以选择缴费档次并提交。",
    "check.failed": "代缴信息校验未通过：{count} 项需要处理。",
    "revoke.done": "已撤销 {no}，{amount} 元已退回个人账户，余额 {balance} 元。",
    "revoke.repay_hint": "如需重新缴纳 {year} 年度保费，可再次提交代缴申请。",
    "quota.reserved": "已为 {name}（{id}）预留跨省共济额度 {amount} 元，其额度共 {quota} 元；可用余额 {spendable} 元。",
    "quota.released": "{name}（{id}）的跨省共济额度已结束，剩余 {amount} 元退回可用余额（现为 {spendable} 元）。",
    "quota.too_much": "可用余额只有 {balance} 元（已扣除预留的共济额度），不能预留 {amount} 元。",
    "revoke.no_repay": "撤销后 {year} 年度未缴费；如需参保，请重新缴费（代缴或其他渠道）。",
    "check.failed_rules": "代缴信息校验未通过：{names}（共 {count} 项）。",
    "check.failed_rule": "代缴信息校验未通过：{names}。",
}
