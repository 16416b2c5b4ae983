"""Modules loaded on first use, for start-up time.

Every command starts by importing ``provdiff.cli``, and the pipeline behind it (git, lxml,
rapidfuzz, numpy, the readers, the claim index) costs half a second to import; ``--help``, git's
textconv and diff drivers and a short listing should not pay for what they never touch. A lazy
module (``importlib.util.LazyLoader``) is executed when one of its attributes is first read.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def module(name: str) -> ModuleType:
    """The module ``name``, executed on first attribute access; its parent packages are imported
    now (so a lazy submodule of a heavy package saves nothing: make the package light instead)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    lazy = importlib.util.module_from_spec(spec)
    sys.modules[name] = lazy
    loader.exec_module(lazy)
    return lazy


def loaded(name: str) -> bool:
    """Whether ``name`` has been executed (a lazy module not yet read does not count)."""
    found = sys.modules.get(name)
    return found is not None and type(found) is ModuleType
