"""One run at a time on a warehouse: an exclusive lock held for the whole run.

`cscw run`, the sensor's and the schedule's runs and a launch from the UI all take the lock on
`<warehouse>/.cscw.lock` before touching anything; a second run finds it held and stops with a
message naming the run that holds it. The lock is the operating system's (flock): a crashed
run's lock goes with its process. Within one process the lock is re-entrant, so the runner's
stage-by-stage runs share the lock the runner took.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

LOCK_NAME = ".cscw.lock"
# files a run creates (working warehouse, publications, logs) are not readable by other users
RUN_UMASK = 0o027

_held: dict[str, list] = {}  # lock path -> [file descriptor, depth]
_guard = threading.Lock()


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse."""


@contextmanager
def warehouse_lock(root: Path, purpose: str = "run") -> Iterator[None]:
    acquire(root, purpose)
    try:
        yield
    finally:
        release(root)


def _key(root: Path) -> str:
    return str((Path(root) / LOCK_NAME).resolve())


def acquire(root: Path, purpose: str = "run") -> None:
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    key = _key(root)
    with _guard:
        if key in _held:
            _held[key][1] += 1
            return
        fd = os.open(key, os.O_RDWR | os.O_CREAT, 0o640)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise WarehouseBusy(
                f"another run is using the warehouse {root} ({holder}): this run stopped before touching anything; "
                "try again when that run has finished"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(
            fd,
            json.dumps(
                {"pid": os.getpid(), "since": datetime.now().isoformat(timespec="seconds"), "purpose": purpose}
            ).encode(),
            0,
        )
        _held[key] = [fd, 1]


def release(root: Path) -> None:
    key = _key(root)
    with _guard:
        entry = _held.get(key)
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] == 0:
            fd = entry[0]
            del _held[key]
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def _read_holder(fd: int) -> str:
    try:
        info = json.loads(os.pread(fd, 4096, 0) or b"{}")
        return f"{info.get('purpose', 'a run')}, process {info['pid']}, since {info['since']}"
    except (ValueError, KeyError, OSError):
        return "a run"
