"""`--help` folded for Chinese as well as English.

click's help formatter wraps with textwrap: it breaks only at spaces and counts
characters, not terminal cells. A Chinese help text has no spaces and each character
takes two cells, so at 80 columns a line ran on far past the edge and broke at the
only space it had (`[env var: FAMCOV_LANG; default: zh` / `]`). This formatter
breaks where famcov.output.fold breaks a line on screen (between Chinese characters and
between words, keeping punctuation with what it belongs to and a short quoted term
whole) and measures in cells; a definition's continuation lines stay indented under
its first line. It is click's public extension point (`Context.formatter_class`),
set on every command by cli.localise_help when help is asked for.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import typer

try:  # typer >= 0.20 vendors click
    from typer._click.formatting import HelpFormatter
except ImportError:  # pragma: no cover - older typer
    from click.formatting import HelpFormatter  # type: ignore[no-redef,import-not-found]


def fill(text: str, width: int) -> list[str]:
    """`text` as lines of at most `width` cells; a blank line between paragraphs."""
    from famcov.output.fold import divide_line

    lines: list[str] = []
    for n, paragraph in enumerate(p for p in text.split("\n\n") if p.strip()):
        if n:
            lines.append("")
        flat = " ".join(paragraph.split())
        edges = [0, *divide_line(flat, max(width, 10)), len(flat)]
        lines += [flat[a:b].strip() for a, b in itertools.pairwise(edges)]
    return [line for i, line in enumerate(lines) if line or 0 < i < len(lines) - 1]


# click's headings (and typer's "Arguments"), as click passes them to write_heading
_HEADINGS = {"Options": "helpfmt.options", "Commands": "helpfmt.commands"}
_HEADINGS |= {"Arguments": "helpfmt.arguments"}


def _extras(text: str) -> str:
    """click's `[env var: X; default: Y; required]` at the end of an option's help, in
    the run's language (click writes it in English whatever the language)."""
    import re

    from famcov.i18n import lang, t

    found = re.search(r"\s*\[([^\[\]]*)\]$", text)
    if found is None:
        return text
    parts = []
    for part in found.group(1).split("; "):
        if part.startswith("env var: "):
            parts.append(t("helpfmt.env_var", var=part.removeprefix("env var: ")))
        elif part.startswith("default: "):
            parts.append(t("helpfmt.default", value=part.removeprefix("default: ")))
        elif part == "required":
            parts.append(t("helpfmt.required"))
        else:
            parts.append(part)
    gap = "" if lang() == "zh" else " "  # （…） after a Chinese full stop needs no space
    return text[: found.start()] + gap + t("helpfmt.extras", items=t("helpfmt.sep").join(parts))


class FoldingHelpFormatter(HelpFormatter):
    """click's formatter, measuring cells and breaking Chinese between words, its
    headings and option notes in the run's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        from famcov.i18n import t

        if prefix is None:
            prefix = t("helpfmt.usage_prefix")
        for word in ("[OPTIONS]", "COMMAND", "[ARGS]..."):  # click's own words in the usage
            args = args.replace(word, t(f"helpfmt.usage.{word.strip('[].').lower()}"))
        super().write_usage(prog, args, prefix)

    def write_heading(self, heading: str) -> None:
        from famcov.i18n import t

        if heading in _HEADINGS:
            heading = t(_HEADINGS[heading])
        self.write(f"{'':>{self.current_indent}}{t('helpfmt.heading', heading=heading)}\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for line in fill(text, self.width - self.current_indent):
            self.write(f"{indent}{line}\n" if line else "\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        import re

        from rich.cells import cell_len

        # typer names an argument's Python type after it (no <str>): the name says enough
        rows = [(re.sub(r" <(?:str|int|list\[str\])>$", "", a), _extras(b)) for a, b in rows]
        first_col = min(max((cell_len(r[0]) for r in rows), default=0), col_max) + col_spacing
        hang = " " * (first_col + self.current_indent)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if cell_len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cell_len(first)))
            else:
                self.write("\n" + hang)
            lines = fill(second, max(self.width - first_col - self.current_indent, 10))
            self.write(f"{lines[0] if lines else ''}\n")
            for line in lines[1:]:
                self.write(f"{hang}{line}\n" if line else "\n")


class FoldingContext(typer.Context):
    formatter_class = FoldingHelpFormatter
