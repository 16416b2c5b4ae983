"""The one exception tree of provdiff.

Every error a user can cause is a ``ProvdiffError`` whose message says what went wrong and what to do;
the CLI prints it as one ``Error: ...`` line. Third-party errors (git, JSON, codecs) are mapped to these
at the boundary with ``raise ... from exc`` so the cause stays in tracebacks::

    ProvdiffError
    ├── InputError              a file or record handed to ingest cannot be used
    │   ├── EmptyInputError
    │   ├── BinaryInputError
    │   ├── OversizeInputError
    │   └── ParseError          structure unreadable even by the lenient readers
    ├── OptionError             a value given on the command line or in a manifest is malformed
    └── CorpusError             the corpus cannot do what was asked
        ├── CorpusNotFoundError
        ├── CorpusExistsError
        ├── CorpusDirtyError    uncommitted changes would be overwritten
        ├── CorpusBusyError     another provdiff process holds the corpus lock
        └── NotFoundError       no such article or revision
"""

from __future__ import annotations


class ProvdiffError(Exception):
    """Base of every error provdiff raises on purpose."""


class InputError(ProvdiffError):
    """An input file or record cannot be ingested; the message names it."""


class EmptyInputError(InputError):
    """The input holds no text."""


class BinaryInputError(InputError):
    """The input is not text."""


class OversizeInputError(InputError):
    """The input is larger than the configured limit."""


class ParseError(InputError):
    """Even lenient parsing found nothing usable."""


class OptionError(ProvdiffError):
    """A command-line or manifest value is malformed."""


class CorpusError(ProvdiffError):
    """The corpus is missing, busy or in a state that forbids the operation."""


class CorpusNotFoundError(CorpusError):
    """No corpus at the given path or above the current directory."""


class CorpusExistsError(CorpusError):
    """``init`` was asked to create a corpus where one already is."""


class CorpusDirtyError(CorpusError):
    """The corpus work tree has changes that an ingest would overwrite."""


class CorpusBusyError(CorpusError):
    """Another process is writing to the corpus."""


class NotFoundError(CorpusError):
    """No article or revision matches the given reference."""
