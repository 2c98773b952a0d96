"""The zh catalogue: the words every area uses (CORE), merged with each
area's own file (one a feature; a test fails on a key defined twice)."""

from famcov.i18n.bureau_zh import MESSAGES as BUREAU
from famcov.i18n.channels_zh import MESSAGES as CHANNELS
from famcov.i18n.doctor_zh import MESSAGES as DOCTOR
from famcov.i18n.errors_zh import MESSAGES as ERRORS
from famcov.i18n.family_account_zh import MESSAGES as FAMILY_ACCOUNT
from famcov.i18n.help_zh import MESSAGES as HELP
from famcov.i18n.own_family_zh import MESSAGES as OWN_FAMILY
from famcov.i18n.payment_zh import MESSAGES as PAYMENT
from famcov.i18n.policy_zh import MESSAGES as POLICY
from famcov.i18n.receipts_zh import MESSAGES as RECEIPTS
from famcov.i18n.rules_zh import MESSAGES as RULES
from famcov.i18n.scenarios_zh import MESSAGES as SCENARIOS
from famcov.i18n.wizard_zh import MESSAGES as WIZARD

CORE: dict[str, str] = {
    "label.error": "错误：",
    "word.yes": "是",
    "word.no": "否",
    "word.you": "您本人",
    "word.someone": "{name}（{id}）",
    "word.worker": "职工医保参保人",
    "word.enrolment": "{year} 年度参保登记",
    "word.employee": "职工医保参保记录",
    "word.paid_elsewhere": "{year} 年度其他渠道缴费记录",
    "relation.spouse": "配偶",
    "relation.parent": "父母",
    "relation.child": "子女",
    "relation.sibling": "兄弟姐妹",
    "relation.grandparent": "祖父母",
    "relation.maternal-grandparent": "外祖父母",
    "relation.grandchild": "孙子女",
    "relation.maternal-grandchild": "外孙子女",
    "reason.duplicate": "重复缴费",
    "reason.moved": "参保地变更",
    "reason.other": "其他",
    "status.active": "正常",
    "status.suspended": "暂停",
    "status.paid": "已缴费",
    "status.revoked": "已撤销",
    "scope.province": "仅限省内共济（跨省暂不支持）",
    "scope.cross-province-quota": "跨省共济（预留共济额度）",
    "insurance.resident-basic": "城乡居民基本医疗保险",
    "word.born_after": "应早于职工出生",
    "word.born_before": "应晚于职工出生",
    "word.gap_confirmed": "（已确认）",
    "sex.male": "男",
    "sex.female": "女",
    "word.tier_choice": "{name} {amount}",
    "status.returned": "已返还",
    "status.paid_returned": "已缴（个账已返还）",
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
