"""Prompts and screen pieces shared by every flow; the one module that imports questionary.

Every prompt goes through `Asker`, which runs the question so that Ctrl-C (the key
or a SIGINT) raises KeyboardInterrupt up to the single handler in `famcov.cli`.
A select offers "← back" as its last choice and a text prompt treats an
empty answer as "back": both come back as the `BACK` signal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

import questionary
from questionary import Choice, Separator

from famcov.domain.text import unseen
from famcov.errors import FamcovError
from famcov.i18n import has, t
from famcov.output.screen import (  # noqa: F401 - the flows import both from here
    console,
    done,
    esc,
    explain,
    indented,
    indented_grid,
    info,
    paged,
    para,
    problem,
    step_header,
    warn,
)


def _share_default_key_bindings() -> None:
    """Every prompt_toolkit Application builds its default key bindings afresh (some
    11,000 bindings, emacs and vi), and questionary makes three Applications a select:
    on a 2-core machine that was most of the time between Enter and the next screen.
    The defaults hold no state of their own (their filters ask the running app), so one
    set is built once and shared, as one PromptSession shares it between its prompts."""

    from prompt_toolkit.application import application

    if not callable(getattr(application, "load_key_bindings", None)):
        return  # another prompt_toolkit: each application builds its own, as before
    if not getattr(application.load_key_bindings, "famcov_shared", False):
        shared = cache(application.load_key_bindings)
        shared.famcov_shared = True  # type: ignore[attr-defined]
        application.load_key_bindings = shared


_share_default_key_bindings()


def _share_merged_styles() -> None:
    """Each Application merges the default UI style (hundreds of rules) with the
    prompt's own into a new Style, parsed afresh, and its per-style cache of parsed
    attributes starts empty: about a fifth of a select's time. The same leaf styles
    give the same merged style, so it is kept, keyed as prompt_toolkit keys it (the
    leaves' identities), with the leaves held so that no identity is reused."""
    from collections import OrderedDict

    from prompt_toolkit.styles import style as styles

    merged_class = getattr(styles, "_MergedStyle", None)
    if merged_class is None or not hasattr(merged_class, "_merged_style"):
        return  # another prompt_toolkit: styles merged as it merges them
    if getattr(styles._MergedStyle, "famcov_shared", False):
        return
    kept: OrderedDict[Any, tuple[Any, Any]] = OrderedDict()

    def merged(self):
        key = self.invalidation_hash()
        found = kept.get(key)
        if found is None:
            found = kept[key] = (list(self.styles), styles.Style(self.style_rules))
            if len(kept) > 32:  # text prompts bring a style of their own each time
                kept.popitem(last=False)
        return found[1]

    # a deliberate patch of prompt_toolkit's class, which its types do not foresee
    styles._MergedStyle._merged_style = property(merged)  # type: ignore[method-assign,assignment]
    styles._MergedStyle.famcov_shared = True  # type: ignore[attr-defined]


_share_merged_styles()


def _run(app: Any) -> Any:
    """Run a question's application. The Ctrl-C key is a key there (questionary answers
    it with KeyboardInterrupt); a SIGINT (`kill -INT`, or the key while the terminal is
    not in raw mode) ends the question the same way. Between questions the wizard
    holds Ctrl-C (famcov.wizard.interruptible), so one that came meanwhile is raised
    here, before the next question; prompt_toolkit's own handler would drop one that
    comes while the answer is being returned: here it is raised once the answer is back."""
    import signal

    from famcov import signals

    if signals.take():  # one came, held, since the last question: this one is not asked
        raise KeyboardInterrupt
    came: list[int] = []

    def interrupt() -> None:
        if app.future is not None and not app.future.done():
            app.exit(exception=KeyboardInterrupt, style="class:aborting")

    def on_sigint(signum: int, frame: Any) -> None:
        came.append(signum)
        loop = app.loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(interrupt)

    try:
        previous = signal.signal(signal.SIGINT, on_sigint)
    except ValueError:  # not the main thread (a test's): prompt_toolkit's own handling
        return app.run()
    try:
        answer = app.run(handle_sigint=False, pre_run=lambda: interrupt() if came else None)
    finally:
        signal.signal(signal.SIGINT, previous)
    if came:
        raise KeyboardInterrupt
    return answer


class Signal:
    """A navigation answer that is not a value: back one step, or leave the flow."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


BACK = Signal("BACK")
QUIT = Signal("QUIT")

STYLE = questionary.Style(
    [
        ("qmark", "fg:ansicyan bold"),
        ("question", "bold"),
        ("pointer", "fg:ansicyan bold"),
        ("highlighted", "fg:ansicyan bold"),
        ("answer", "fg:ansigreen bold"),
        ("instruction", "fg:ansibrightblack"),
        ("separator", "fg:ansibrightblack"),
        ("disabled", "fg:ansibrightblack italic"),
    ]
)


def message_of(exc: FamcovError) -> str:
    """A refusal as one sentence in the current language, for an inline error."""
    if exc.code == "INVALID_ID" and "reason" in exc.params:
        return t("wiz.invalid_id", reason=exc.params["reason"])
    if exc.code == "INVALID_NAME":
        return t("wiz.invalid_name")
    if exc.message_key == f"error.{exc.code}" and has(f"wiz.error.{exc.code}"):
        return t(f"wiz.error.{exc.code}", **exc.params)  # the wizard's words, not a flag
    return t(exc.message_key, **exc.params)


def shown(text: str) -> str:
    """`text` as the terminal shows it: prompt_toolkit draws the prompts itself, so their
    glyphs are fitted to stdout's stream before (famcov.output: a GBK terminal, ASCII
    mode in a legacy console)."""
    from famcov.output import stdout_profile

    return stdout_profile().translate(text)


def _whole_errors(application: Any) -> Any:
    """The line that says why an answer is refused, wrapped to as many rows as it needs:
    prompt_toolkit's validation toolbar is one row, and cut a sentence at the edge of an
    80-column screen ("like 40" for "like 400 or 400.50")."""
    from prompt_toolkit.filters import has_validation_error, to_filter
    from prompt_toolkit.layout import ConditionalContainer, Window

    for container in application.layout.walk():
        if (
            isinstance(container, ConditionalContainer)
            and container.filter is has_validation_error
            and isinstance(container.content, Window)
        ):
            container.content.height = None  # as tall as the wrapped message
            container.content.wrap_lines = to_filter(True)
    return application


def _folded(message: str) -> str:
    """A refusal folded between words (Chinese between characters) to the screen's
    width, for the rows `_whole_errors` gives it."""
    from prompt_toolkit.application import get_app

    from famcov.output.screen import wrap

    return "\n".join(wrap(message, get_app().output.get_size().columns))


def validator(
    parse: Callable[[str], Any], *, allow_empty: bool = True
) -> Callable[[str], bool | str]:
    """A questionary validator from a famcov parser: True, or the catalogue's message.

    An empty answer passes when allowed: it means "back" and the caller handles it."""

    def check(text: str) -> bool | str:
        if not text.strip():
            return True if allow_empty else _folded(shown(t("wiz.ui.required")))
        try:
            parse(text)
        except FamcovError as exc:
            return _folded(shown(message_of(exc)))
        return True

    return check


class Asker:
    """Asks one question at a time. `input`/`output` are for tests (prompt_toolkit pipe
    input and DummyOutput); `count` says how many questions were asked so far."""

    def __init__(
        self,
        *,
        input: Any = None,
        output: Any = None,
        when_shown: Callable[[], Any] | None = None,
    ) -> None:
        self._io = {k: v for k, v in (("input", input), ("output", output)) if v is not None}
        self.count = 0
        self._when_shown = when_shown  # called once, when the first question is on screen

    def _asked(self, question: Any) -> Any:
        """Ask `question` (`_run`), with `when_shown` run once it is drawn."""
        app = question.application
        hook, self._when_shown = self._when_shown, None
        if hook is not None:

            def once(app: Any) -> None:
                app.after_render -= once
                hook()

            app.after_render += once
        return _run(app)

    def select(
        self,
        message: str,
        choices: Sequence[tuple[str, Any] | Separator],
        *,
        default: Any = None,
        back: str | None = None,
    ) -> Any:
        """One of `choices` (title, value); `back` adds a last choice answering BACK."""
        items: list[Any] = [
            c if isinstance(c, Separator) else Choice(title=_fitted(shown(c[0])), value=c[1])
            for c in choices
        ]
        if back:
            items += [Separator(" "), Choice(title=shown(back), value=BACK)]
        values = [c.value for c in items if isinstance(c, Choice)]
        if default is not None and default not in values:
            default = None
        self.count += 1
        instruction = shown(_instruction(shown(message)))
        question = questionary.select(
            _question(shown(message), instruction),
            choices=items,
            default=default,
            qmark=shown("›"),
            pointer=shown("»"),
            style=STYLE,
            instruction=instruction,
            erase_when_done=True,  # the answer is printed below, whole, however long
            **self._io,
        )
        answer = self._asked(question)
        titles = {c[1]: c[0] for c in choices if not isinstance(c, Separator)}
        # a choice may itself answer BACK (返回修改): its own title, not the back key's
        chosen = titles.get(answer, back if answer is BACK else "")
        self._answered(message, str(chosen).replace("\n", " "))
        return answer

    def _answered(self, message: str, answer: str) -> None:
        """The question and its answer, printed once it is given. prompt_toolkit redraws
        an answer that runs past the edge over itself (text lost, the list left on the
        screen); printed as plain lines, the terminal wraps it like any other text."""
        if "output" not in self._io:  # a terminal: folded between words, as everything else
            from rich.table import Table
            from rich.text import Text

            from famcov.output.screen import console

            line = Table.grid(padding=(0, 1))  # folded lines stay clear of the "›"
            line.add_column(no_wrap=True)
            line.add_column()
            line.add_row(
                Text("›", "bold cyan"),
                Text.assemble((message + " ", "bold"), (answer, "bold green")),
            )
            console().print(line)
            return
        from prompt_toolkit import print_formatted_text
        from prompt_toolkit.formatted_text import FormattedText

        print_formatted_text(
            FormattedText(
                [("class:qmark", "› "), ("class:question", message + " "), ("class:answer", answer)]
            ),
            style=STYLE,
            output=self._io["output"],
        )

    def pause(self) -> None:
        """按回车继续 / Press Enter to continue: what is on screen stays until it is read."""
        self._asked(
            questionary.press_any_key_to_continue(
                shown(t("wiz.ui.continue")), style=STYLE, **self._io
            )
        )

    def text(
        self,
        message: str,
        *,
        parse: Callable[[str], Any],
        default: str = "",
        back: bool = True,
        echo: Callable[[Any], str] | None = None,
        hidden: bool = False,
    ) -> Any:
        """A typed value, checked as it is typed by the same parser as its flag; the
        parsed value, or BACK for an empty answer when `back`. With `echo`, what was
        typed is taken off the screen once answered and `echo(value)` shown instead
        (a resident ID stays on screen masked, never as typed). A resident ID is drawn
        in groups (6-8-4) while typed, so the digit a message points at can be found;
        `hidden` (own-family practice: a real ID) keeps its birth date as * until
        Ctrl-R reveals it."""
        self.count += 1
        # the prompt is taken off once answered and the answer printed whole below it,
        # without the "Enter goes back" hint, folded between words (an ID masked); an
        # ID is drawn in groups as it is typed, its birth date hidden when `hidden`
        shown_now = [False]  # this question's: Ctrl-R shows the birth date, or hides it
        extra: dict[str, Any] = {
            "erase_when_done": True,
            "input_processors": [_typed_ids(shown_now if hidden else None)],
        }
        hint = t("wiz.ui.text_back") if back else None
        if hidden:
            extra["key_bindings"] = _reveal_bindings(shown_now)
            if "output" not in self._io:  # the key named above the line, which stays free
                from famcov.output.screen import console

                console().print(f"[dim]{esc(t('wiz.id.reveal'))}[/]")
        question = questionary.text(
            _question(shown(message), shown(hint) if hint else ""),
            default=default,
            validate=validator(parse, allow_empty=back),
            qmark=shown("›"),
            style=STYLE,
            instruction=shown(hint) if hint else None,
            **extra,
            **self._io,
        )
        _whole_errors(question.application)
        answer = self._asked(question)
        if not str(answer).strip():
            return BACK
        value = parse(answer)
        from famcov.domain.text import shown as escaped

        self._answered(message, echo(value) if echo is not None else escaped(str(answer).strip()))
        return value


# A resident ID as it is being typed (half-width or full-width digits, an X at the end),
# with any spaces or hyphens the person put between its digits (famcov reads an ID with
# them taken out).
_TYPED_ID = re.compile(
    r"[0-9\uff10-\uff19](?:[ \-]*[0-9\uff10-\uff19])*(?:[ \-]*[xX\uff38\uff58])?"
)
_GAPS = " -"


def _id_layout(line: str, *, hidden: bool) -> tuple[list[int], set[int]]:
    """Where a typed line gets a space (before these positions: an ID typed without its
    own spaces is grouped 6, 8 and 4) and which positions show as * (the birth date's
    eight digits, wherever the person's own spaces put them)."""
    spaces: list[int] = []
    masked: set[int] = set()
    for found in _TYPED_ID.finditer(line):
        start, end = found.start(), found.end()
        digits = [i for i in range(start, end) if line[i] not in _GAPS]
        if len(digits) < 7:
            continue
        if len(digits) == end - start:  # typed without spaces: grouped for reading
            spaces += [p for p in (start + 6, start + 14) if p < end]
        if hidden:
            masked.update(digits[6:14])
    return spaces, masked


def typed_id_view(line: str, *, hidden: bool) -> tuple[str, list[int]]:
    """How a line holding a resident ID is drawn while it is typed: in groups of 6, 8
    and 4 (area, birth date, sequence and check digit: `510104 19850930 028X`), so the
    digits to check are easy to find; with `hidden`, the birth date shows as *. Also
    the source positions before which a space was put (for the cursor)."""
    spaces, masked = _id_layout(line, hidden=hidden)
    shown = []
    for i, ch in enumerate(line):
        if i in spaces:
            shown.append(" ")
        shown.append("*" if i in masked else ch)
    return "".join(shown), spaces


def _typed_ids(revealed: list[bool] | None):
    """A prompt_toolkit input processor drawing an ID as `typed_id_view` says; what is
    typed stays as typed (the value parsed is the same). In an ID field the birth date
    is masked until the reveal key (REVEAL_KEY) sets `revealed` (the question's own
    flag); any other field (a name: None) masks an ID typed into it by mistake, with no
    key to show it."""
    from prompt_toolkit.layout.processors import Processor, Transformation
    from prompt_toolkit.layout.utils import explode_text_fragments

    class GroupedIds(Processor):
        def apply_transformation(self, ti):
            line = ti.document.lines[ti.lineno]
            secret = not revealed[0] if revealed is not None else True
            spaces, masked = _id_layout(line, hidden=secret)
            marked = any(unseen(ch) for ch in line)
            if not spaces and not masked and not marked:
                return Transformation(ti.fragments)
            out: list[Any] = []  # prompt_toolkit's fragments: (style, text[, handler])
            for i, (style, text, *rest) in enumerate(explode_text_fragments(ti.fragments)):
                if i in spaces:
                    out.append((style, " "))
                if marked and unseen(text):
                    text = "?"  # a direction override or invisible character, not obeyed
                out.append((style, "*" if i in masked else text, *rest))

            def to_display(i: int) -> int:
                return i + sum(1 for p in spaces if p <= i)

            def to_source(j: int) -> int:
                shifted = [p + k for k, p in enumerate(sorted(spaces))]
                return j - sum(1 for q in shifted if q < j)

            return Transformation(out, source_to_display=to_display, display_to_source=to_source)

    return GroupedIds()


REVEAL_KEY = "c-r"


def _reveal_bindings(revealed: list[bool]):
    """Ctrl-R shows or hides a hidden ID's birth date while it is typed (`revealed`:
    the question's own flag, which the typed line's processor reads)."""
    from prompt_toolkit.key_binding import KeyBindings

    keys = KeyBindings()

    @keys.add(REVEAL_KEY, eager=True)
    def _(event) -> None:
        revealed[0] = not revealed[0]
        event.app.invalidate()

    return keys


def _question(message: str, instruction: str) -> str:
    """A question that would run past the terminal's edge folded between words onto
    lines under it (prompt_toolkit breaks a line anywhere: `goes bac` / `k`), and the
    instruction after it put on a line of its own where it would not fit beside it."""
    import shutil

    from prompt_toolkit.utils import get_cwidth

    from famcov.output.screen import wrap

    width = shutil.get_terminal_size((80, 24)).columns - 3  # "› " and the cursor's cell
    lines = wrap(message, width)
    if instruction and get_cwidth(f"{lines[-1]} {instruction}") > width:
        lines.append("")  # the instruction starts the next line
    return "\n  ".join(lines)


def _instruction(message: str) -> str:
    """How to choose, short when the question and the long form would not fit one line
    (prompt_toolkit would wrap it and leave a lone bracket on the next)."""
    import shutil

    from prompt_toolkit.utils import get_cwidth  # the width prompt_toolkit lays it out by

    width = shutil.get_terminal_size((80, 24)).columns
    long = t("wiz.ui.select")
    return long if get_cwidth(f"› {message} {long}") < width else t("wiz.ui.select.short")


def _fitted(title: str) -> str:
    """A choice title that would run past the terminal's edge (prompt_toolkit cuts it
    there) folded onto indented continuation lines, as famcov folds everything else."""
    import shutil

    from prompt_toolkit.utils import get_cwidth

    from famcov.output.screen import wrap

    width = shutil.get_terminal_size((80, 24)).columns - 4  # the pointer " » " and a margin
    if get_cwidth(title) <= width:
        return title
    return "\n   ".join(wrap(title, width))
