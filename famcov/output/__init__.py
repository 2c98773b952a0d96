"""The one writer of what famcov prints: every glyph fits the stream it goes to.

A stream is read in its own encoding (a GBK pipe on Chinese Windows, ASCII under a C
locale without UTF-8 mode, UTF-8 almost everywhere else), and in ASCII mode (legacy
Windows consoles, whose fonts draw East Asian *ambiguous-width* characters such as
─ · — “ ” → … two cells wide) no such character is printed at all. `Profile` says
what a stream can show and turns text into that: a glyph it cannot show becomes its
fallback (`FALLBACKS`: ✓ → √ → OK, ¥ → ￥, › → >, “ → ", … → ...), then its
compatibility form (① → 1, ê → e), and anything left is escaped (\\u2713): never
an exception, never output that stops half-way. JSON is escaped the JSON way
(\\u2713 in a string), so it stays the same value in any encoding.

`Writer` is stdout or stderr through its profile, and it survives a reader that went
away (`| head`) or a full disk: a failed write is noted in `lost` and the rest of the
output dropped (famcov.output.render.finish says what happened). `install()` puts writers in
place of sys.stdout and sys.stderr for the whole process, so that help and prompts go
the same way; rich consoles (`console()`) translate text before they lay it out, so
that a wider fallback still lines up.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import IO, Any, NamedTuple

# -- what a stream can show -------------------------------------------------------------

# Glyph -> fallbacks, best first; each is used if every character of it fits the stream.
FALLBACKS: dict[str, tuple[str, ...]] = {
    "✓": ("√", "OK"),
    "✔": ("√", "OK"),
    "✗": ("×", "X"),
    "✘": ("×", "X"),
    "✕": ("×", "X"),
    "×": ("x",),
    "√": ("OK",),
    "•": ("·", "*"),
    "·": (".",),
    "・": ("·", "."),
    "☐": ("□", "[ ]"),
    "□": ("[ ]",),
    "☑": ("[x]",),
    "※": ("*",),
    "¥": ("￥", "RMB"),
    "›": (">",),
    "‹": ("<",),
    "»": (">>",),
    "«": ("<<",),
    "–": ("-",),
    "—": ("--",),
    "―": ("--",),
    "‘": ("'",),
    "’": ("'",),
    "“": ('"',),
    "”": ('"',),
    "…": ("...",),
    "⋯": ("...",),
    "→": ("->",),
    "←": ("<-",),
    "↑": ("^",),
    "↓": ("v",),
    "°": (" deg",),
    "～": ("~",),
}


def _box_fallback(char: str) -> str | None:
    """A box-drawing character (rich's borders and rules) as its ASCII counterpart:
    one cell for one cell, so that a table keeps its shape."""
    if not "\u2500" <= char <= "\u257f":
        return None
    import unicodedata

    name = unicodedata.name(char, "")
    if not any(word in name for word in (" AND ", "DOWN", "UP", "LEFT", "RIGHT", "ARC")):
        if "HORIZONTAL" in name:
            return "=" if "DOUBLE" in name else "-"
        if "VERTICAL" in name:
            return "|"
    return "+"


class Profile:
    """What one stream can show: its `encoding`, and whether it is in ASCII mode."""

    def __init__(self, encoding: str, ascii_only: bool) -> None:
        import codecs

        try:
            self.encoding = codecs.lookup(encoding or "utf-8").name
        except LookupError:
            self.encoding = "utf-8"
        self.ascii = ascii_only
        self._utf = self.encoding.startswith("utf")
        self._shown: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"Profile({self.encoding!r}, ascii={self.ascii})"

    def fits(self, char: str) -> bool:
        """Whether `char` is printed as it is."""
        if char < "\x80":
            return True
        if self.ascii:
            import unicodedata

            if unicodedata.east_asian_width(char) not in ("W", "F"):
                return False
        return self._encodes(char)

    def shown(self, char: str) -> str:
        """`char` as this stream shows it."""
        found = self._shown.get(char)
        if found is None:
            found = self._shown[char] = self._fallback(char)
        return found

    def _fallback(self, char: str) -> str:
        if self.fits(char):
            return char
        box = _box_fallback(char)
        if box is not None:
            return box
        for candidate in FALLBACKS.get(char, ()):
            if all(self.fits(c) for c in candidate):
                return candidate
        import unicodedata

        if "\u2460" <= char <= "\u2473":  # ① .. ⑳
            return f"({ord(char) - 0x245F})"
        plain = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if plain and plain != char and all(self.fits(c) for c in plain):
            return plain
        return char.encode("ascii", "backslashreplace").decode("ascii")

    def translate(self, text: str) -> str:
        """`text` as this stream shows it (idempotent)."""
        if text.isascii():
            return text
        if not self.ascii:
            try:
                text.encode(self.encoding)
                return text
            except UnicodeEncodeError:
                pass
        return "".join(self.pieces(text))

    def pieces(self, text: str) -> list[str]:
        """Each character of `text` as this stream shows it. In ASCII mode a separator
        dot between spaces (`步骤 2/5 · 选择`) reads better as a dash."""
        shown = [c if c < "\x80" else self.shown(c) for c in text]
        if self.ascii:
            for i, c in enumerate(text):
                if c in "·•" and 0 < i < len(text) - 1 and text[i - 1] == text[i + 1] == " ":
                    shown[i] = "-" if c == "·" else "*"
        return shown

    def json(self, text: str) -> str:
        """JSON text with every character the stream cannot take written as a JSON
        escape (the same value); nothing else changes."""
        try:
            text.encode(self.encoding)
            return text
        except UnicodeEncodeError:
            pass
        out = []
        for c in text:
            if c < "\x80" or self._encodes(c):
                out.append(c)
            elif c > "\uffff":
                n = ord(c) - 0x10000
                out.append(f"\\u{0xD800 + (n >> 10):04x}\\u{0xDC00 + (n & 0x3FF):04x}")
            else:
                out.append(f"\\u{ord(c):04x}")
        return "".join(out)

    def _encodes(self, char: str) -> bool:
        if self._utf:
            return not "\ud800" <= char <= "\udfff"
        try:
            char.encode(self.encoding)
        except UnicodeEncodeError:
            return False
        return True


def ascii_mode(
    stream: Any,
    environ: Any = None,
    platform: str | None = None,
) -> bool:
    """Whether `stream` gets ASCII mode: FAMCOV_ASCII=1 turns it on and FAMCOV_ASCII=0
    off; otherwise it is on in a Windows console that is not Windows Terminal (which
    sets WT_SESSION), whose legacy host draws ambiguous-width characters two cells wide."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    wanted = (environ.get("FAMCOV_ASCII") or "").strip()
    if wanted in ("0", "1"):
        return wanted == "1"
    if platform != "win32" or environ.get("WT_SESSION"):
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, OSError, ValueError):
        return False


_profiles: dict[tuple[str, bool], Profile] = {}


def profile(stream: Any) -> Profile:
    """The profile of `stream` (a file, a Writer, or sys.stdout by default)."""
    if isinstance(stream, Writer):
        stream = stream.stream
    encoding = getattr(stream, "encoding", None) or "utf-8"
    key = (str(encoding), ascii_mode(stream))
    found = _profiles.get(key)
    if found is None:
        found = _profiles[key] = Profile(*key)
    return found


def stdout_profile() -> Profile:
    return profile(sys.stdout)


# -- output that cannot be written ------------------------------------------------------
# A reader that closed the pipe (`famcov … | head -0`) or a full disk (`> /dev/full`)
# must not turn a saved change into a reported failure, nor into a traceback: a
# script that retried would pay twice. A failed write is noted, the rest of the
# output dropped, and `famcov.output.render.finish()` says on stderr (when stderr works) what
# happened; a reader that closed the pipe is not told anything it did not ask for.


class Lost(NamedTuple):
    problem: str  # the system's words (Broken pipe, No space left on device)
    closed: bool  # the reader went away: normal for `| head`


# Why the process's stdout failed (a closed pipe, a full disk): the stream's own state,
# as the stream itself is the process's; the command line clears it as a run starts.
lost: list[Lost] = []


class Writer:
    """stdout or stderr for famcov's output: text is written as the stream's profile
    shows it (`json=True`: escaped the JSON way instead), and a write or flush that
    fails is noted in `lost` (stdout) and never raised. Everything else (fileno,
    isatty, encoding) is the stream's own; its binary `buffer` is not offered, so that
    whatever writes to a Writer goes through it."""

    def __init__(self, *, stderr: bool, json: bool = False, stream: IO[str] | None = None):
        self._stderr = stderr
        self._json = json
        self._fixed = stream
        self._failed = False

    @property
    def stream(self) -> Any:
        """The stream written to: the one given, else sys.stdout or sys.stderr as it is
        now (a test may have replaced it), never another Writer."""
        stream: Any = self._fixed
        if stream is None:
            stream = sys.stderr if self._stderr else sys.stdout
        while isinstance(stream, Writer):
            stream = stream.stream
        return stream

    @property
    def profile(self) -> Profile:
        return profile(self.stream)

    def write(self, text: str) -> int:
        if self._failed or (not self._stderr and lost):
            return len(text)
        stream = self.stream
        shown = profile(stream).json(text) if self._json else profile(stream).translate(text)
        try:
            stream.write(shown)
        except (OSError, ValueError) as exc:
            self._fail(exc)
        except UnicodeError:  # a stream that said one encoding and took another
            with contextlib.suppress(OSError, ValueError, UnicodeError):
                stream.write(shown.encode("ascii", "backslashreplace").decode("ascii"))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self._failed or (not self._stderr and lost):
            return
        try:
            self.stream.flush()
        except (OSError, ValueError) as exc:
            self._fail(exc)

    def writable(self) -> bool:
        return True

    def _fail(self, exc: Exception) -> None:
        self._failed = True
        if not self._stderr:
            import errno

            closed = isinstance(exc, BrokenPipeError) or getattr(exc, "errno", None) in (
                errno.EPIPE,
                errno.EINVAL,  # Windows' word for a pipe whose reader has gone
            )
            lost.append(Lost(getattr(exc, "strerror", None) or type(exc).__name__, closed))
        silence(self.stream)

    def __getattr__(self, name: str) -> Any:
        if name == "buffer":
            raise AttributeError(name)
        return getattr(self.stream, name)


def silence(stream: Any) -> None:
    """Point a failed stream's file descriptor at /dev/null, so that nothing later
    (the interpreter's last flush) fails on it again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        fd = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)
    with contextlib.suppress(OSError, ValueError):  # what is buffered would fail at exit
        stream.flush()


def install() -> None:
    """sys.stdout and sys.stderr through writers, for this process (famcov's entry):
    help, prompts and anything else printed fits its stream too."""
    if sys.stdout is not None and not isinstance(sys.stdout, Writer):
        sys.stdout = Writer(stderr=False, stream=sys.stdout)
    if sys.stderr is not None and not isinstance(sys.stderr, Writer):
        sys.stderr = Writer(stderr=True, stream=sys.stderr)


# -- rich ---------------------------------------------------------------------------------


def console(*, stderr: bool = False, file: Any = None, soft_wrap: bool = False) -> Any:
    """A rich Console writing through a Writer (stdout, stderr, or `file` as given)
    that translates text for its stream before laying it out."""
    from famcov.output.fold import install as install_folding

    install_folding()  # Chinese breaks between characters; nothing a person needs is cut
    target = Writer(stderr=stderr, stream=file) if file is not None else Writer(stderr=stderr)
    return _console_class()(file=target, highlight=False, soft_wrap=soft_wrap)


_CONSOLE: list[type] = []


def _console_class() -> type:
    if _CONSOLE:
        return _CONSOLE[0]
    from rich.console import Console
    from rich.text import Span, Text

    class FittedConsole(Console):
        """A Console whose text is translated for its stream before it is measured and
        laid out (a fallback wider than its glyph still lines up); its borders and
        rules are drawn as always and made to fit by the writer, cell for cell."""

        @property
        def encoding(self) -> str:
            return "utf-8"  # rich would swap its boxes for others; the writer fits them

        def translate(self, text: str) -> str:
            file = self.file
            return file.profile.translate(text) if isinstance(file, Writer) else text

        def render_str(self, text: str, **kwargs: Any) -> Text:
            return super().render_str(self.translate(text), **kwargs)

        def render(self, renderable: Any, options: Any = None) -> Any:
            if isinstance(renderable, Text):
                renderable = translated_text(self, renderable)
            return super().render(renderable, options)

    def translated_text(console: FittedConsole, text: Text) -> Text:
        plain = text.plain
        shown = console.translate(plain)
        if shown == plain:
            return text
        file = console.file
        if not isinstance(file, Writer):
            return text
        starts = [0]
        for piece in file.profile.pieces(plain):
            starts.append(starts[-1] + len(piece))
        copy = text.blank_copy(shown)
        copy.spans = [Span(starts[s.start], starts[s.end], s.style) for s in text.spans]
        return copy

    _CONSOLE.append(FittedConsole)
    return FittedConsole


def translate_for(console: Any, text: str) -> str:
    """`text` as `console`'s stream shows it (as it is for any other console)."""
    translate = getattr(console, "translate", None)
    return translate(text) if translate is not None else text
