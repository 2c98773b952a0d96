"""The README's two commands stay true, and CI runs the README's test command."""

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def readme_commands(shell: str = "sh") -> list[str]:
    """The first screen's commands for one shell (sh, powershell, bat)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_screen = text.split("## ", 1)[0]
    return re.findall(rf"```{shell}\n(.+?)\n```", first_screen)


@pytest.mark.parametrize("shell", ["sh", "powershell", "bat"])
def test_readme_gives_exactly_two_commands_per_platform(shell: str):
    install_and_run, install_and_test = readme_commands(shell)
    for command in (install_and_run, install_and_test):
        assert "-m venv .venv" in command
    assert "pip install ." in install_and_run
    assert install_and_run.endswith("famcov")  # on PATH in that shell: the tour works as pasted
    assert "pip install -e" in install_and_test and "[test]" in install_and_test
    assert install_and_test.endswith("pytest")


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    _, install_and_test = readme_commands()
    install, _, test = install_and_test.rpartition(" && ")
    assert install in ci
    assert test in ci.splitlines()


def test_the_workflow_runs_the_readme_test_command_on_every_os():
    workflow = (ROOT / ".github" / "workflows" / "tests.yml").read_text(encoding="utf-8")
    for os_name in ("ubuntu-latest", "windows-latest", "macos-latest"):
        assert os_name in workflow
    for python in ('"3.11"', '"3.14"'):
        assert python in workflow
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for line in ci.splitlines():  # every check CI runs here, the workflow runs there
        if line.startswith(("ruff", "mypy", "pytest")):
            assert line.removesuffix(" &") in workflow, line  # here side by side


def command_paths(group=None, prefix: tuple[str, ...] = ()) -> list[str]:
    """Every command famcov has, nested ones as `admin enrol`, walked through click."""
    import typer.main

    from famcov.cli import app

    group = group or typer.main.get_command(app)
    paths = []
    for name, command in sorted(group.commands.items()):
        if getattr(command, "commands", None):
            paths += command_paths(command, (*prefix, name))
        else:
            paths.append(" ".join((*prefix, name)))
    return paths


def test_every_command_is_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paths = command_paths()
    assert "admin enrol" in paths and "scenario list" in paths
    missing = [p for p in paths if f"famcov {p}" not in readme]
    assert not missing, f"not in README.md: {missing}"


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


def _command_paths(command, path=()):
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from _command_paths(sub, (*path, name))


def test_every_command_and_option_has_help_in_both_languages():
    import typer.main

    from famcov.cli import app
    from famcov.i18n import catalogue

    EN, ZH = catalogue("en"), catalogue("zh")

    root = typer.main.get_command(app)
    for path in _command_paths(root):
        key = "help." + (".".join(path) or "root")
        assert key in ZH and key in EN, key
        command = root
        for name in path:
            command = command.commands[name]
        for param in command.params:
            key = "opt." + (param.opts[0] if param.param_type_name == "option" else param.name)
            assert key in ZH and key in EN, key


def test_help_follows_the_language():
    from typer.testing import CliRunner

    from famcov.cli import app

    runner = CliRunner()
    zh = runner.invoke(app, ["pay", "--help"], env={"COLUMNS": "100", "FAMCOV_LANG": ""})
    en = runner.invoke(app, ["--lang", "en", "pay", "--help"], env={"COLUMNS": "100"})
    assert zh.exit_code == en.exit_code == 0
    assert "个人账户代缴申请" in zh.stdout and "被代缴人的身份证号或姓名" in zh.stdout
    assert (
        "Proxy payment application" in en.stdout
        and "The relative: resident ID or name." in en.stdout
    )


@pytest.mark.skipif(
    subprocess.run([sys.executable, "-c", "import hatchling"], capture_output=True).returncode,
    reason="hatchling is not installed",
)
def test_the_sdist_carries_what_its_tests_read(tmp_path):
    """An sdist's tests run from the sdist: every file of the repository a test reads
    (README.md, docs/, .ci/run, data/, benchmarks/) is in it."""
    import tarfile

    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (sdist,) = tmp_path.glob("famcov-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    read_by_tests = set()
    for test in (ROOT / "tests").glob("*.py"):
        source = test.read_text(encoding="utf-8")
        for first, second in re.findall(r'ROOT / "([\w.-]+)"(?: / "([\w.-]+)")?', source):
            read_by_tests.add(f"{first}/{second}" if second else first)
    assert {"README.md", "docs/errors.md", "docs/guarantees.md", ".ci/run"} <= names
    for path in sorted(read_by_tests):
        assert path in names or any(n.startswith(path + "/") for n in names), path
