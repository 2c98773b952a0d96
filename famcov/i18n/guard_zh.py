"""zh messages of the third round of guarantees (issue 20): IDs in names, data
folders, OS errors said in a sentence, locks and paths."""

MESSAGES: dict[str, str] = {
    "doctor.problem.NAME_HOLDS_ID": "{where} 处的姓名里有身份证号（{name}）；famcov 不接受含数字的姓名，可能被手工改过；请改回本人姓名。",
}
