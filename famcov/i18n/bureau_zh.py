"""zh messages of the rules as the bureaus apply them (issue 18): a lapse waits inside
the window too, newborns, Hubei's return, the tax channel's payment method, values the
sources disagree on."""

MESSAGES: dict[str, str] = {
    "bureau.note.lapse_in_window": "虽在集中缴费期内缴费，但此前未连续参保（国办发〔2024〕38号：未在集中参保期内参保或未连续参保的，设置待遇等待期）：等待期 {months} 个月，自 {date} 起享受待遇。",
    "bureau.note.newborn_birth": "新生儿在出生后规定天数内参保缴费，自出生之日（{date}）起享受待遇。",
    "bureau.note.newborn_late": "新生儿超过出生后规定天数才缴费：自缴费之日（{date}）起享受待遇。",
    "bureau.note.repaired": "已补缴断保年度 {repaired} 年，每补缴 1 年减少 1 个月变动等待期（国办发〔2024〕38号）。",
    "bureau.review.newborn": "{date} 起（新生儿）",
    "bureau.review.lapse": "{date} 起（未连续参保，待遇等待期 {months} 个月）",
    "rule.YEAR_NOT_OPEN.newborn": "新生儿（{date} 出生）在出生后 {days} 天内可缴纳出生当年的 {year} 年度保费，跨年也可以缴。",
    "bureau.word.paid_by_other": "{id}（税务系统只记在家人名下）",
    "bureau.word.paid_by_relative": "家人本人",
    "bureau.mark.illustrative": "（示意）",
    "rulename.RETURN_TOO_SOON": "缴费后等待天数",
    "rule.RETURN_TOO_SOON.passed": "保费于 {paid} 缴纳，已过 {days} 天{mark}，可以申请返还。",
    "rule.RETURN_TOO_SOON.failed": "保费于 {paid} 缴纳，缴费成功 {days} 天后{mark}才能申请返还：请在 {date} 或之后再申请。",
    "rule.RETURN_TOO_SOON.skipped": "没有税务渠道的缴费，未检查缴费后的天数。",
    "error.RETURN_TOO_SOON": "缴费后还没到可以申请返还的日子；请过几天再申请。",
    "rulename.RETURN_YEAR_NOT_ALLOWED": "可申请返还的年度",
    "rule.RETURN_YEAR_NOT_ALLOWED.passed": "{year} 年度在可申请返还的年度内（{first}–{last}）{mark}。",
    "rule.RETURN_YEAR_NOT_ALLOWED.failed": "只能申请当年和次年（{first}–{last}）的返还{mark}，{year} 年度不能申请。",
    "rule.RETURN_YEAR_NOT_ALLOWED.skipped": "未检查可申请返还的年度。",
    "error.RETURN_YEAR_NOT_ALLOWED": "只能申请当年和次年的返还，这一年度不能申请。",
    "rule.INSUFFICIENT_BALANCE.bureau_return_equal": "个人账户余额 {balance} 元只等于返还金额 {amount} 元；本省要求余额大于返还金额，否则申请失败。",
    "rule.INSUFFICIENT_BALANCE.bureau_equal": "个人账户余额 {balance} 元只等于保费 {amount} 元；本省要求余额大于个人缴费金额，否则缴费将失败。可改由其他渠道（税务、银行、微信、支付宝）缴纳全部保费；失败的缴费约 {days} 天内原路退回，无需操作。",
    "bureau.return.to_bank": "返还金额 {amount} 元从你的职工医保个人账户划出，拨付到你本人的银行账户（建议使用I类账户）{mark}。",
    "bureau.return.reapply": "如因银行账户信息有误或银行卡过期导致拨付失败，预先划扣的个人账户资金会原渠道退回，需要重新提交申请；拨付成功前请勿为同一家人同一年度重复申请{mark}。",
    "error.CHANNEL_NOT_ACCOUNT": "渠道 {channel} 不从职工医保个人账户扣款（{method}）；个人账户代缴请选：{choices}；经这个渠道缴费请用 famcov pay-tax。",
    "bureau.note.method": "支付方式（{channel}）：{method}。",
    "bureau.wiz.method": "支付方式：{method}",
}
