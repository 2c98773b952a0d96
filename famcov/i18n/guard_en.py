"""en messages of the third round of guarantees (issue 20): IDs in names, data
folders, OS errors said in a sentence, locks and paths."""

MESSAGES: dict[str, str] = {
    "guard.state_path": "no file can be at this path ({detail}); give another file with --state",
    "doctor.problem.NAME_HOLDS_ID": "The name at {where} holds a resident ID ({name}); famcov refuses digits in a name, so it was probably edited by hand; put the person's name there.",
    "guard.state_empty": "--state was given an empty file name; give the state file's path, or leave --state out for the default",
    "guard.state_own_file": "{path} is a lock or backup file famcov keeps beside a state file (it ends in .lock or .bak), never a state itself; give the state file's own name with --state",
    "guard.lock_lost": "The lock file of {path} was removed or replaced while famcov held it, so another famcov may have been writing at the same time; to keep both changes whole nothing was written; try again.",
    "guard.csv_line": "this line cannot be read as CSV (a cell longer than 131,072 characters, or a quote that is never closed); fix the line",
    "guard.name_too_long": "the file name is too long (at most 255 bytes a name); choose a shorter one",
    "guard.is_folder": "it is a folder",
    "error.FILE_UNUSABLE": "famcov could not use {path} ({problem}); {outcome}. Check the path and its permissions, or choose another.",
    "error.OUT_OF_MEMORY": "famcov ran out of memory; {outcome}. A state or import file this large needs more memory than this process may use: free some, allow more (ulimit -v), or split the import.",
    "error.BAD_SCENARIO": "The training scenario file {file} cannot be used: {problem}. Fix it, or take it out of the data folder (FAMCOV_DATA_DIR).",
    "guard.outcome_saved": "the change was saved before that, so look it up before doing it again",
    "guard.outcome_nothing": "nothing was written",
    "guard.data.unreadable": "it cannot be read ({detail})",
    "guard.data.not_regular": "it is not a regular file (a pipe, a device or a folder), which famcov never reads",
    "guard.data.too_large": "it is larger than {limit} MB, more than any data file",
    "guard.data.not_utf8": "it is not UTF-8 text (byte {offset})",
    "guard.data.too_deep": "its JSON is nested more than {limit} deep",
    "guard.data.malformed": "it is not valid JSON ({detail})",
    "guard.data.not_object": "it is not a JSON object",
    "guard.interrupted_kept": "Interrupted. The state file was not replaced; only a copy of it was written, as {backup}.",
}
