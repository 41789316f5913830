"""One build at a time, and a store a build left half-written is known as such.

A build holds an exclusive lock on ``<store>.lock`` (``flock``: the kernel lets go when
the process dies, however it dies) for as long as it runs, and writes a journal,
``<store>.unfinished``, before its first write; it deletes the journal when the store
and its build index are whole again. A journal found with no build holding the lock
means a build was stopped half-way: the next build repairs what it left (see
``regiongraph.build.target``), and commands that read the store refuse it until then.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

from regiongraph.graph.store import StoreError

LOCK_SUFFIX = ".lock"
JOURNAL_SUFFIX = ".unfinished"


class StoreLocked(StoreError):
    """Another build holds the store."""


class StorePartial(StoreError):
    """A build of the store stopped before it finished."""


def _beside(store_path: Path, suffix: str) -> Path:
    return store_path.with_name(store_path.name + suffix)


class BuildLock:
    """The exclusive right to build the store at ``store_path`` (a no-op for ``None``,
    a store in memory). Raises :class:`StoreLocked` naming the process that holds it."""

    def __init__(self, store_path: Path | None) -> None:
        self.path = _beside(store_path, LOCK_SUFFIX) if store_path is not None else None
        self.store_path = store_path
        self._fd: int | None = None

    def __enter__(self) -> BuildLock:
        if self.path is None:
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise StoreLocked(
                f"the store at {self.store_path} is locked by another build (pid {holder})"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        self._fd = fd
        return self

    def __exit__(
        self, kind: type | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def begin(store_path: Path | None, mode: str) -> None:
    """Say, before the first write, that a build of the store is under way (``mode``:
    how it writes, read back by :func:`unfinished`)."""
    if store_path is not None:
        journal = _beside(store_path, JOURNAL_SUFFIX)
        tmp = journal.with_name(journal.name + ".tmp")
        tmp.write_text(mode + "\n", encoding="utf-8")
        os.replace(tmp, journal)


def end(store_path: Path | None) -> None:
    """The store is whole: the build that began it has finished."""
    if store_path is not None:
        _beside(store_path, JOURNAL_SUFFIX).unlink(missing_ok=True)


def unfinished(store_path: Path | None) -> str | None:
    """The mode of a build of the store that began and did not finish, or None."""
    if store_path is None:
        return None
    try:
        return _beside(store_path, JOURNAL_SUFFIX).read_text(encoding="utf-8").strip() or "?"
    except FileNotFoundError:
        return None


def building(store_path: Path) -> bool:
    """Whether a build holds the store's lock now."""
    try:
        fd = os.open(_beside(store_path, LOCK_SUFFIX), os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing lets go of a lock taken here
    return False


def check_whole(store_path: Path) -> None:
    """Raise :class:`StorePartial` if a build of the store stopped half-way (a build
    running now is fine: readers see what it has committed)."""
    if unfinished(store_path) is not None and not building(store_path):
        raise StorePartial(
            f"the store at {store_path} is partial: a build of it stopped before it "
            "finished; run 'regiongraph build' again"
        )
