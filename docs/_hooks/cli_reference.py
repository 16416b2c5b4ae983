"""mkdocs hook: the CLI reference page, generated from the typer app at every build.

The reference is never hand-copied: it is what ``provdiff --help`` and each command's ``--help``
say, rendered by typer's own Markdown generator, so a new option appears in the docs with the
release that adds it.
"""

from __future__ import annotations

from typing import Any

from mkdocs.structure.files import File, Files
from typer.cli import get_docs_for_click
from typer.main import get_command
from typer.models import Context

from provdiff.cli import app

PAGE = "reference/cli.md"
INTRO = (
    "Generated from the program at build time (`provdiff COMMAND --help` prints the same).\n"
    "Exit codes and errors: [errors, exit codes and robustness](errors.md).\n\n"
)


def on_files(files: Files, config: Any) -> Files:
    command = get_command(app)
    context = Context(command, info_name="provdiff")
    body = get_docs_for_click(obj=command, ctx=context, name="provdiff", title="CLI reference")
    title, _, rest = body.strip().partition("\n")
    files.append(File.generated(config, PAGE, content=f"{title}\n\n{INTRO}{rest.strip()}\n"))
    return files
