"""The zh and en catalogues (core and every area's file, merged) say the same things.

- the same keys, and each message has the same {placeholders} in both;
- every key the code names literally exists, and every family of keys the
  code builds from a value (rule.<CODE>.<status>, relation.<slug>, ...) is
  complete for every value;
- zh messages are Chinese; en messages carry Chinese only where it is a
  name from the app or a document a person must recognise (in brackets).
"""

from __future__ import annotations

import re
import string
from pathlib import Path

from famcov.domain.model import CHANNELS, RELATIONS, REVOKE_REASONS, WORKER_STATUSES
from famcov.domain.rules import BINDING_RULES, PAYMENT_RULES
from famcov.errors import EXIT_CODES
from famcov.i18n import catalogue

EN, ZH = catalogue("en"), catalogue("zh")

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "famcov").rglob("*.py"))
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
LITERAL_KEY = re.compile(
    r"""(?:\b(?:t|Msg|has)\(\s*|message_key\s*=\s*)["']([a-z][\w-]*(?:\.[\w{}-]+)+)["']"""
)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_same_keys() -> None:
    assert sorted(set(ZH) - set(EN)) == [], "keys only in zh"
    assert sorted(set(EN) - set(ZH)) == [], "keys only in en"


def test_same_placeholders() -> None:
    differ = {
        key: (sorted(placeholders(ZH[key])), sorted(placeholders(EN[key])))
        for key in sorted(set(ZH) & set(EN))
        if placeholders(ZH[key]) != placeholders(EN[key])
    }
    assert differ == {}


def literal_keys() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in SOURCES:
        if path.parent.name == "i18n":
            continue
        for key in LITERAL_KEY.findall(path.read_text(encoding="utf-8")):
            found.setdefault(key, []).append(path.name)
    return found


def test_every_key_the_code_names_exists() -> None:
    keys = literal_keys()
    assert len(keys) > 100  # the pattern still finds the code's keys
    missing = {k: where for k, where in keys.items() if k not in ZH or k not in EN}
    assert missing == {}


def families() -> list[str]:
    keys = ["insurance.resident-basic"]
    keys += [f"relation.{r}" for r in RELATIONS]
    keys += [f"channel.{c}" for c in CHANNELS]
    keys += [f"reason.{r}" for r in REVOKE_REASONS]
    keys += [f"status.{s}" for s in (*WORKER_STATUSES, "paid", "revoked")]
    keys += [f"ledger.{k}" for k in ("opening", "credit", "payment", "refund")]
    keys += [f"scope.{s}" for s in ("province", "cross-province-quota")]
    keys += [f"error.{code}" for code in EXIT_CODES]
    keys += [f"wiz.proof.{k}" for k in ("hukou", "marriage", "birth")]
    return keys


def rule_codes() -> tuple[set[str], set[str]]:
    """The codes the rules return, read from their source (each rule names its code once)."""
    import inspect

    def codes(rules) -> set[str]:
        found = set()
        for rule in rules:
            found |= set(re.findall(r'"([A-Z_]{6,})"', inspect.getsource(rule)))
        return found

    return codes(PAYMENT_RULES), codes(BINDING_RULES)


def test_every_family_of_keys_is_complete() -> None:
    payment, binding = rule_codes()
    assert "ALREADY_PAID" in payment and "COMMITMENT_REQUIRED" in binding
    keys = families()
    for code in payment | binding:
        keys.append(f"rulename.{code}")
        keys += [f"rule.{code}.{status}" for status in ("passed", "failed", "skipped")]
    for code in payment:
        keys += [f"wiz.todo.{code}", f"explain.rule.{code}"]
    missing = [k for k in keys if k not in ZH or k not in EN]
    assert missing == []


def test_zh_is_chinese() -> None:
    english = []
    for key, message in sorted(ZH.items()):
        if key == "wiz.home.lang":  # the switch to English says so in English
            continue
        words = re.sub(r"\{\w+\}", "", message)
        if not CJK.search(words) and re.search(r"[A-Za-z]{4,}", words):
            english.append(key)
    assert english == []


# Chinese an English reader still needs: the app's and documents' own names in brackets,
# and the demo family's names in a command line to type.
BRACKETED = re.compile(r"\([^()]*\)|（[^（）]*）|《[^《》]*》|“[^“”]*”|〔\d+〕\d+号|国办发")
COMMAND_ARGUMENT = re.compile(r"--[a-z-]+ \S+")


def test_en_is_english() -> None:
    chinese = {}
    for key, message in sorted(EN.items()):
        if key == "wiz.home.lang":  # the switch back to Chinese says so in Chinese
            continue
        if CJK.search(COMMAND_ARGUMENT.sub("", BRACKETED.sub("", message))):
            chinese[key] = message
    assert chinese == {}


def test_no_key_is_defined_twice() -> None:
    """Catalogues are merged with `**`: a key in two files (or twice in one dict) is
    silently overridden, and a screen shows the other file's words."""
    import ast
    from collections import defaultdict

    for lang in ("zh", "en"):
        where: dict[str, list[str]] = defaultdict(list)
        for path in sorted((ROOT / "famcov" / "i18n").glob(f"*{lang}.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Dict):
                    for key in node.keys:
                        if isinstance(key, ast.Constant) and isinstance(key.value, str):
                            where[key.value].append(f"{path.name}:{key.lineno}")
        twice = {key: places for key, places in where.items() if len(places) > 1}
        assert twice == {}, f"{lang}: defined more than once"


def test_every_area_file_is_in_the_catalogue() -> None:
    """An area's file that AREAS does not name would never be read: its keys would show
    as keys on screen."""
    from famcov.i18n import AREAS

    folder = ROOT / "famcov" / "i18n"
    for lang in ("zh", "en"):
        files = {p.stem.removesuffix(f"_{lang}") for p in folder.glob(f"*_{lang}.py")}
        assert files == set(AREAS)
        for area in AREAS:
            module = __import__(f"famcov.i18n.{area}_{lang}", fromlist=["MESSAGES"])
            assert module.MESSAGES.items() <= catalogue(lang).items()


def test_a_flag_that_means_two_things_has_the_help_of_its_command() -> None:
    from conftest import invoke

    for lang, word in (("en", "school or counter"), ("zh", "counter（窗口）")):
        shown = invoke(["--lang", lang, "admin", "record-payment", "--help"]).stdout
        assert word in " ".join(shown.split()).replace("│", "")
        assert "sichuan-mini" not in shown
        root = invoke(["--lang", lang, "--help"]).stdout  # the global --channel: a pack id
        assert "sichuan-mini" in "".join(root.split())
