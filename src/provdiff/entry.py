"""The ``provdiff`` console script: git's two drivers first, then the typer app.

git runs the diff driver once per changed article (``git diff``) and the textconv filter once per
file version (``git log -p``), each a process of its own with fixed arguments. They are answered
here before the CLI loads: typer, its type coercion (which imports pydantic) and the command
definitions cost more than the drivers' own work. Everything else goes to ``provdiff.cli``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from provdiff import drivers

_DRIVERS: dict[str, Callable[[list[str]], int]] = {
    "git-diff": drivers.diff_driver,
    "git-textconv": lambda args: drivers.textconv(args[0]) if len(args) == 1 else 2,
}


def main() -> None:
    """Console-script entry point."""
    args = sys.argv[1:]
    driver = _DRIVERS.get(args[0]) if args else None
    if driver is not None and not any(arg.startswith("-") for arg in args[1:]):
        sys.exit(driver(args[1:]))
    from provdiff.cli import main as run  # noqa: PLC0415 - see the module docstring

    run()
