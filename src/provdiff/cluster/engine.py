"""Where the shares of a bulk computation run: this machine (forked workers) or a Dask cluster.

An engine runs ``function(payload, task)`` for every task and returns the results in task order.
The payload is what every share needs (the bulk copy engine's corpus, the claim relation's texts):
forked workers inherit it, Dask workers get it scattered once per stage. The same functions run on
every engine, so engines differ only in where, never in what they compute.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

_P = TypeVar("_P")
_T = TypeVar("_T")
_R = TypeVar("_R")
_WORKING: Any = None  # the payload forked workers inherit instead of a pickled copy


class Engine(Protocol):
    """Runs the shares of one stage: ``function(payload, task)`` for every task, in order."""

    @property
    def workers(self) -> int:
        """How many shares to cut each stage into."""
        ...

    def map(self, function: Callable[[_P, _T], _R], payload: _P, tasks: list[_T]) -> list[_R]: ...


@dataclass(frozen=True, slots=True)
class LocalEngine:
    """This machine: the calling process, or forked worker processes that inherit the payload."""

    workers: int = 1

    def map(self, function: Callable[[_P, _T], _R], payload: _P, tasks: list[_T]) -> list[_R]:
        global _WORKING  # noqa: PLW0603 - what forked workers inherit instead of a pickled payload
        if self.workers <= 1 or len(tasks) <= 1:
            return [function(payload, task) for task in tasks]
        _WORKING = payload
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(self.workers, mp_context=context) as pool:
                return list(pool.map(_in_worker, [function] * len(tasks), tasks))
        finally:
            _WORKING = None


def _in_worker(function: Callable[[Any, _T], _R], task: _T) -> _R:
    assert _WORKING is not None
    return function(_WORKING, task)
