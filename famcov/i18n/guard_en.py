"""en messages of the third round of guarantees (issue 20): IDs in names, data
folders, OS errors said in a sentence, locks and paths."""

MESSAGES: dict[str, str] = {
    "doctor.problem.NAME_HOLDS_ID": "The name at {where} holds a resident ID ({name}); famcov refuses digits in a name, so it was probably edited by hand; put the person's name there.",
    "guard.state_empty": "--state was given an empty file name; give the state file's path, or leave --state out for the default",
    "guard.state_own_file": "{path} is a lock or backup file famcov keeps beside a state file (it ends in .lock or .bak), never a state itself; give the state file's own name with --state",
    "guard.lock_lost": "The lock file of {path} was removed or replaced while famcov held it, so another famcov may have been writing at the same time; to keep both changes whole nothing was written; try again.",
}
