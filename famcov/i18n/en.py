"""The en catalogue: the words every area uses (CORE), merged with each
area's own file (one a feature; a test fails on a key defined twice)."""

from famcov.i18n.bureau_en import MESSAGES as BUREAU
from famcov.i18n.channels_en import MESSAGES as CHANNELS
from famcov.i18n.doctor_en import MESSAGES as DOCTOR
from famcov.i18n.errors_en import MESSAGES as ERRORS
from famcov.i18n.family_account_en import MESSAGES as FAMILY_ACCOUNT
from famcov.i18n.help_en import MESSAGES as HELP
from famcov.i18n.own_family_en import MESSAGES as OWN_FAMILY
from famcov.i18n.payment_en import MESSAGES as PAYMENT
from famcov.i18n.policy_en import MESSAGES as POLICY
from famcov.i18n.receipts_en import MESSAGES as RECEIPTS
from famcov.i18n.rules_en import MESSAGES as RULES
from famcov.i18n.scenarios_en import MESSAGES as SCENARIOS
from famcov.i18n.wizard_en import MESSAGES as WIZARD

CORE: dict[str, str] = {
    "label.error": "Error: ",
    "word.yes": "yes",
    "word.no": "no",
    "word.you": "you",
    "word.someone": "{name} ({id})",
    "word.worker": "employee-insurance worker",
    "word.enrolment": "resident enrolment for {year}",
    "word.employee": "employee-insurance record",
    "word.paid_elsewhere": "record of a {year} premium paid elsewhere",
    "relation.spouse": "spouse",
    "relation.parent": "parent",
    "relation.child": "child",
    "relation.sibling": "sibling",
    "relation.grandparent": "grandparent",
    "relation.maternal-grandparent": "maternal grandparent",
    "relation.grandchild": "grandchild",
    "relation.maternal-grandchild": "maternal grandchild",
    "reason.duplicate": "duplicate payment",
    "reason.moved": "insured region changed",
    "reason.other": "other",
    "status.active": "active",
    "status.suspended": "suspended",
    "status.paid": "paid",
    "status.revoked": "revoked",
    "scope.province": "in-province mutual aid only (no cross-province)",
    "scope.cross-province-quota": "cross-province mutual aid (reserved quota)",
    "insurance.resident-basic": "Urban-rural resident basic medical insurance",
    "word.born_after": "must be born before the worker",
    "word.born_before": "must be born after the worker",
    "word.gap_confirmed": " (confirmed)",
    "sex.male": "male",
    "sex.female": "female",
    "word.tier_choice": "{name} {amount}",
    "status.returned": "returned",
    "status.paid_returned": "paid (account returned)",
}

MESSAGES: dict[str, str] = {
    **CORE,
    **HELP,
    **BUREAU,
    **FAMILY_ACCOUNT,
    **PAYMENT,
    **DOCTOR,
    **RULES,
    **CHANNELS,
    **SCENARIOS,
    **RECEIPTS,
    **OWN_FAMILY,
    **WIZARD,
    **POLICY,
    **ERRORS,
}
