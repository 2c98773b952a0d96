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


class FoldingHelpFormatter(HelpFormatter):
    """click's formatter, measuring cells and breaking Chinese between words."""

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for line in fill(text, self.width - self.current_indent):
            self.write(f"{indent}{line}\n" if line else "\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        from rich.cells import cell_len

        rows = list(rows)
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
