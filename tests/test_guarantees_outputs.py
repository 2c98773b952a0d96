"""Files famcov writes besides the state (exports, handouts, backups) never take the
state's place nor hang on what lies where they would go."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import DEMO_RECEIPT


def test_a_handout_never_overwrites_the_state_its_lock_or_a_backup(demo: Path, refused):
    for target in (demo, demo.with_name(demo.name + ".lock"), demo.with_name(demo.name + ".bak")):
        refused(
            "scenario",
            "handout",
            "happy-path",
            "--output",
            str(target),
            code="EXPORT_FAILED",
            exit=1,
        )
    assert not demo.with_name(demo.name + ".bak").exists()


def test_a_receipt_export_never_overwrites_a_state_named_like_a_picture(
    demo: Path, run, tmp_path: Path
):
    state = tmp_path / "records.svg"
    shutil.copy(demo, state)
    before = state.read_bytes()
    out = run("receipt", DEMO_RECEIPT, "--export", str(state), state_path=state)
    assert out.code == 1 and out.data["error"]["code"] == "EXPORT_FAILED", out
    assert state.read_bytes() == before


def test_a_pipe_where_a_backup_would_go_is_passed_by_not_read(demo: Path, ok, refused):
    fifo = demo.with_name(demo.name + ".bak")
    os.mkfifo(fifo)
    data = refused("init", code="STATE_EXISTS", exit=3, lang="en")  # would hang reading it
    assert "state.json.2.bak" in data["error"]["message"]
    before = demo.read_bytes()
    ok("init", "--force")
    assert demo.with_name(demo.name + ".2.bak").read_bytes() == before
    assert fifo.is_fifo()  # neither read nor replaced
