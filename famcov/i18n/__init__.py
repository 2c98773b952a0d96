"""Message catalogues: every string a person reads, in Chinese (default) and English.

`t(key, **params)` formats a message in the current language. A parameter may
itself be a `Msg` (a key with its own parameters) or a bilingual text with
`zh`/`en` attributes; both are rendered in the current language first.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

LANGS = ("zh", "en")
# A catalogue is the words every area uses (zh.py, en.py) and each area's own file
# (`<area>_zh.py`, `<area>_en.py`); a new area's file is named here once.
AREAS = (
    "help",
    "bureau",
    "family_account",
    "payment",
    "doctor",
    "rules",
    "channels",
    "scenarios",
    "receipts",
    "own_family",
    "wizard",
    "policy",
    "errors",
)
_lang = "zh"
_catalogue: dict[str, str] | None = None
_merged: dict[str, dict[str, str]] = {}


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
    """Every message of a language, merged once (a test fails on a key defined twice)."""
    global _catalogue
    which = which if which in LANGS else _lang
    messages = _merged.get(which)
    if messages is None:
        messages = dict(importlib.import_module(f"famcov.i18n.{which}").MESSAGES)
        for area in AREAS:
            messages.update(importlib.import_module(f"famcov.i18n.{area}_{which}").MESSAGES)
        _merged[which] = messages
    if which == _lang:
        _catalogue = messages
    return messages


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
