"""en messages of the third round of guarantees (issue 20): IDs in names, data
folders, OS errors said in a sentence, locks and paths."""

MESSAGES: dict[str, str] = {
    "doctor.problem.NAME_HOLDS_ID": "The name at {where} holds a resident ID ({name}); famcov refuses digits in a name, so it was probably edited by hand; put the person's name there.",
}
