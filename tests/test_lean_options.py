"""famcov/lean_options.py passes str and bool option values past typer's pydantic
conversion (start-up speed). It is a patch of typer internals behind a feature check;
these tests hold both paths to the same behaviour on the installed (newest) typer."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import DEMO_TODAY, PAY_STANDARD

RUN = """
import sys
import famcov.lean_options as lean
if sys.argv[1] == "plain":
    lean.install = lambda: None  # typer's own conversion, as on a typer without the internals
import typer.core
from famcov.cli import app
patched = getattr(getattr(typer.core, "_TyperParameter", None), "get_runtime_param", None)
sys.stderr.write("lean=%s\\n" % bool(getattr(patched, "famcov_lean", False)))
app(sys.argv[2:])
"""


def famcov(mode: str, *args: str) -> tuple[int, dict, str]:
    done = subprocess.run(
        [sys.executable, "-c", RUN, mode, *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    return done.returncode, json.loads(done.stdout), done.stderr


def test_the_patch_is_in_place_on_this_typer():
    _, _, stderr = famcov("lean", "--json", "policy", "--province", "51")
    assert "lean=True" in stderr


def test_typers_own_conversion_gives_the_same_results(tmp_path):
    for mode in ("lean", "plain"):
        state = str(tmp_path / f"{mode}.json")
        common = ["--json", "--state", state, "--today", DEMO_TODAY]
        code, data, stderr = famcov(mode, *common, "init", "--demo")
        assert code == 0 and data["ok"], data
        assert ("lean=True" in stderr) == (mode == "lean")
        code, checked, _ = famcov(mode, *common, "check", *PAY_STANDARD)
        assert code == 0 and checked["passed"] is True, checked
        code, refused, _ = famcov(mode, *common, "pay", *PAY_STANDARD)
        assert code == 2 and refused["error"]["code"] == "CONFIRMATION_REQUIRED", refused
        code, paid, _ = famcov(mode, *common, "pay", *PAY_STANDARD, "--yes")
        assert code == 0 and paid["receipt"]["amount"] == "400.00", paid
