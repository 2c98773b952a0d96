"""Output in the encoding of its stream (CLI.md: "Human output is written in whatever
encoding the stream has ... output never stops half-way. A closed pipe is not an
error"), and ASCII mode for legacy consoles (FAMCOV_ASCII).

Every human-readable command runs in a process of its own (`python -m famcov`, or on
POSIX forked from one Python started in the same environment: tests/forkrun.py; 80
columns, --today) into a pipe: in UTF-8, with PYTHONIOENCODING=gbk (a pipe or a file on Chinese
Windows), under LC_ALL=C (UTF-8 mode, and ASCII with UTF-8 mode off), and with
FAMCOV_ASCII=1; the wizard's main screens in a pty at 80x24.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import subprocess
import sys
import unicodedata
from functools import cache
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import DEMO_TODAY, JIANGUO, ZHANG_WEI

BIND = ("--relative", "510104201001010019", "--name", "张小明", "--relation", "子女")
PAY = ("--payer", "张伟", "--relative", "张小雨", "--region", "成都", "--year", "2027")
HUBEI = ("--payer", "周强", "--relative", "周亮")
WUHAN = ("--region", "武汉", "--year", "2027")
# every human-readable command, in the order of the README's tour (a state file s.json;
# the Hubei scenario in h.json); `pay` twice: the second is refused on stderr
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("init", "--demo"),
    ("family", "--payer", "张伟"),
    ("bind", "--payer", "张伟", *BIND, "--accept-commitment"),
    ("verify", "--payer", "张伟", "--relative", "张小明"),
    ("check", *PAY),
    ("pay", *PAY, "--tier", "standard", "--yes"),
    ("pay", *PAY, "--tier", "standard", "--yes"),
    ("payments", "--payer", "张伟"),
    ("receipt", "DJ202611240002"),
    ("revoke", "DJ202611240002", "--reason", "duplicate", "--yes"),
    ("account", "--payer", "张伟"),
    ("unbind", "--payer", "张伟", "--relative", "张德福", "--yes"),
    ("policy", "--province", "四川", "--year", "2027"),
    ("doctor",),
    ("scenario", "list"),
    ("scenario", "show", "hubei-return"),
    ("scenario", "handout", "revoke-repay"),
    ("--state", "h.json", "scenario", "start", "hubei-return"),
    ("--state", "h.json", "pay-tax", *HUBEI, *WUHAN, "--tier", "standard", "--yes"),
    ("--state", "h.json", "claim-return", *HUBEI, "--year", "2027", "--yes"),
    ("--state", "h.json", "scenario", "check"),
)
HELP = tuple(
    (*command, "--help")
    for command in (
        (),
        ("init",),
        ("family",),
        ("bind",),
        ("verify",),
        ("check",),
        ("pay",),
        ("payments",),
        ("receipt",),
        ("revoke",),
        ("account",),
        ("policy",),
        ("doctor",),
        ("scenario",),
        ("scenario", "start"),
        ("scenario", "check"),
        ("pay-tax",),
        ("claim-return",),
    )
)
# The fallbacks a GBK stream gets for famcov's glyphs (docs/guarantees.md, "Output").
GBK_FALLBACKS = {"✓": "√", "✗": "×", "✕": "×", "•": "·", "☐": "□", "¥": "￥", "›": ">"}


class Ran(NamedTuple):
    args: tuple[str, ...]
    code: int
    stdout: bytes
    stderr: bytes


def environment(**extra: str) -> dict[str, str]:
    """The caller's environment without anything that changes famcov or the encoding,
    the terminal pinned, and `extra`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FAMCOV_", "PYTHONIO", "PYTHONUTF8", "LC_", "LANG"))
    }
    env.update(COLUMNS="80", LINES="24", NO_COLOR="1", TERM="dumb")
    env.update(extra)
    return env


def _state(args: tuple[str, ...]) -> tuple[str, ...]:
    return () if args[:1] == ("--state",) else ("--state", "s.json")


def famcov(folder: Path, args: tuple[str, ...], *, lang: str, env: dict[str, str]) -> Ran:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "famcov",
            "--today",
            DEMO_TODAY,
            "--lang",
            lang,
            *_state(args),
            *args,
        ],
        cwd=folder,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
    )
    return Ran(args, done.returncode, done.stdout, done.stderr)


FORKRUN = Path(__file__).resolve().parent / "forkrun.py"


def run_all(folder: Path, commands, *, lang: str = "zh", **extra: str) -> list[Ran]:
    """`commands` one after another in `folder`, each in a process of its own forked
    from one Python started in the environment (tests/forkrun.py: what `famcov()` runs,
    without starting Python and loading typer again for every command)."""
    folder.mkdir()
    if not hasattr(os, "fork"):  # Windows: a `python -m famcov` a command
        env = environment(**extra)
        return [famcov(folder, args, lang=lang, env=env) for args in commands]
    argvs = [["--today", DEMO_TODAY, "--lang", lang, *_state(args), *args] for args in commands]
    done = subprocess.run(
        [sys.executable, str(FORKRUN)],
        cwd=folder,
        env=environment(**extra),
        input=json.dumps(argvs).encode(),
        capture_output=True,
        timeout=60 + 10 * len(argvs),
        check=False,
    )
    assert done.returncode == 0 and not done.stderr, done.stderr.decode("utf-8", "replace")
    return [
        Ran(args, r["code"], base64.b64decode(r["stdout"]), base64.b64decode(r["stderr"]))
        for args, r in zip(commands, json.loads(done.stdout), strict=True)
    ]


@cache
def _utf8(folder: Path, commands: tuple[tuple[str, ...], ...], lang: str) -> tuple[Ran, ...]:
    return tuple(run_all(folder, commands, lang=lang, PYTHONIOENCODING="utf-8"))


@pytest.fixture(scope="module")
def utf8(tmp_path_factory):
    """The commands' output in UTF-8, the reference the others are read against."""
    base = tmp_path_factory.mktemp("utf8")
    return lambda commands, lang="zh": _utf8(base / f"{lang}{hash(commands)}", commands, lang)


def lines(data: bytes, encoding: str) -> list[str]:
    return data.decode(encoding).splitlines()


def cells(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def squashed(line: str) -> str:
    """A line without the spaces that align it (a wider fallback moves them)."""
    return re.sub(r"\s+", "", line)


ENCODING_COMPLAINTS = ("Encode", "Decode", "codec", "没能输出", "could not be written", "Trace")


def assert_same_output(reference: Ran, ran: Ran, encoding: str, fallbacks: dict[str, str]):
    """`ran` printed every line `reference` printed (UTF-8), in `encoding`, the same
    but for `fallbacks`; the same exit code; nothing said about the encoding."""
    where = " ".join(ran.args)
    assert ran.code == reference.code, (where, ran.stderr.decode(encoding, "replace"))
    for got, expected in ((ran.stdout, reference.stdout), (ran.stderr, reference.stderr)):
        shown, wanted = lines(got, encoding), lines(expected, "utf-8")
        assert len(shown) == len(wanted), (where, shown, wanted)
        for line, original in zip(shown, wanted, strict=True):
            for glyph, fallback in fallbacks.items():
                original = original.replace(glyph, fallback)
            assert squashed(line) == squashed(original), (where, line, original)
    stderr = ran.stderr.decode(encoding)
    assert not any(word in stderr for word in ENCODING_COMPLAINTS), (where, stderr)


# -- a GBK pipe ---------------------------------------------------------------------------


def test_every_command_prints_every_line_into_a_gbk_pipe(utf8, tmp_path: Path):
    reference = utf8(COMMANDS) + utf8(HELP)
    ran = run_all(tmp_path / "gbk", COMMANDS + HELP, PYTHONIOENCODING="gbk")
    for before, after in zip(reference, ran, strict=True):
        assert_same_output(before, after, "gbk", GBK_FALLBACKS)


def test_a_payment_into_a_gbk_pipe_prints_its_whole_receipt(utf8, tmp_path: Path):
    ran = run_all(tmp_path / "gbk", COMMANDS[:6], PYTHONIOENCODING="gbk")[-1]
    shown = ran.stdout.decode("gbk")
    assert ran.code == 0 and ran.stderr == b""
    for part in ("DJ202611240002", "￥400.00", "￥1268.50", "￥868.50", "2027-01-01"):
        assert part in shown, shown
    assert len(shown.splitlines()) == len(utf8(COMMANDS)[5].stdout.decode().splitlines())


def test_json_is_the_same_value_in_a_gbk_pipe(tmp_path: Path):
    """JSON is written the JSON way where the stream cannot take a character (a name
    written with "•", which GBK has not, as \\u2022): valid in a GBK pipe, the same
    object as in UTF-8, and byte for byte as before in UTF-8."""
    name = "阿依古丽•买买提"  # a transliterated name's separator (domain.rules)
    bind = ("bind", "--payer", "张伟", "--relative", "510104201001010019", "--name", name)
    seen = {}
    for encoding in ("utf-8", "gbk"):
        folder = tmp_path / encoding
        folder.mkdir()
        env = environment(PYTHONIOENCODING=encoding)
        famcov(folder, ("init", "--demo"), lang="zh", env=env)
        bound = famcov(
            folder, (*bind, "--relation", "子女", "--accept-commitment"), lang="zh", env=env
        )
        assert bound.code == 0, bound
        ran = famcov(folder, ("--json", "family", "--payer", "张伟"), lang="zh", env=env)
        assert ran.code == 0 and ran.stderr == b"", ran
        assert ran.stdout.count(b"\n") == 1  # one object, one line
        seen[encoding] = json.loads(ran.stdout.decode(encoding))
        text = ran.stdout.decode(encoding)
        assert ("\\u2022" in text) is (encoding == "gbk") and "张伟" in text
    assert seen["gbk"] == seen["utf-8"]
    assert name in json.dumps(seen["gbk"], ensure_ascii=False)


# -- a C locale ---------------------------------------------------------------------------


# what a C locale without UTF-8 mode can be given on its command line: ASCII only
ASCII_ARGS: tuple[tuple[str, ...], ...] = (
    ("init", "--demo"),
    ("family", "--payer", ZHANG_WEI),
    ("check", "--payer", ZHANG_WEI, "--relative", JIANGUO, "--region", "510700", "--year", "2027"),
    ("account", "--payer", ZHANG_WEI),
    ("receipt", "DJ202510100001"),
    ("policy", "--province", "51", "--year", "2027"),
    ("scenario", "show", "hubei-return"),
    ("doctor",),
    ("--help",),
    ("pay", "--help"),
)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_c_locale_prints_everything(utf8, tmp_path, lang):
    """LC_ALL=C: Python 3.11 turns on its UTF-8 mode (PEP 538/540) and famcov prints
    byte for byte what it prints in a UTF-8 locale. With UTF-8 mode off, stdout is
    ASCII: every command still prints all it has (a character ASCII cannot take is a
    fallback or an escape), with its exit code."""
    reference = utf8(ASCII_ARGS, lang)
    mode = subprocess.run(
        [sys.executable, "-c", "import sys; print(sys.flags.utf8_mode, sys.stdout.encoding)"],
        env=environment(LC_ALL="C"),
        capture_output=True,
        text=True,
        check=True,
    )
    assert mode.stdout.split() == ["1", "utf-8"]
    if lang == "en":
        for before, after in zip(
            reference, run_all(tmp_path / "c", ASCII_ARGS, LC_ALL="C", lang=lang), strict=True
        ):
            assert after == before, after.args
    ran = run_all(tmp_path / "ascii", ASCII_ARGS, lang=lang, LC_ALL="C", PYTHONUTF8="0")
    for before, after in zip(reference, ran, strict=True):
        assert after.code == before.code, (after.args, after.stderr)
        shown = after.stdout.decode("ascii")  # nothing but ASCII
        stderr = after.stderr.decode("ascii")
        assert not any(word in stderr for word in ENCODING_COMPLAINTS), stderr
        if lang == "zh":  # Chinese, escaped: there to be read back, if not to be read
            assert "\\u" in shown or not before.stdout.strip(), after.args
            continue
        words = set(re.findall(r"[A-Za-z0-9][A-Za-z0-9.:-]{2,}", before.stdout.decode()))
        missing = {w for w in words if w not in shown}
        # a word in a table whose column grew (an escape is wider than its glyph) may be
        # folded across two lines: its start is still there
        assert not {w for w in missing if w[:4] not in shown}, missing


# -- ASCII mode -----------------------------------------------------------------------------


CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def assert_legacy_console_safe(text: str, where: object, *, width: int | None = 80) -> None:
    for line in text.splitlines():
        ambiguous = [c for c in line if unicodedata.east_asian_width(c) == "A"]
        assert not ambiguous, (where, ambiguous, line)
        line.encode("gbk")
        assert width is None or cells(line) <= width, (where, cells(line), line)


@pytest.mark.parametrize("commands", [COMMANDS, HELP], ids=["commands", "help"])
def test_ascii_mode_prints_no_ambiguous_width_character(utf8, tmp_path: Path, commands):
    """FAMCOV_ASCII=1: no East Asian ambiguous-width character (ASCII borders and marks),
    every line in GBK and at most 80 cells, the exit code unchanged; Chinese stays."""
    ran = run_all(tmp_path / "ascii", commands, FAMCOV_ASCII="1", PYTHONIOENCODING="utf-8")
    for before, after in zip(utf8(commands), ran, strict=True):
        assert after.code == before.code, after
        for stream, original in ((after.stdout, before.stdout), (after.stderr, before.stderr)):
            text = stream.decode()
            # stderr into a pipe keeps a message on one line (the reader's window wraps
            # it), a handout is Markdown text; folding --help to the terminal is issue 19's
            folded = stream is after.stdout and commands is COMMANDS and "handout" not in after.args
            assert_legacy_console_safe(text, after.args, width=80 if folded else None)
            # every Chinese character is still there, in order
            assert CJK.findall(text) == CJK.findall(original.decode()), after.args
    if commands is not COMMANDS:
        return
    receipt = ran[5].stdout.decode()
    assert "+---" in receipt and "| 回执号" in receipt and "￥400.00" in receipt
    assert "->" in receipt, receipt  # the balance before -> after


def test_ascii_mode_can_be_turned_off_and_is_not_on_for_a_pipe_by_itself(tmp_path: Path):
    folder = tmp_path / "s"
    folder.mkdir()
    for setting, border in (("0", "╭"), ("", "╭"), ("1", "+")):
        env = environment(PYTHONIOENCODING="utf-8", FAMCOV_ASCII=setting)
        famcov(folder, ("init", "--demo", "--force"), lang="zh", env=env)
        ran = famcov(folder, ("receipt", "DJ202510100001"), lang="zh", env=env)
        assert ran.stdout.decode().startswith(border), (setting, ran.stdout.decode())


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("platform", "tty", "environ", "expected"),
    [
        ("win32", True, {}, True),  # cmd or PowerShell in the legacy console host
        ("win32", True, {"WT_SESSION": "e1f0"}, False),  # Windows Terminal
        ("win32", True, {"FAMCOV_ASCII": "0"}, False),
        ("win32", False, {}, False),  # a pipe or a file: its encoding decides
        ("linux", True, {}, False),
        ("darwin", True, {}, False),
        ("linux", False, {"FAMCOV_ASCII": "1"}, True),
        ("win32", True, {"WT_SESSION": "e1f0", "FAMCOV_ASCII": "1"}, True),
    ],
)
def test_ascii_mode_is_automatic_in_a_legacy_windows_console(platform, tty, environ, expected):
    from famcov.output import ascii_mode

    assert ascii_mode(_Stream(tty), environ, platform) is expected


# -- a closed pipe ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("policy",),
        ("--json", "policy"),
        ("--help",),
        ("scenario", "handout", "revoke-repay"),
        ("family", "--payer", "张伟"),
    ],
)
def test_a_reader_that_closed_the_pipe_is_not_an_error(tmp_path: Path, args):
    """`famcov policy | head -1`: the reader went away; nothing said, exit 0."""
    folder = tmp_path / "s"
    folder.mkdir()
    env = environment(PYTHONIOENCODING="utf-8")
    assert famcov(folder, ("init", "--demo"), lang="zh", env=env).code == 0
    reading, writing = os.pipe()
    os.close(reading)  # as `head` does once it has its line
    try:
        done = subprocess.run(
            [sys.executable, "-m", "famcov", "--today", DEMO_TODAY, "--state", "s.json", *args],
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=writing,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
        )
    finally:
        os.close(writing)
    assert (done.returncode, done.stderr.decode()) == (0, "")


def test_head_reads_the_first_line_and_famcov_says_nothing(tmp_path: Path):
    folder = tmp_path / "s"
    folder.mkdir()
    env = environment(PYTHONIOENCODING="utf-8")
    famcov(folder, ("init", "--demo"), lang="zh", env=env)
    command = f"'{sys.executable}' -m famcov --today {DEMO_TODAY} --state s.json policy | head -1"
    done = subprocess.run(
        ["bash", "-c", command + "; exit ${PIPESTATUS[0]}"],
        cwd=folder,
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0 and done.stderr == b"", done
    assert "广东省" in done.stdout.decode() and done.stdout.count(b"\n") == 1


# -- the wizard -----------------------------------------------------------------------------

pexpect = pytest.importorskip("pexpect")
ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>]|\x1b\][^\x07]*\x07")


def wizard(state: Path, encoding: str, **extra: str):
    env = environment(PYTHONIOENCODING=encoding, FAMCOV_STATE=str(state), **extra)
    env.update(TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "famcov", "--today", DEMO_TODAY, "--explain"],
        env=env,
        encoding=encoding,
        codec_errors="strict",
        dimensions=(24, 80),
        timeout=20,
    )
    child.logfile_read = io.StringIO()
    return child


@pytest.fixture
def demo_state(tmp_path: Path) -> Path:
    folder = tmp_path / "w"
    folder.mkdir()
    famcov(folder, ("init", "--demo"), lang="zh", env=environment(PYTHONIOENCODING="utf-8"))
    return folder / "s.json"


def walk_main_screens(child) -> str:
    """The payer's choice, the home menu, the payment's first steps, the policy pages."""
    child.expect_exact("请选择代缴人")
    child.send("\r")  # 张伟
    # the home's training note is read first: with the menu it is taller than 24 lines
    child.expect_exact("按回车继续")
    child.send("\r")
    child.expect_exact("请选择要办理的业务")
    child.send("\x1b[B\r")  # 个人账户代缴申请
    child.expect_exact("步骤 1/")
    child.expect_exact("请选择")
    child.send("\x03")  # Ctrl-C: out, nothing written
    child.expect(pexpect.EOF)
    child.close()
    return child.logfile_read.getvalue()


def test_the_wizard_answers_and_goes_on_under_a_gbk_locale(demo_state: Path):
    """The wizard's console goes through the writer: the first answer is printed (its
    "›" as ">") and the next screen comes, in GBK, without an error."""
    child = wizard(demo_state, "gbk")
    seen = walk_main_screens(child)
    assert "> 请选择代缴人（职工本人）： 张伟" in ESCAPES.sub("", seen), seen
    assert "Traceback" not in seen and "没能输出" not in seen and "出错" not in seen, seen
    assert "张伟" in seen


def test_the_wizards_main_screens_in_ascii_mode(demo_state: Path):
    child = wizard(demo_state, "utf-8", FAMCOV_ASCII="1")
    drawn = walk_main_screens(child)
    seen = ESCAPES.sub("", drawn)
    for piece in re.split(r"[\r\n]", ESCAPES.sub("\n", drawn)):  # as drawn, between moves
        ambiguous = [c for c in piece if unicodedata.east_asian_width(c) == "A"]
        assert not ambiguous, (ambiguous, piece)
        piece.encode("gbk")
        assert cells(piece) <= 80, piece
    assert "代缴申请 - 步骤 1/" in seen  # the header's separators, as dashes
    assert "张伟" in seen and "+--" in seen  # Chinese as it is; the training note's box
