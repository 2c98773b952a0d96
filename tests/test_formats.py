"""The state's string formats, checked in bulk, accept and refuse exactly what
msgspec's per-value patterns (the strict twin) accept and refuse, with the same error."""

from __future__ import annotations

import msgspec
import pytest

from famcov.domain import formats
from famcov.domain.model import State

GOOD = {
    "schema": 1,
    "workers": [
        {"id": "51010419850315001X", "name": "张伟", "region": "510100", "balance": 100},
        {"id": "510105198708230025", "name": "李娜", "region": "510100", "balance": 0},
    ],
    "enrolments": [
        {"id": "510104201506120045", "name": "张小雨", "region": "510100", "year": 2027}
    ],
    "bindings": [
        {
            "payer": "51010419850315001X",
            "relative": "510104201506120045",
            "name": "张小雨",
            "relation": "child",
            "bound_on": "2026-09-01",
        }
    ],
    "ledger": [
        {
            "seq": 1,
            "account": "51010419850315001X",
            "kind": "opening",
            "amount": 100,
            "on": "2026-09-01",
        }
    ],
    "next_seq": 2,
}

SPOTS = [
    ("workers", 1, "id"),
    ("workers", 0, "region"),
    ("enrolments", 0, "id"),
    ("enrolments", 0, "region"),
    ("bindings", 0, "relative"),
    ("ledger", 0, "account"),
]
VALUES = [
    "",
    "51010419850315001x",
    "5101041985031500123",
    "51010419850315001X\n",  # msgspec's `$` lets a value end in a line break
    "510100\n",
    "\n510100",
    "51010",
    "５１０１００",
    "DJ202611240001",
    7,
    None,
]


def outcome(decode, data: bytes):
    try:
        return "ok", msgspec.json.encode(decode(data))
    except msgspec.DecodeError as exc:
        return "refused", str(exc)


@pytest.mark.parametrize("spot", SPOTS)
@pytest.mark.parametrize("value", VALUES)
def test_bulk_check_agrees_with_msgspec_patterns(spot, value) -> None:
    doc = msgspec.json.decode(msgspec.json.encode(GOOD))
    where, index, field = spot
    doc[where][index][field] = value
    data = msgspec.json.encode(doc)
    strict = msgspec.json.Decoder(formats.strict(State))
    assert outcome(lambda d: formats.decode(d, State), data) == outcome(strict.decode, data)


def test_a_good_file_decodes_into_the_real_records() -> None:
    state = formats.decode(msgspec.json.encode(GOOD), State)
    assert type(state) is State and state.workers[0].id == "51010419850315001X"


def test_the_strict_twin_carries_the_patterns() -> None:
    bad = dict(GOOD, workers=[dict(GOOD["workers"][0], id="x")])
    with pytest.raises(msgspec.DecodeError, match=r"matching regex .* at `\$\.workers\[0\]\.id`"):
        formats.decode(msgspec.json.encode(bad), State)
