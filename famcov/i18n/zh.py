"""The zh catalogue: core messages, merged with each area's own file."""

from famcov.i18n.doctor_zh import MESSAGES as DOCTOR
from famcov.i18n.wizard_zh import MESSAGES as WIZARD

CORE: dict[str, str] = {}

MESSAGES: dict[str, str] = {**CORE, **WIZARD, **DOCTOR}
