"""Peak memory of a process and its children as the machine sees it: summed proportional set size.

``ru_maxrss`` of forked workers counts the pages they share with their parent once per process, so
adding the parent's and the workers' peaks overstates what a run takes. The proportional set size
(Linux ``/proc/PID/smaps_rollup``) charges each shared page to its sharers in equal parts, so the sum
over the process tree is the memory actually in use. A thread samples it every ``interval`` seconds;
a spike shorter than that can be missed, which is why the benchmarks print the ``ru_maxrss`` upper
bound beside it.

PSS also counts the pages of files a process maps: git maps its pack files and reads them through
the mapping, so a command that reads every article from git (ingest's work-tree update, audit)
shows most of the pack in its PSS although the kernel can drop those pages at will. ``anon_mb``
is the anonymous part (``Pss_Anon`` and ``Pss_Shmem``): the memory the processes themselves hold.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import TracebackType


def _pss_kb(pid: int) -> tuple[int, int]:
    """(proportional set size, its anonymous part) of one process, in kB."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0, 0  # the process ended between listing and reading
    fields = dict(line.split(":", 1) for line in text.splitlines()[1:])
    value = {
        name: int(fields[name].split()[0]) for name in ("Pss", "Pss_Anon", "Pss_Shmem") if name in fields
    }
    return value.get("Pss", 0), value.get("Pss_Anon", 0) + value.get("Pss_Shmem", 0)


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


def _command(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _tree_mb(descendants_only: bool, commands_only: bool) -> tuple[float, float]:
    """(summed PSS, its anonymous part) of this process and its descendants, in MB; of the
    descendants alone with ``descendants_only``."""
    tree = _tree(os.getpid())
    if commands_only:
        # a child forked to run a command still maps the parent's memory until it execs it: a driver
        # holding a generated corpus showed half of it in each command's peak (bench_scale at 10k:
        # ingest 314 MB anonymous, 87 MB when run by a small process)
        parent = _command(tree[0])
        tree = [tree[0], *(p for p in tree[1:] if _command(p) != parent)]
    sizes = [_pss_kb(p) for p in tree[descendants_only:]]
    return sum(s for s, _ in sizes) / 1024, sum(a for _, a in sizes) / 1024


class PeakMemory:
    """``with PeakMemory() as peak: ...`` then ``peak.mb``: the largest sampled tree PSS.

    ``children=True`` leaves this process out: a driver that holds a generated corpus in memory
    measures the commands it runs, not itself. With ``commands_only``, a child that has not yet
    exec'd its program (and so still maps this process's memory) is left out as well; forked
    workers are never counted then.
    """

    def __init__(
        self, interval: float = 0.05, *, children: bool = False, commands_only: bool = False
    ) -> None:
        self.interval = interval
        self.children = children
        self.commands_only = commands_only  # count children only once they run another program
        self.mb = 0.0
        self.anon_mb = 0.0  # the anonymous part: what the processes hold, not file pages they map
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def _sample(self) -> None:
        whole, anonymous = _tree_mb(self.children, self.commands_only)
        self.mb = max(self.mb, whole)
        self.anon_mb = max(self.anon_mb, anonymous)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()
