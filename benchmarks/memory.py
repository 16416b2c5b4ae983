"""Peak memory of a process and its children as the machine sees it: summed proportional set size.

``ru_maxrss`` of forked workers counts the pages they share with their parent once per process, so
adding the parent's and the workers' peaks overstates what a run takes. The proportional set size
(Linux ``/proc/PID/smaps_rollup``) charges each shared page to its sharers in equal parts, so the sum
over the process tree is the memory actually in use. A thread samples it every ``interval`` seconds;
a spike shorter than that can be missed, which is why the benchmarks print the ``ru_maxrss`` upper
bound beside it.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import TracebackType


def _pss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0  # the process ended between listing and reading
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def _tree(pid: int) -> list[int]:
    """The process and its descendants (through every thread's ``children`` list)."""
    found = [pid]
    for at in found:
        try:
            tasks = list(Path(f"/proc/{at}/task").iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                found.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                continue
    return found


def tree_pss_mb(pid: int | None = None, *, descendants_only: bool = False) -> float:
    """Summed proportional set size of ``pid`` (default: this process) and its descendants, in MB;
    of the descendants alone with ``descendants_only``."""
    tree = _tree(pid or os.getpid())
    return sum(_pss_kb(p) for p in tree[descendants_only:]) / 1024


class PeakMemory:
    """``with PeakMemory() as peak: ...`` then ``peak.mb``: the largest sampled tree PSS.

    ``children=True`` leaves this process out: a driver that holds a generated corpus in memory
    measures the commands it runs, not itself.
    """

    def __init__(self, interval: float = 0.05, *, children: bool = False) -> None:
        self.interval = interval
        self.children = children
        self.mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.mb = max(self.mb, tree_pss_mb(descendants_only=self.children))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()
        self.mb = max(self.mb, tree_pss_mb(descendants_only=self.children))
