"""Guest sessions (policy ephemeral): the data lives in a private temporary folder that the app
wipes when it ends, and that the next start wipes if the app could not (killed, power cut)."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from cma_desktop.locations import guest_folder_base
from cma_desktop.views.single_instance import LOCK_NAME, lock_data_dir

GUEST_PREFIX = "cma-desktop-guest-"
_STARTING_SECONDS = 60


def sweep_stale_guest_folders(base: Path) -> list[Path]:
    """Removes this user's guest folders that no running copy holds; returns the ones removed."""
    removed: list[Path] = []
    try:
        candidates = [p for p in base.glob(f"{GUEST_PREFIX}*") if p.is_dir() and not p.is_symlink()]
    except OSError:
        return removed
    for folder in candidates:
        try:
            info = folder.stat()
        except OSError:
            continue
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            continue  # another account's: not ours to judge
        if not (folder / LOCK_NAME).exists() and time.time() - info.st_mtime < _STARTING_SECONDS:
            continue  # a copy starting this very moment may not have locked its new folder yet
        # Held by a live copy: that session is still going. A killed copy's lock is stale (its
        # process is gone), so its folder goes however recently it was saved to.
        lock = lock_data_dir(folder)
        if lock.held_by_us:
            lock.release()
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def new_guest_folder() -> Path:
    """A fresh private folder for this guest session, after clearing what earlier ones left."""
    base = guest_folder_base()
    sweep_stale_guest_folders(base)
    return Path(tempfile.mkdtemp(prefix=GUEST_PREFIX, dir=base))
