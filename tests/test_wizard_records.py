"""The wizard reads the state file again only when it changed (issue 10: an Enter on a
100,000-record state took over a second), yet a change from another terminal, or any
write of its own, shows at the next screen."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from conftest import ZHANG_WEI

from famcov.features import bureau
from famcov.requests import RecordRequest
from famcov.session import Session
from famcov.store import Store
from famcov.wizard.flow import Wizard

TODAY = dt.date(2026, 11, 24)


def _wizard(state: Path) -> Wizard:
    return Wizard(session=Session(state_path=state, today=TODAY), ask=None, out=None)


def test_an_unchanged_file_is_not_read_again(demo: Path):
    wiz = _wizard(demo)
    assert wiz.records() is wiz.records()


def test_another_terminals_credit_shows_at_once(demo: Path):
    wiz = _wizard(demo)
    before = wiz.records().worker(ZHANG_WEI).balance
    with Store(demo).transaction() as records:  # another famcov, another terminal
        bureau.credit(records, wiz.policy, TODAY, RecordRequest(ZHANG_WEI, amount=10_000))
    assert wiz.records().worker(ZHANG_WEI).balance == before + 10_000


def test_an_edit_in_place_with_the_same_size_shows(demo: Path):
    wiz = _wizard(demo)
    first = wiz.records()
    data = demo.read_bytes()
    stat = demo.stat()
    # the same bytes rewritten in place (same inode, same size), a moment later
    with open(demo, "r+b") as f:
        f.write(data)
    os.utime(demo, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert wiz.records() is not first
