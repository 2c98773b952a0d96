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
}
