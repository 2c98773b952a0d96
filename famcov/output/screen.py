"""What the wizard prints around its prompts: step headers, training notes, short
messages and paragraphs that wrap well in Chinese and English. rich only; no
prompt library here, so scenario commands can use it on the scripted path."""

from __future__ import annotations

from typing import Any

from famcov.i18n import t


def console(file: Any = None):
    """The wizard's console: stdout (or `file`) through famcov's one writer, so that
    every glyph fits the stream (famcov.output)."""
    from famcov import output

    return output.console(file=file)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` cells: Chinese breaks between characters, English
    between words (a word longer than a line is folded); see famcov.output.fold."""
    from itertools import pairwise

    from famcov.output.fold import divide_line

    width = max(width, 4)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        cuts = [0, *divide_line(paragraph, width), len(paragraph)]
        lines += [paragraph[a:b].rstrip() for a, b in pairwise(cuts)]
    return lines


class Para:
    """A paragraph that wraps well in Chinese and English (rich wraps only at spaces,
    so a Chinese sentence with a space beside a number would break there)."""

    def __init__(self, text: str, style: str = "") -> None:
        self.text, self.style = text, style

    def __rich_console__(self, console, options):
        from rich.text import Text

        from famcov.output import translate_for

        for line in wrap(translate_for(console, self.text), options.max_width):
            yield Text(line, style=self.style, no_wrap=True, overflow="crop")

    def __rich_measure__(self, console, options):
        from rich.cells import cell_len
        from rich.measure import Measurement

        from famcov.output import translate_for

        shown = translate_for(console, self.text)
        longest = max((cell_len(line) for line in shown.split("\n")), default=0)
        return Measurement(min(4, longest), longest)


class Hanging(Para):
    """A paragraph whose folded lines are indented under its first (`Label: value`
    lines of `famcov policy`), never back at column 0."""

    INDENT = 2

    def __rich_console__(self, console, options):
        from rich.text import Text

        from famcov.output import translate_for

        lines = wrap(translate_for(console, self.text), options.max_width - self.INDENT)
        for n, line in enumerate(lines):
            shown = (" " * self.INDENT if n else "") + line
            yield Text(shown, style=self.style, no_wrap=True, overflow="crop")


def hanging(out, value: Any, style: str = "") -> None:
    from famcov.contract import text

    out.print(Hanging(text(value), style))


def para(value: Any, style: str = "") -> Para:
    from famcov.contract import text

    return Para(text(value), style)


def indented(out, marker: str, value: Any, style: str = "") -> None:
    """`marker` then a paragraph whose wrapped lines stay aligned after the marker."""
    out.print(indented_grid(marker, value, style))


def success(message: str) -> None:
    """`✓ message` on stdout, its folded lines under the text, not back at column 0
    (plain text: no markup is read in it)."""
    indented(console(), "[green]✓[/]", message)


def esc(value: Any) -> str:
    from rich.markup import escape

    from famcov.contract import text

    return escape(text(value))


def header_label(*, title: str, stage: int | None, total: int, name: str) -> str:
    """`代缴申请 · 步骤 2/5 · 选择缴费区划和年度`"""
    if stage is None:
        return f"{title} · {name}"
    return f"{title} · {t('wiz.step', n=stage, total=total)} · {name}"


def header_fits(label_cells: int, width: int) -> bool:
    """Whether a header's label fits on its rule's line (else it is folded above it)."""
    return label_cells + 6 <= width


def step_header(out, *, title: str, stage: int | None, total: int, name: str) -> None:
    """`── 代缴申请 · 步骤 2/5 · 选择缴费区划和年度 ──`"""
    label = header_label(title=title, stage=stage, total=total, name=name)
    out.print()
    from rich.cells import cell_len

    if header_fits(cell_len(label), out.width):
        out.rule(f"[bold cyan]{esc(label)}[/]", align="left", style="cyan")
        return
    # rich cuts a rule's title with "…": a long one is folded above a plain rule instead
    out.print(para(label, "bold cyan"))
    out.rule(style="cyan")


def titled_panel(out, body: Any, title: str, **options: Any):
    """A panel with `title` in its top border, or, where the border cannot hold it whole
    (rich cuts a panel's title with no mark at all), as the panel's first line."""
    from rich.cells import cell_len
    from rich.console import Group
    from rich.panel import Panel

    if cell_len(title) + 6 <= out.width:  # "╭─ " title " ─╮"
        return Panel(body, title=f"[bold]{esc(title)}[/]", title_align="left", **options)
    return Panel(Group(para(title, "bold"), body), **options)


def explain(out, key: str, **params: Any) -> int:
    """A training note: why this step exists and the rule behind it; the rows it took."""
    from rich.panel import Panel

    note = Panel(
        para(t(key, **params)),
        title=f"[bold]{esc(t('wiz.explain.title'))}[/]",
        title_align="left",
        border_style="magenta",
        expand=True,
    )
    out.print(note)
    return len(out.render_lines(note, out.options, pad=False))


def info(out, message: str) -> None:
    indented(out, " ", message)


def warn(out, message: str) -> None:
    indented(out, "[yellow]![/]", message)


def problem(out, message: str) -> None:
    indented(out, "[bold red]✗[/]", message)


def done(out, message: str) -> None:
    indented(out, "[green]✓[/]", message)


def list_table(title: str):
    """A table of records under a left-aligned title: a rule under the header, no box
    around it, one space between columns (the family, the payments)."""
    from rich import box
    from rich.table import Table

    return Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=0,  # the box's column divider is the one space
        pad_edge=False,
        show_edge=False,  # no blank column at either side: 80 columns hold nine
    )


def indented_grid(marker: str, value: Any, style: str = ""):
    """What `indented` prints, as a renderable (to page it with others)."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(marker, para(value, style))
    return grid


def _groups(out, renderable) -> list[list]:
    """The lines of `renderable`, grouped: a line that starts with a space continues the
    one above (a rule's folded message, the notes under it, beside its mark)."""
    groups: list[list] = []
    for line in out.render_lines(renderable, out.options, pad=False):
        text = "".join(segment.text for segment in line)
        if groups and (text[:1] == " " or not text.strip()):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def paged(out, renderable, pause, *, frame=None, last: bool = True) -> None:
    """`renderable` a screenful at a time, `pause()` (按回车继续) after each, so that
    nothing scrolls away before it is read on a 24-line terminal. A page ends only
    between what is drawn as one: `renderable` is one thing (its lines grouped, see
    _groups) or a list of blocks, each kept whole when it fits a page; `frame(blocks)`
    draws a page's blocks in their box (a letter's, on every page). `last`: pause after
    the last page too."""
    from rich.segment import Segment, Segments

    # the lines left by the prompt answered before, the Enter prompt and the cursor
    page = max(out.height - 3, 8)

    def lines_of(thing) -> list:
        return out.render_lines(thing, out.options, pad=False)

    pages: list[list] = []  # each: lines to print
    if isinstance(renderable, list) and frame is not None:
        chosen: list = []
        for block in renderable:
            if chosen and len(lines_of(frame([*chosen, block]))) > page:
                pages.append(lines_of(frame(chosen)))
                chosen = []
            chosen.append(block)
        if chosen:
            pages.append(lines_of(frame(chosen)))
    else:
        if isinstance(renderable, list):  # each block kept whole
            groups = [lines_of(block) for block in renderable]
        else:
            groups = _groups(out, renderable)
        current: list = []
        for group in groups:
            if current and len(current) + len(group) > page:
                pages.append(current)
                current = []
            while len(group) > page:  # taller than a page: cut it, nothing else can
                pages.append(group[:page])
                group = group[page:]
            current += group
        if current:
            pages.append(current)
    for n, lines in enumerate(pages):
        if n:
            pause()
        out.print(Segments([s for line in lines for s in (*line, Segment.line())]))
    if last:
        pause()


# -- the first screens' choices: drawn by front.py before the rest loads, and by the
# home menu and every flow


def on_terminal_pages(session: Any, out: Any, draw: Any) -> None:
    """`draw(out)`, read a screenful at a time (按回车继续) where a person reads it on a
    terminal and it is taller than the terminal (a projector at 80x24: `famcov policy`
    is some 75 lines); drawn whole into a pipe, a file or with --json."""
    import shutil
    import sys

    if not session.can_prompt:
        draw(out)
        return
    with out.capture() as captured:
        draw(out)
    lines = captured.get().splitlines()
    step = max(shutil.get_terminal_size((80, 24)).lines - 2, 4)  # the prompt, the cursor
    for at in range(0, len(lines), step):
        out.file.write("\n".join(lines[at : at + step]) + "\n")
        if at + step >= len(lines):
            break
        out.file.write(t("wiz.ui.continue"))
        out.file.flush()
        if not sys.stdin.readline():  # the terminal closed: nothing more to read
            break
    out.file.flush()


def start_choices() -> list[tuple[str, str]]:
    """No state file yet: how to start."""
    return [
        (t("wiz.first.demo"), "demo"),
        (t("wiz.first.scenario"), "scenario"),
        (t("wiz.first.own"), "own"),
        (t("wiz.first.quit"), "quit"),
    ]


LONG_LIST = 12  # more choices than this do not fit a small terminal


def payer_title(policy, worker) -> str:
    """`张伟  510104********0017  成都市  余额 ¥1268.50`"""
    from famcov.domain.ids import mask
    from famcov.domain.money import yuan

    region = policy.region(worker.region)
    title = t(
        "wiz.payer.choice",
        name=worker.name,
        id=mask(worker.id),
        region=region.name if region else worker.region,  # in the run's language
        balance=yuan(worker.balance),
    )
    if worker.status != "active":
        title += " " + t("wiz.payer.suspended")
    return title


def payer_choices(policy, workers) -> list[tuple[str, str]]:
    return [(payer_title(policy, w), w.id) for w in workers]
