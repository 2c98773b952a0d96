"""Messages of famcov on each OS: a file another program holds (en)."""

MESSAGES: dict[str, str] = {
    "error.STATE_HELD": "The state file {path} is held open by another program (an antivirus scan, an editor, or another famcov reading it) and could not be replaced for a second; close that program and try again. Nothing was changed and nothing is lost.",
    "export.problem.held": "another program (an antivirus scan or an editor) holds the file; close it and try again — what was there is unchanged",
}
