"""Message catalogues: every string a person reads, in Chinese (default) and English.

`t(key, **params)` formats a message in the current language. A parameter may
itself be a `Msg` (a key with its own parameters) or a bilingual text with
`zh`/`en` attributes; both are rendered in the current language first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LANGS = ("zh", "en")
_lang = "zh"
_catalogue: dict[str, str] | None = None


@dataclass(frozen=True)
class Msg:
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return t(self.key, **self.params)


class _Params(dict):
    """A missing parameter renders empty rather than failing the message."""

    def __missing__(self, key: str) -> str:
        return ""


def set_lang(lang: str) -> None:
    global _lang, _catalogue
    _lang = lang if lang in LANGS else "zh"
    _catalogue = None


def lang() -> str:
    return _lang


def catalogue(which: str | None = None) -> dict[str, str]:
    global _catalogue
    which = which or _lang
    if which == "en":
        from famcov.i18n.en import MESSAGES
    else:
        from famcov.i18n.zh import MESSAGES
    if which == _lang:
        _catalogue = MESSAGES
    return MESSAGES


def _render(value: Any) -> Any:
    if isinstance(value, Msg):
        return str(value)
    if hasattr(value, "zh") and hasattr(value, "en"):  # a policy pack's text: data too
        return _render(value.en if _lang == "en" else value.zh)
    if isinstance(value, list | tuple):
        sep = ", " if _lang == "en" else "、"
        return sep.join(str(_render(v)) for v in value)
    if isinstance(value, str):
        # A value from outside (typed, imported, read from a file): controls written
        # out, resident IDs masked in any form (famcov.domain.text).
        from famcov.domain.text import shown

        return shown(value)
    return value


def t(key: str, **params: Any) -> str:
    messages = _catalogue if _catalogue is not None else catalogue()
    template = messages.get(key)
    if template is None:
        return key
    if not params:
        return template
    from famcov.domain.text import mask_ids  # a parameter may echo an ID typed to the wrong flag

    return mask_ids(template.format_map(_Params({k: _render(v) for k, v in params.items()})))


def has(key: str) -> bool:
    messages = _catalogue if _catalogue is not None else catalogue()
    return key in messages
