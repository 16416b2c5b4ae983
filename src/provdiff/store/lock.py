"""One writer at a time: an advisory ``flock`` on a file in the corpus state directory.

``flock`` is released by the kernel when the holder dies, even by ``kill -9``, so a crashed ingest
never leaves a stale lock behind that a user would have to delete by hand.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from provdiff.errors import CorpusBusyError


@contextmanager
def corpus_lock(state_dir: Path, name: str = "lock") -> Iterator[None]:
    """Hold the corpus write lock for the ``with`` block, or raise ``CorpusBusyError`` at once.

    ``name`` selects another lock file: ``watch`` runs hold their own around the whole run, so two
    overlapping runs from cron cannot both fetch, while each run's ingest takes the write lock.
    """
    state_dir.mkdir(exist_ok=True)
    path = state_dir / name
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            raise CorpusBusyError(
                f"another provdiff process (pid {holder}) is writing to {state_dir.parent}; "
                "wait for it to finish and run the command again"
            ) from exc
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)
