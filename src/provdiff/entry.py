"""The ``provdiff`` console script: git's two drivers first, then the typer app.

git runs the diff driver once per changed article (``git diff``) and the textconv filter once per
file version (``git log -p``), each a process of its own with fixed arguments. They are answered
here before the CLI loads: typer, its type coercion (which imports pydantic) and the command
definitions cost more than the drivers' own work. Everything else goes to ``provdiff.cli``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path


def diff_driver(args: list[str]) -> int:
    """``git-diff PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE``: the aligned word diff."""
    from provdiff.errors import ProvdiffError  # noqa: PLC0415 - see the module docstring
    from provdiff.gitdriver import git_diff  # noqa: PLC0415

    if len(args) < 7:
        sys.stderr.write(f"Error: git-diff is run by git with 7 arguments, got {len(args)}; see git-setup\n")
        return 2
    path, old_file, new_file = args[0], args[1], args[4]
    colour = "NO_COLOR" not in os.environ and (
        sys.stdout.isatty() or bool(os.environ.get("GIT_PAGER_IN_USE"))
    )
    try:
        old = None if old_file == os.devnull else Path(old_file).read_bytes()
        new = None if new_file == os.devnull else Path(new_file).read_bytes()
        sys.stdout.write(git_diff(path, old, new, colour=colour) + "\n")
    except OSError as exc:
        sys.stderr.write(f"Error: cannot read {exc.filename}: {exc.strerror}\n")
        return 1
    except ProvdiffError as exc:
        sys.stderr.write(f"Error: {exc}\n")
        return 1
    return 0


def textconv(path: str) -> int:
    """``git-textconv FILE``: the article text with one sentence per line."""
    from provdiff.gitdriver import textconv as convert  # noqa: PLC0415 - see the module docstring

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        sys.stderr.write(f"Error: cannot read {path}: {exc.strerror}\n")
        return 1
    sys.stdout.write(convert(data, path))
    return 0


_DRIVERS: dict[str, Callable[[list[str]], int]] = {
    "git-diff": diff_driver,
    "git-textconv": lambda args: textconv(args[0]) if len(args) == 1 else 2,
}


def main() -> None:
    """Console-script entry point."""
    args = sys.argv[1:]
    driver = _DRIVERS.get(args[0]) if args else None
    if driver is not None and not any(arg.startswith("-") for arg in args[1:]):
        sys.exit(driver(args[1:]))
    from provdiff.cli import main as run  # noqa: PLC0415 - see the module docstring

    run()
