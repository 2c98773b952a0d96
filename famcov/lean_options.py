"""Option values without pydantic: the largest single cost of a scripted run.

typer (0.2x) converts every option value through a pydantic TypeAdapter, built
the first time the option is parsed. Importing pydantic and building those
adapters takes about 35 ms, more than all of famcov's own start-up. Every
option famcov declares is a `str` or a `bool` flag, and parsing hands it over
as exactly that type, so such a value is passed through as it is; any other
value (or annotation) still goes through typer's own conversion, unchanged.

`install()` is called once by `famcov.cli`; with a typer that lacks these
internals it does nothing and typer behaves as it always does. famcov does not
pin typer below a version for it: tests/test_lean_options.py runs the same
commands with and without the patch on whatever typer is installed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def install() -> None:
    try:
        from typer import core
        from typer._coercion import RuntimeParam, build_runtime_param
    except ImportError:  # pragma: no cover - another typer: keep its behaviour
        return
    parameter = getattr(core, "_TyperParameter", None)
    original = getattr(parameter, "get_runtime_param", None)
    if parameter is None or original is None or getattr(original, "famcov_lean", False):
        return

    @dataclass(frozen=True)
    class PlainValue(RuntimeParam):
        """A str for a str option, a bool for a flag: returned as is."""

        descriptor: Any = None

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if type(value) is self.annotation:
                return value
            full = build_runtime_param(self.descriptor)
            return full._coerce_value(value, param=param, ctx=ctx)

    def get_runtime_param(self):
        if getattr(self, "_runtime_param", None) is None:
            descriptor = self.type_descriptor
            if (
                descriptor.annotation in (str, bool)
                and descriptor.file_annotation is None
                and descriptor.parameter_info.parser is None
                and not descriptor.is_path
            ):
                self._runtime_param = PlainValue(
                    parameter_info=descriptor.parameter_info,
                    annotation=descriptor.annotation,
                    descriptor=descriptor,
                )
        return original(self)

    get_runtime_param.famcov_lean = True  # type: ignore[attr-defined]
    parameter.get_runtime_param = get_runtime_param
