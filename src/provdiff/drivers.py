"""git's two drivers as plain functions that write to stdout: the diff driver and the textconv
filter. The console script (``provdiff.entry``) answers git with them before the CLI loads, and the
typer commands of the same names (``provdiff.cli``, for ``--help`` and the docs) call them too.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def diff_driver(args: list[str]) -> int:
    """``git-diff PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE``: the aligned word diff."""
    from provdiff.errors import ProvdiffError  # noqa: PLC0415 - loaded when git calls, not by --help
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
    from provdiff.gitdriver import textconv as convert  # noqa: PLC0415 - loaded when git calls

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        sys.stderr.write(f"Error: cannot read {path}: {exc.strerror}\n")
        return 1
    sys.stdout.write(convert(data, path))
    return 0
