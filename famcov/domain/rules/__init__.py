"""Every rule that refuses a binding, a payment, a revocation or a return, each its own
small function, one module per concern:

- core.py        the tri-state RuleResult, the payment case, the rules more than one
                 use case runs (payer active, member bound), shared message pieces
- person.py      what a resident ID says (birth date, sex, age) and a name's form
- payment.py     the payment rules (PAYMENT_RULES) and the tax channel's subset
- quota.py       same province, or the cross-province quota
- waiting.py     the waiting period, lapses, newborns (Terms, terms, case_terms)
- binding.py     the binding rules (BINDING_RULES) and a new member's status
- revocation.py  the revocation rules (REVOCATION_RULES)
- returns.py     Hubei's pay-then-return (RETURN_RULES)

A rule returns a RuleResult: its stable code, whether it passed, failed or could
not be judged (skipped, because an earlier fact is missing), and the parameters
of its message. A rule list (`Rules`) called with a case gives each rule's result in
its checklist's order: `check`, `pay` and the wizard all call `PAYMENT_RULES`; `bind`
and the bind wizard call `BINDING_RULES`. Messages live in the catalogues under
`rule.<CODE>.<status>`. Each rule list is defined once, in its concern's module;
this package re-exports what the rest of famcov uses.
"""

from famcov.domain.rules.binding import (
    BINDING_RULES,
    BindingCase,
    generation_gap_plausible,
    member_status,
    name_matches,
    not_already_bound,
    not_self,
    relation_allowed_to_bind,
    relation_matches_ids,
)
from famcov.domain.rules.core import (
    PaymentCase,
    RuleResult,
    Rules,
    illustrative_mark,
    member_bound,
    sources_say,
)
from famcov.domain.rules.payment import (
    PAYMENT_RULES,
    TAX_PAYMENT_RULES,
    illustrative_read,
)
from famcov.domain.rules.person import age_on, birth_date, name_checked, sex_of
from famcov.domain.rules.quota import from_quota
from famcov.domain.rules.returns import (
    RETURN_RULES,
    ReturnCase,
    return_offered,
    return_waited,
)
from famcov.domain.rules.revocation import (
    REVOCATION_RULES,
    RevocationCase,
    not_revoked,
)
from famcov.domain.rules.waiting import Terms, case_terms, terms

__all__ = [
    "BINDING_RULES",
    "PAYMENT_RULES",
    "RETURN_RULES",
    "REVOCATION_RULES",
    "TAX_PAYMENT_RULES",
    "BindingCase",
    "PaymentCase",
    "ReturnCase",
    "RevocationCase",
    "RuleResult",
    "Rules",
    "Terms",
    "age_on",
    "birth_date",
    "case_terms",
    "from_quota",
    "generation_gap_plausible",
    "illustrative_mark",
    "illustrative_read",
    "member_bound",
    "member_status",
    "name_checked",
    "name_matches",
    "not_already_bound",
    "not_revoked",
    "not_self",
    "relation_allowed_to_bind",
    "relation_matches_ids",
    "return_offered",
    "return_waited",
    "sex_of",
    "sources_say",
    "terms",
]
