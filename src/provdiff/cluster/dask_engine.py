"""The bulk engines on Dask: the same shares as the local engine (``cluster.engine``), on a Dask cluster.

Optional (``pip install 'provdiff[dask]'``). With no address a ``LocalCluster`` of worker processes
starts on this machine (one thread each: the work is Python, the GIL would serialize threads); with
an address (``tcp://scheduler:8786``) the shares go to that cluster, whose workers need provdiff
installed at the same version. The payload is sent to every worker once per stage (``scatter``),
then each share is one task: for the copy engine ``Corpus.shingle_part`` over a range of
paragraphs and ``Corpus.verify_rows`` over a range of candidate pairs (the corpus's pickled state
leaves out keys and caches); for the claim relation, the terms of a range of claims
(``claims.candidates``). The parent joins the shares' results exactly as with the local engine,
so both give identical results.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from provdiff.errors import OptionError

_P = TypeVar("_P")
_T = TypeVar("_T")
_R = TypeVar("_R")


def _apply(function: Callable[[_P, _T], _R], payload: _P, task: _T) -> _R:
    return function(payload, task)


class DaskEngine:
    """A Dask client (local cluster, or the scheduler at ``address``) that runs the shares."""

    def __init__(self, address: str | None = None, workers: int = 2) -> None:
        try:
            from dask.distributed import Client, LocalCluster  # noqa: PLC0415 - optional extra
        except ImportError as exc:
            raise OptionError(
                "--engine dask needs Dask: pip install 'provdiff[dask]' (or dask[distributed])"
            ) from exc
        self._cluster: Any = None
        if address is None:
            self._cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
            )
            self.client: Any = Client(self._cluster)
        else:
            try:
                self.client = Client(address, timeout="20s")
            except OSError as exc:
                raise OptionError(f"no Dask scheduler answers at {address}: {exc}") from exc
        self._workers = max(1, len(self.client.scheduler_info().get("workers", {})) or workers)

    @property
    def workers(self) -> int:
        """How many shares each stage is cut into: one per Dask worker."""
        return self._workers

    def map(self, function: Callable[[_P, _T], _R], payload: _P, tasks: list[_T]) -> list[_R]:
        """``function(payload, task)`` for every task on the cluster, results in task order."""
        # hash=False: a fresh key per stage, so releasing the last stage's copy cannot race this one
        shared = self.client.scatter(payload, broadcast=True, hash=False)
        futures = self.client.map(_apply, [function] * len(tasks), [shared] * len(tasks), tasks, pure=False)
        results: list[_R] = self.client.gather(futures)
        return results

    def close(self) -> None:
        """Disconnect, and stop the local cluster if this engine started one."""
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()
