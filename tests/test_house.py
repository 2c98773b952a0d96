"""The house (issue 17): layers without a circle, no module mixing concerns past 700
lines, and no module keeping a run's state."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "famcov"


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def imports() -> dict[str, set[str]]:
    """Which famcov modules each module imports, inside functions too (an import put in
    a function to break a circle is still one)."""
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets.append(node.module)
                targets += [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                targets += [alias.name for alias in node.names]
            for target in targets:
                # a package's __init__ gathering its own modules is no circle
                if target in known and target != name and not target.startswith(name + "."):
                    graph[name].add(target)
    return graph


def test_no_import_circle() -> None:
    graph = imports()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 5000))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def strong(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                circles.append(sorted(part))

    for v in graph:
        if v not in index:
            strong(v)
    assert circles == []


def test_no_module_outside_the_catalogues_is_over_700_lines() -> None:
    long = {
        name: count
        for name, path in modules().items()
        if ".i18n" not in name
        and (count := len(path.read_text(encoding="utf-8").splitlines())) > 700
    }
    assert long == {}


# Process-wide state that is the process's own, not a run's: the language of the
# catalogues, the SIGINT handler, rich's patch installed once, a compiled pattern.
ALLOWED_GLOBALS = {
    "famcov.i18n": {"_lang", "_catalogue"},
    "famcov.signals": {"_held", "_previous", "_noted"},
    "famcov.output.fold": {"_installed"},
    "famcov.output.render": {"_JSON_RAW_UNSAFE"},
}


def test_no_module_keeps_a_runs_state() -> None:
    """What one run was given and did travels as an object (famcov.run.Run), so a second
    run in the same process (a test, the wizard) starts clean: no `global` rebinds a
    module's name but the process's own state above."""
    found: dict[str, set[str]] = {}
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Global):
                found.setdefault(name, set()).update(node.names)
    assert found == ALLOWED_GLOBALS


def test_no_channel_is_named_in_the_code() -> None:
    """Which channel plays which part comes from its pack's attributes (kind, funds,
    modelled), so a new channel is a data file: no pack id is written in famcov/."""
    import json

    packs = [
        json.loads(path.read_text(encoding="utf-8"))
        for path in (ROOT / "data" / "channels").glob("*.json")
    ]
    # "counter" is a pack's id and also a kind (and how a premium was paid): the word
    # the code tests is the kind
    ids = {pack["id"] for pack in packs} - {pack["kind"] for pack in packs}
    named = {
        f"{name}: {pack}"
        for name, path in modules().items()
        if ".i18n" not in name
        for pack in ids
        if f'"{pack}"' in path.read_text(encoding="utf-8")
    }
    assert named == set()
