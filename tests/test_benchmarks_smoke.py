"""benchmarks/run.py --quick runs and prints its tables (each figure taken once). No timing is asserted here:
the figures belong to docs/performance.md, measured on a quiet machine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"


def test_quick_benchmark_runs_and_prints_its_tables() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--repeat", "1"],  # every table, once
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    for heading in ("Start-up:", "Imports on scripted paths", "Large state:", "admin import of"):
        assert heading in out, out
    for row in ("famcov --json account", "check", "pay", "admin credit", "peak RSS"):
        assert row in out, out
    # Not a timing: the wizard, prompts, pydantic and rich stay off scripted paths.
    assert "IMPORTED" not in out, out
