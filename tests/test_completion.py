"""Shell completion (typer's own, `famcov --install-completion`): commands and flags,
and after a flag the values famcov knows — regions, relations, people by name, receipt
numbers from the state file the command line names. Never a resident ID, never a
failure: a missing state file completes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DEMO_RECEIPT, ZHANG_WEI

FAMCOV = Path(sys.executable).with_name("famcov")


def complete(
    words: str, state: Path | None = None, shell: str = "complete_bash", keep: tuple[str, ...] = ()
) -> list[str]:
    program = [str(FAMCOV)] if FAMCOV.exists() else [sys.executable, "-m", "famcov"]
    argv = words.split(" ")
    if state is not None:
        argv[1:1] = ["--state", str(state)]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("FAMCOV_") or k in keep},
        "_FAMCOV_COMPLETE": shell,
        "COMP_WORDS": " ".join(argv),
        "COMP_CWORD": str(len(argv) - 1),
        "_TYPER_COMPLETE_ARGS": " ".join(argv),  # zsh's
    }
    done = subprocess.run(
        program, env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout.split()


def test_commands_and_flags_complete():
    assert {"pay", "payments", "policy"} <= set(complete("famcov p"))
    assert {"enrol", "credit", "add-worker"} <= set(complete("famcov admin "))
    assert {"--region", "--relative"} <= set(complete("famcov pay --re"))


def test_commands_are_described_in_the_runs_language_in_zsh(monkeypatch):
    """What completion says of each command is its help from the catalogues (the
    bureau's table-made commands have no docstring of their own)."""
    from famcov.i18n import catalogue

    for lang in ("zh", "en"):
        monkeypatch.setenv("FAMCOV_LANG", lang)
        words = catalogue(lang)
        said = " ".join(complete("famcov admin ", shell="complete_zsh", keep=("FAMCOV_LANG",)))
        for name in ("move", "credit"):
            said_of = words[f"help.admin.{name}"].split("'")[0][:12]  # zsh doubles a quote
            assert f'"{name}":"{said_of}' in said, (lang, said)
        said = " ".join(complete("famcov quota ", shell="complete_zsh", keep=("FAMCOV_LANG",)))
        assert f'"reserve":"{words["help.quota.reserve"][:12]}' in said, (lang, said)


def test_the_bureaus_commands_complete_people_by_name_and_a_status(demo: Path):
    assert "张小雨" in complete("famcov admin record-claim --id 张", demo)
    assert "张伟" in complete("famcov admin credit --id 张", demo)
    assert complete("famcov admin add-worker --id 张", demo) == []  # someone new: an ID
    assert complete("famcov admin add-worker --status s") == ["suspended"]
    joined = " ".join(complete("famcov admin credit --id ", demo))
    assert not any(ch.isdigit() for ch in joined)  # names, never an ID


def test_a_premium_paid_elsewhere_completes_its_channel():
    assert {"tax", "wechat"} <= set(complete("famcov admin record-payment --channel "))


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("famcov pay --region 成", "成都"),
        ("famcov check --region 5101", "510100"),
        ("famcov bind --relation 子", "子女"),
        ("famcov bind --relation chi", "child"),
        ("famcov revoke DJ1 --reason dup", "duplicate"),
        ("famcov policy --province 四", "四川"),
        ("famcov pay --tier st", "standard"),
        ("famcov --lang e", "en"),
        ("famcov --channel tax", "tax-city-service"),
        ("famcov scenario start happy", "happy-path"),
    ],
)
def test_values_from_the_policy_complete(words, expected):
    assert expected in complete(words)


def test_people_and_receipts_complete_from_the_named_state_by_name(demo: Path):
    assert "张伟" in complete("famcov family --payer 张", demo)
    after = complete(f"famcov family --state {demo} --payer 张")  # --state after the command
    assert "张伟" in after
    assert "张小雨" in complete("famcov pay --payer 张伟 --relative 张小", demo)
    receipts = complete("famcov receipt DJ", demo)
    assert DEMO_RECEIPT in receipts
    offered = " ".join(complete("famcov family --payer ", demo) + receipts)
    assert ZHANG_WEI not in offered and ZHANG_WEI[:6] + "1985" not in offered


def test_a_missing_or_damaged_state_completes_nothing(tmp_path: Path):
    assert complete("famcov receipt DJ", tmp_path / "absent.json") == []
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert complete("famcov family --payer 张", bad) == []
    assert bad.read_text(encoding="utf-8") == "{not json"


def test_scenario_names_and_handout_formats_complete():
    assert {"revoke-repay", "revoke-closed"} <= set(complete("famcov scenario show revoke"))
    assert "happy-path" in complete("famcov scenario start h")
    assert complete("famcov scenario handout revoke-repay --format h") == ["html"]


# Flags whose values famcov knows, and the completion each must offer, in every command
# that takes them (pay-tax and claim-return had none).
KNOWN_VALUES = {
    "--payer": "payers",
    "--relative": "relatives",
    "--region": "regions",
    "--tier": "tiers",
    "--relation": "relations",
    "--proof": "proofs",
    "--reason": "reasons",
    "--province": "provinces",
    "--id": "people",
    "--status": "statuses",
}


def _completers(function, depth: int = 0) -> set[str]:
    """The names of famcov.completion's functions inside typer's wrappers of one."""
    if function is None or depth > 4:
        return set()
    found = {function.__name__} if function.__module__ == "famcov.completion" else set()
    for cell in getattr(function, "__closure__", None) or ():
        if callable(cell.cell_contents):
            found |= _completers(cell.cell_contents, depth + 1)
    return found


def test_every_command_completes_the_values_famcov_knows():
    import typer.main

    from famcov.cli import app

    def walk(command, path=()):
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, (*path, name))

    missing = []
    for path, command in walk(typer.main.get_command(app)):
        for param in command.params:
            wanted = KNOWN_VALUES.get(param.opts[0])
            if wanted is None:
                continue
            if wanted not in _completers(getattr(param, "_custom_shell_complete", None)):
                missing.append(f"{' '.join(path)} {param.opts[0]}")
    assert missing == []
    assert "510100" in complete("famcov pay-tax --region 5101")


@pytest.mark.parametrize("flag", ["--install-completion", "--show-completion"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_shell_named_is_used_and_none_found_is_said(
    tmp_path: Path, monkeypatch, flag: str, lang: str
) -> None:
    """typer finds the shell above famcov; a script, a service or Windows' cmd has none it
    knows, and typer then said "Shell None is not supported" in English: the shell named
    after the flag is used, and without one famcov says how to name it (exit 2)."""
    import shellingham
    from conftest import assert_message, invoke, parse_json

    def no_shell(*args, **kwargs):
        raise shellingham.ShellDetectionFailure()

    monkeypatch.setattr(shellingham, "detect_shell", no_shell)
    monkeypatch.setenv("HOME", str(tmp_path))
    for given in ([flag, "bash"], [f"{flag}=BASH"]):
        done = invoke(["--lang", lang, *given])
        assert done.exit_code == 0, done.stdout
        assert "_COMPLETE=complete_bash" in (
            done.stdout
            if "show" in flag
            else "".join(f.read_text() for f in tmp_path.glob(".bash_completions/*.sh"))
        )
    for given in ([flag], [flag, "cmd"], ["--json", flag]):
        done = invoke(["--lang", lang, *given])
        assert done.exit_code == 2, done.stdout
        if "--json" in given:
            assert parse_json(done.stdout)["error"]["code"] == "COMPLETION_SHELL"
        else:
            said = done.stdout + done.stderr
            assert f"{flag} bash" in said and "not supported" not in said
            assert_message(said.strip().split("\n")[-1], lang)


def test_each_flag_takes_its_own_shell_and_an_empty_one_is_none(tmp_path: Path, monkeypatch):
    """Two completion flags name two shells: each is the one named after it (the first
    given is done); `--show-completion=` names none, which is said, not guessed."""
    from conftest import invoke, parse_json

    monkeypatch.setenv("HOME", str(tmp_path))
    shown = invoke(["--show-completion", "bash", "--install-completion", "zsh"])
    assert shown.exit_code == 0 and "_COMPLETE=complete_bash" in shown.stdout
    assert not (tmp_path / ".zshrc").exists()
    installed = invoke(["--install-completion", "zsh", "--show-completion", "bash"])
    assert installed.exit_code == 0, installed.stdout
    assert list((tmp_path / ".zfunc").iterdir()) and not (tmp_path / ".bashrc").exists()
    for given in (["--show-completion="], ["--install-completion", ""]):
        done = invoke(["--json", *given])
        assert done.exit_code == 2 and parse_json(done.stdout)["error"]["code"] == (
            "COMPLETION_SHELL"
        ), done.stdout


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_install_that_fails_half_way_leaves_the_start_up_file_as_it_was(
    tmp_path: Path, monkeypatch, lang: str
) -> None:
    """typer writes ~/.bashrc before the script it loads: where the script cannot be
    written, .bashrc is put back, so "nothing was written" is true and no new shell
    loads a missing file."""
    from conftest import assert_message, invoke

    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".bashrc").write_text("alias ll='ls -l'\n")
    (tmp_path / ".bash_completions").write_text("a file where the folder would go")
    done = invoke(["--lang", lang, "--install-completion", "bash"])
    assert done.exit_code == 2, done.stdout
    assert (tmp_path / ".bashrc").read_text() == "alias ll='ls -l'\n"
    assert_message((done.stdout + done.stderr).strip().split("\n")[-1], lang)
    (tmp_path / ".bashrc").unlink()  # none before: none after
    assert invoke(["--install-completion", "bash"]).exit_code == 2
    assert not (tmp_path / ".bashrc").exists()


@pytest.mark.parametrize("shell", ["powershell", "pwsh"])
def test_powershell_named_where_it_is_not_installed_is_said(
    tmp_path: Path, monkeypatch, shell: str
) -> None:
    from conftest import invoke, parse_json

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))  # no PowerShell on it
    for lang, words in (("zh", "没有装"), ("en", "not installed")):
        done = invoke(["--lang", lang, "--install-completion", shell])
        assert done.exit_code == 2 and words in done.stdout + done.stderr, done.stdout
        assert shell in done.stdout + done.stderr
    data = parse_json(invoke(["--json", "--install-completion", shell]).stdout)
    assert data["error"]["code"] == "COMPLETION_SHELL"
    assert list(tmp_path.iterdir()) == []  # nothing installed


@pytest.mark.skipif(sys.platform == "win32", reason="HOME is POSIX's; Windows has USERPROFILE")
def test_no_home_or_a_quote_in_it_installs_nothing_and_says_why(tmp_path: Path, monkeypatch):
    """HOME unset or empty made typer install into /; a ' in it wrote a broken
    `source '...'` line into .bashrc while famcov said it was installed."""
    from conftest import invoke, parse_json

    monkeypatch.setenv("HOME", "")
    data = parse_json(invoke(["--json", "--install-completion", "bash"]).stdout)
    assert data["error"]["code"] == "COMPLETION_SHELL" and "HOME" in data["error"]["message"]
    quoted = tmp_path / "o'brien"
    quoted.mkdir()
    monkeypatch.setenv("HOME", str(quoted))
    for lang in ("zh", "en"):
        done = invoke(["--lang", lang, "--install-completion", "bash"])
        assert done.exit_code == 2, done.stdout
    assert list(quoted.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and HOME are POSIX's")
def test_a_start_up_file_that_is_a_pipe_or_a_relative_home_installs_nothing(
    tmp_path: Path, monkeypatch
) -> None:
    """A FIFO at ~/.bashrc hung the install for ever; a relative HOME wrote a source line
    that breaks in any other folder, and famcov said installed."""
    import os

    from conftest import invoke, parse_json

    home = tmp_path / "home"
    home.mkdir()
    os.mkfifo(home / ".bashrc")
    monkeypatch.setenv("HOME", str(home))
    data = parse_json(invoke(["--json", "--install-completion", "bash"]).stdout)
    assert data["error"]["code"] == "FILE_UNUSABLE", data
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", "relative")
    data = parse_json(invoke(["--json", "--install-completion", "bash"]).stdout)
    assert data["error"]["code"] == "COMPLETION_SHELL", data
    assert not (tmp_path / "relative").exists()
