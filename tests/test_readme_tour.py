"""The README's tour works when pasted: every line of its block, in order, exits 0.

The block's first line is `export FAMCOV_TODAY=… FAMCOV_STATE=…`; the others are
famcov commands, run through the typer app in a temporary folder (so `tour.json`,
the exported receipt and the tour's relative paths land there) with that
environment. Files the tour names (data/examples/records.csv) must ship.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.conftest import PINNED_ENV, invoke

ROOT = Path(__file__).resolve().parent.parent


def tour_lines() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A tour of the commands", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```sh\n(.+?)\n```", section, flags=re.S)
    return [line for line in block.splitlines() if line.strip()]


def test_the_tour_states_its_date_and_state_first():
    first, *commands = tour_lines()
    words = shlex.split(first, comments=True)
    assert words[0] == "export"
    env = dict(word.split("=", 1) for word in words[1:])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", env["FAMCOV_TODAY"])
    assert not Path(env["FAMCOV_STATE"]).is_absolute()
    assert all(shlex.split(c, comments=True)[0] == "famcov" for c in commands)


def test_the_tour_names_only_files_in_the_repository():
    """Files it reads ship; files it writes go into the shipped, git-ignored tour/."""
    assert (ROOT / "tour" / ".gitignore").is_file()
    for line in tour_lines():
        for word in shlex.split(line, comments=True):
            word = word.split("=", 1)[-1]  # FAMCOV_STATE=tour/tour.json
            if "/" in word:
                assert not word.startswith(("/", "~", "..")), word
                written = Path(word).parent == Path("tour")
                assert written or (ROOT / word).exists(), (
                    f"the tour names {word}, which does not ship"
                )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_tour_runs_as_pasted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str):
    (tmp_path / "data").symlink_to(ROOT / "data", target_is_directory=True)
    (tmp_path / "tour").mkdir()  # as it ships
    monkeypatch.chdir(tmp_path)
    first, *commands = tour_lines()
    env = {**PINNED_ENV, "FAMCOV_LANG": lang}
    env.update(word.split("=", 1) for word in shlex.split(first, comments=True)[1:])
    for _ in range(2):  # pasted twice: init --demo --force starts the tour afresh
        for line in commands:
            argv = shlex.split(line, comments=True)[1:]
            result = invoke(argv, env=env)
            assert result.exit_code == 0, (line, result.stdout, result.stderr)
    assert (tmp_path / env["FAMCOV_STATE"]).is_file()
    assert (tmp_path / "tour" / "receipt.svg").read_text(encoding="utf-8").startswith("<svg")
    assert (tmp_path / "tour" / "handout.md").is_file()
    # nothing lands in the folder the tour is pasted in: all of it is under tour/
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "tour"]


def hubei_lines() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The tax channel and Hubei's pay-then-return", 1)[1]
    section = section.split("\n#", 1)[0]
    (block,) = re.findall(r"```sh\n(.+?)\n```", section, flags=re.S)
    return [line for line in block.splitlines() if line.strip()]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_hubei_example_runs_as_pasted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
):
    """The tax channel then the return, as the README shows them: every line exits 0,
    pasted twice (its `init --force` starts afresh), and the return is made."""
    (tmp_path / "data").symlink_to(ROOT / "data", target_is_directory=True)
    (tmp_path / "tour").mkdir()
    monkeypatch.chdir(tmp_path)
    first, *commands = hubei_lines()
    words = shlex.split(first, comments=True)
    assert words[0] == "export"
    env = {**PINNED_ENV, "FAMCOV_LANG": lang}
    env.update(word.split("=", 1) for word in words[1:])
    assert all(shlex.split(c, comments=True)[0] == "famcov" for c in commands)
    assert not Path(env["FAMCOV_STATE"]).is_absolute()
    for _ in range(2):
        for line in commands:
            result = invoke(shlex.split(line, comments=True)[1:], env=env)
            assert result.exit_code == 0, (line, result.stdout, result.stderr)
    account = invoke(["--json", "account", "--payer", "周强"], env=env)
    assert '"balance":"1600.00"' in account.stdout.replace(" ", "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "tour"]
