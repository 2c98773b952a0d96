"""en messages: The setup side, what the bureau's records hold: init, admin, import."""

MESSAGES: dict[str, str] = {
    "init.done": "Created the state file {path}.",
    "init.demo_next": "Next: run famcov for the wizard, or famcov family --payer 张伟 to see the family members.",
    "admin.worker_added": "Registered the worker {name} ({id}), insured in {region}, personal account balance {balance} yuan.",
    "admin.enrolled": "Registered {name} ({id}) as enrolled in resident insurance in {region} for {year}.",
    "admin.employee": "Registered {name} ({id}) as holding employee insurance.",
    "admin.paid_elsewhere": "Recorded that {id}'s {year} premium was paid through {channel}.",
    "admin.credited": "Credited {amount} yuan to {name}'s personal account; the balance is {balance} yuan.",
    "admin.imported": "Imported {total} records: {worker} workers, {resident} resident enrolments, {employee} employee-insured people, {paid} payments through other channels.",
    "import.bad_header": "line {line}: the header must be kind,id,name,region,year,balance,status,channel.",
    "import.bad_line": "line {line}: {reason}",
    "import.columns": "it needs 8 columns, not {value}.",
    "import.missing": "a {kind} row needs the {flag} column; fill it in.",
    "import.unused": "a {value} row does not use the {flag} column; leave it empty.",
    "import.unreadable": "{file} cannot be read: {problem}.",
    "import.too_large": "the file is larger than {limit} MB, more than famcov reads; split it into several files",
    "import.not_regular": "it is not a regular file (a pipe or a device); give a file, or - to read standard input",
    "import.not_found": "there is no such file; check the path",
    "import.no_permission": "you have no permission to read it",
    "import.not_utf8": "the file is not UTF-8",
    "admin.moved": "{name}'s insurance is now in {region}; their cross-province mutual-aid relations ended and unused quotas were released.",
}
