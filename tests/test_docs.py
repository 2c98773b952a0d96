"""The README's two commands stay true, and CI runs the README's test command."""

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_screen = text.split("## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", first_screen)


def test_readme_gives_exactly_two_commands():
    install_and_run, install_and_test = readme_commands()
    assert install_and_run.endswith(".venv/bin/famcov")
    assert "pip install ." in install_and_run
    assert install_and_test.endswith(".venv/bin/pytest")


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    _, install_and_test = readme_commands()
    install, _, test = install_and_test.rpartition(" && ")
    assert install in ci
    assert test in ci.splitlines()


def test_every_command_is_documented():
    from famcov.cli import app

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    for name in names:
        assert f"famcov {name}" in readme, name


@pytest.mark.skipif(
    subprocess.run([sys.executable, "-c", "import hatchling"], capture_output=True).returncode,
    reason="hatchling is not installed",
)
def test_the_wheel_ships_the_data(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("famcov-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for pack in ("sichuan", "yunnan", "jiangxi"):
        assert f"famcov/data/policies/{pack}.json" in names
    assert "famcov/data/demo.json" in names
