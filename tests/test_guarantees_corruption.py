"""Corruption: a damaged state file is refused, says where it broke, and is never changed.

Hypothesis generates truncated, garbled and hand-edited files (values of the
wrong type at random places, removed and unknown fields, changed numbers). For
each, reading and writing commands and `famcov doctor`:

- exit 0, or refuse with a documented code (STATE_CORRUPT / STATE_TOO_NEW exit
  3 for the file itself); never a traceback, never INTERNAL;
- leave the file byte-identical whenever they refuse;
- when the typed decoding fails, name the place: the JSON path of the edited
  value (or its parent, for a removed field), or a line and column.

Size: FAMCOV_FUZZ_EXAMPLES examples per property (default 30).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import PINNED_ENV, ZHANG_WEI
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from famcov.cli import app
from famcov.errors import EXIT_CODES, FamcovError
from famcov.statefile import decode
from famcov.store import Store

EXAMPLES = int(os.environ.get("FAMCOV_FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
COMMANDS = (
    ("payments",),
    ("account", "--payer", ZHANG_WEI),
    ("admin", "credit", "--id", ZHANG_WEI, "--amount", "1"),
    ("doctor",),
)
FILE_CODES = {"STATE_CORRUPT", "STATE_TOO_NEW"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> bytes:
    """A demo state after a payment and a revocation, so refunds are in the ledger too."""
    path = tmp_path_factory.mktemp("demo") / "state.json"
    head = ["--json", "--state", str(path), "--today", "2026-11-24"]
    pay = ["pay", "--payer", ZHANG_WEI, "--relative", "510104201506120045", "--region", "510100"]
    for args in (
        ["init", "--demo"],
        [*pay, "--year", "2027", "--tier", "standard", "--yes"],
        ["revoke", "DJ202611240002", "--reason", "duplicate", "--yes"],
        ["admin", "credit", "--id", ZHANG_WEI, "--amount", "12.34"],
    ):
        result = CliRunner().invoke(app, head + args, env=PINNED_ENV)
        assert result.exit_code == 0, result.stdout
    return path.read_bytes()


def put(state: Path, data: bytes) -> None:
    """The file as a person would leave it, with famcov's mode (doctor checks the mode too)."""
    state.write_bytes(data)
    os.chmod(state, 0o600)


def run(state: Path, args: tuple[str, ...], lang: str = "en") -> tuple[int, dict]:
    full = ["--json", "--state", str(state), "--today", "2026-11-24", "--lang", lang, *args]
    result = CliRunner().invoke(app, full, env=PINNED_ENV)
    out, err = result.stdout, result.stderr
    context = f"{full}\n{out}\n{err}"
    assert result.exception is None or isinstance(result.exception, SystemExit), context
    assert "Traceback" not in out + err, context
    data = json.loads(out)
    if not data["ok"]:
        assert data["error"]["code"] != "INTERNAL", context
        assert result.exit_code == EXIT_CODES[data["error"]["code"]], context
    assert result.exit_code in (0, 1, 2, 3), context
    return result.exit_code, data


def check_file(state: Path, damaged: bytes) -> list[dict]:
    """Every command on the damaged file: documented outcomes, file untouched on refusal."""
    outcomes = []
    for args in COMMANDS:
        put(state, damaged)
        code, data = run(state, args)
        if code != 0:
            assert state.read_bytes() == damaged, f"{args} refused yet changed the file"
        if code == 3 and args[0] != "doctor":
            assert data["error"]["code"] in FILE_CODES, data
        outcomes.append(data)
    return outcomes


def where_of(data: bytes) -> tuple[str, str] | None:
    """(code, where) of the loader's refusal, or None when the file loads."""
    try:
        decode(data, where="state.json")
    except FamcovError as exc:
        return exc.code, exc.params.get("where", "")
    return None


# -- truncated and garbled -------------------------------------------------------------------


@FUZZ
@given(cut=st.floats(0, 1, exclude_max=True))
def test_a_truncated_file_is_refused_and_kept(tmp_path_factory, demo: bytes, cut: float) -> None:
    state = tmp_path_factory.mktemp("t") / "state.json"
    damaged = demo[: int(cut * (len(demo) - 1))]  # at least the final newline and brace go
    found = where_of(damaged)
    assert found is not None and found[0] == "STATE_CORRUPT"
    outcomes = check_file(state, damaged)
    for data in outcomes:
        assert data["ok"] is False and data["error"]["code"] == "STATE_CORRUPT"
    assert outcomes[-1]["problems"][0]["code"] == "STATE_CORRUPT"  # doctor


@FUZZ
@given(
    edits=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.binary(max_size=3), st.integers(0, 3)),
        min_size=1,
        max_size=4,
    )
)
def test_garbled_bytes_never_get_further(tmp_path_factory, demo: bytes, edits) -> None:
    """Bytes overwritten, inserted or deleted anywhere: refused with a place, or harmless."""
    damaged = bytearray(demo)
    for at, new, removed in edits:
        i = int(at * len(damaged))
        damaged[i : i + removed] = new
    damaged = bytes(damaged)
    assume(damaged != demo)
    state = tmp_path_factory.mktemp("g") / "state.json"
    found = where_of(damaged)
    outcomes = check_file(state, damaged)
    if found is not None:
        code, where = found
        message = outcomes[0]["error"]["message"]
        assert outcomes[0]["error"]["code"] == code
        if code == "STATE_CORRUPT":
            assert where and (where in message or "line" in message or "cut off" in message), (
                message
            )


# -- hand edits at random places ---------------------------------------------------------------


def paths(value: Any, here: str = "$") -> list[tuple[str, list]]:
    """Every place in a JSON value: (its path, the keys that lead to it)."""
    found: list[tuple[str, list]] = []

    def walk(v: Any, path: str, keys: list) -> None:
        found.append((path, keys))
        if isinstance(v, dict):
            for k, item in v.items():
                walk(item, f"{path}.{k}", [*keys, k])
        elif isinstance(v, list):
            for i, item in enumerate(v):
                walk(item, f"{path}[{i}]", [*keys, i])

    walk(value, here, [])
    return found


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _related(where: str, edited: str) -> bool:
    """The refusal names the edited place, a place inside what was put there, or, for a
    field taken away or added, the record that holds it."""
    return where.startswith(edited) or edited.startswith(where)


@FUZZ
@given(data=st.data())
def test_hand_edits_are_refused_where_they_were_made(tmp_path_factory, demo: bytes, data) -> None:
    tree = json.loads(demo)
    places = paths(tree)
    path, keys = data.draw(st.sampled_from(places[1:]), label="place")
    parent = tree
    for k in keys[:-1]:
        parent = parent[k]
    last = keys[-1]
    action = data.draw(st.sampled_from(["replace", "remove", "add"]), label="action")
    if action == "replace":
        parent[last] = data.draw(json_values, label="value")
    elif action == "remove":
        del parent[last]
    else:
        target = parent[last]
        assume(isinstance(target, dict))
        target[data.draw(st.text(min_size=1, max_size=8), label="field")] = 1
        path = path  # the unknown field is reported at the record
    damaged = json.dumps(tree, ensure_ascii=False, indent=1).encode()
    assume(damaged != demo)
    found = where_of(damaged)
    state = tmp_path_factory.mktemp("h") / "state.json"
    outcomes = check_file(state, damaged)
    if found is None:
        return
    code, where = found
    assert outcomes[0]["error"]["code"] == code
    if code == "STATE_CORRUPT":
        if action == "remove" and isinstance(last, int):
            # a list item taken away shifts the others: the record now at that place
            path = path.rsplit("[", 1)[0]
        assert _related(where, path), (where, path, action)
        assert where in outcomes[0]["error"]["message"]


# -- hand-edited balances ------------------------------------------------------------------------


@FUZZ
@given(worker=st.integers(0, 1), delta=st.integers(-(10**9), 10**9).filter(bool))
def test_a_hand_edited_balance_is_detected(tmp_path_factory, demo: bytes, worker, delta) -> None:
    tree = json.loads(demo)
    tree["workers"][worker]["balance"] += delta
    damaged = json.dumps(tree, ensure_ascii=False).encode()
    state = tmp_path_factory.mktemp("b") / "state.json"
    where = f"$.workers[{worker}].balance"
    for args in COMMANDS:
        put(state, damaged)
        code, data = run(state, args)
        assert code == 3 and data["ok"] is False, data
        assert state.read_bytes() == damaged
        if args[0] == "doctor":
            found = {(p["code"], p["where"]) for p in data["problems"]}
            assert ("LEDGER_MISMATCH", where) in found
            assert found <= {("LEDGER_MISMATCH", where), ("NEGATIVE_BALANCE", where)}
        else:
            assert data["error"]["code"] == "STATE_CORRUPT"
            assert where in data["error"]["message"]
            assert "doctor" in data["error"]["message"]


def test_a_hand_edited_balance_is_explained_in_both_languages(tmp_path: Path, demo: bytes) -> None:
    tree = json.loads(demo)
    tree["workers"][0]["balance"] += 100
    state = tmp_path / "state.json"
    put(state, json.dumps(tree).encode())
    for lang, words in (("zh", "不符"), ("en", "sums to")):
        code, data = run(state, ("payments",), lang)
        assert code == 3 and words in data["error"]["message"]
        code, data = run(state, ("doctor",), lang)
        assert code == 3 and words in data["problems"][0]["message"]
        assert re.search(r"510104\*{8}0017", data["problems"][0]["message"])


@pytest.mark.parametrize(
    ("damage", "where"),
    [
        (lambda d: d.replace(b'"schema": 2', b'"schema": "2"'), "$.schema"),
        (lambda d: d.replace(b'"kind": "opening"', b'"kind": "gift"', 1), "$.ledger[0].kind"),
        (lambda d: d.replace(b'"on": "2025-09-01"', b'"on": "2025-02-30"', 1), "$.ledger[0].on"),
        (
            lambda d: d.replace(b'"region": "510100"', b'"region": "51010"', 1),
            "$.workers[0].region",
        ),
        (lambda d: d.replace(b'"next_seq": ', b'"next_seq": -', 1), "$.next_seq"),
        (lambda d: d.replace(b"{", b'{\n "extra": 1,', 1), "$"),
        (lambda d: d[:-3], "EOF"),
        (lambda d: d.replace(b",", b";", 1), "line 2 column 13"),
        (lambda d: b"\xef\xbb\xbf" + d, "line 1 column 1"),
        (lambda d: b"", "EOF"),
        (lambda d: b"[]", "$"),
        (lambda d: b"null", "$"),
    ],
)
def test_each_kind_of_damage_names_its_place(tmp_path: Path, demo: bytes, damage, where) -> None:
    damaged = damage(demo)
    assert damaged != demo
    state = tmp_path / "state.json"
    for lang in ("zh", "en"):
        put(state, damaged)
        code, data = run(state, ("admin", "credit", "--id", ZHANG_WEI, "--amount", "1"), lang)
        assert code == 3 and data["error"]["code"] == "STATE_CORRUPT", data
        found = where_of(damaged)
        assert found is not None and found[1].startswith(where), found
        if where.startswith("$.") or where.startswith("line"):
            message = data["error"]["message"]
            assert (where in message) or ("行" in message) or ("line" in message), message
        assert state.read_bytes() == damaged


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path, demo: bytes) -> None:
    state = tmp_path / "state.json"
    damaged = demo.replace("张伟".encode(), b"\xff\xfe", 1)
    put(state, damaged)
    code, data = run(state, ("payments",))
    assert code == 3 and data["error"]["code"] == "STATE_CORRUPT"
    assert state.read_bytes() == damaged


def test_store_load_leaves_the_file_alone_on_every_refusal(tmp_path: Path, demo: bytes) -> None:
    state = tmp_path / "state.json"
    state.write_bytes(demo[:100])
    stamp = state.stat().st_mtime_ns
    with pytest.raises(FamcovError), Store(state).transaction():
        pass
    assert state.read_bytes() == demo[:100] and state.stat().st_mtime_ns == stamp
