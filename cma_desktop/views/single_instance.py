"""One running copy per data folder: a lock file that names who holds it.

Qt's QLockFile does the work; it takes over a lock whose process on this computer has died. A lock from another computer (a shared network folder) cannot be checked
that way, so the caller may offer to take it over.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLockFile, QSysInfo

from cma_desktop.locations import foreign_owner

LOCK_NAME = "cma-desktop.lock"
_UNREADABLE_LOCK_SECONDS = 10


def _age_seconds(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


@dataclass
class DataDirLock:
    lock: Any  # QLockFile, or None when another copy holds the folder
    holder: str = ""  # "process 123 on lab-07", when held elsewhere
    other_computer: bool = False
    # False when the lock file could not be written (a read-only or full folder): no copy can
    # save there, and two copies could both start, so the notes must open read-only.
    writable: bool = True
    why_not_writable: str = ""  # for the user: "cannot be created (Permission denied)"

    @property
    def held_by_us(self) -> bool:
        return self.lock is not None

    def release(self) -> None:
        if self.lock is not None:
            self.lock.unlock()


def lock_data_dir(folder: Path, take_over: bool = False) -> DataDirLock:
    """Tries to become the one copy using folder; with take_over, removes another computer's lock first."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)  # private, like the store makes it
    except OSError as error:  # cannot even create it
        return DataDirLock(QLockFile(os.devnull), writable=False,
                           why_not_writable=f"cannot be created ({error.strerror or error})")
    if owner := foreign_owner(folder):  # made beforehand by someone else, who could read or change the notes
        return DataDirLock(QLockFile(os.devnull), writable=False,
                           why_not_writable=f"belongs to another user ({owner}), who could read or change notes kept there")
    lock = QLockFile(str(folder / LOCK_NAME))
    lock.setStaleLockTime(0)  # never by age: a session may stay open all day
    if take_over:
        lock.removeStaleLockFile()
    if lock.tryLock(0):
        return DataDirLock(lock)
    if lock.error() != QLockFile.LockError.LockFailedError:
        # No other copy holds it: the lock file cannot be written (a read-only or full folder).
        return DataDirLock(QLockFile(os.devnull), writable=False,
                           why_not_writable="cannot be written (it may be full or read-only)")
    info = lock.getLockInfo()  # (pid, host name, app name) in PySide6
    if not info or not info[0]:
        # An empty or unreadable lock file, as a power cut just after a start leaves: no copy holds
        # it once a moment has passed (one taking it right now writes its details at once).
        if _age_seconds(folder / LOCK_NAME) > _UNREADABLE_LOCK_SECONDS and lock.removeStaleLockFile() and lock.tryLock(0):
            return DataDirLock(lock)
        return DataDirLock(None)
    pid, host = info[0], info[1]
    here = QSysInfo.machineHostName()
    return DataDirLock(None, f"process {pid} on {host or 'another computer'}", bool(host) and host != here)
