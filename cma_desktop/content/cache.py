"""A checked copy of the loaded content, so that later starts skip parsing and checking the TOML.

The copy is keyed by the app's version and Python's, and by the size, times and inode of each
content file and of the loader's and model's own source: any change, or any trouble reading the
copy, means the files are loaded and checked again. Only content that loaded is kept, together with the problems of skipped packs, so
their warnings still show.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cma_desktop import __version__
from cma_desktop.content import model
from cma_desktop.content.model import Content
from cma_desktop.content.problems import Problem


def _file_stamp(path: Path) -> tuple[Any, ...]:
    try:
        status = path.stat()
    except OSError:
        return (str(path), os.path.abspath(path))  # a missing pack: its problem is cached with the rest
    # The change time moves on every write and every chmod, and no copy tool can set it: a pack
    # copied in with its old modification time, or made readable after a start, is read again.
    return (str(path), os.path.abspath(path), status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)


# The code that turns files into content: a changed loader or model (in a source checkout, where the
# version stays the same) makes copies stale.
_LOADER_SOURCE = Path(__file__).with_name("loader.py")
_MODEL_SOURCE = Path(model.__file__)


def cache_key(paths: Sequence[Path]) -> tuple[Any, ...]:
    return (__version__, sys.version_info[:2], _file_stamp(_LOADER_SOURCE), _file_stamp(_MODEL_SOURCE),
            tuple(_file_stamp(Path(p)) for p in paths))


def _is_private(status: os.stat_result) -> bool:
    """Only a file this user owns and nobody else can change is read back (it is unpickled)."""
    if os.name != "posix":
        return True  # the per-user local app data folder is private by its access list
    return status.st_uid == os.getuid() and not status.st_mode & 0o022


def read_cache(cache_file: Path, key: tuple[Any, ...]) -> tuple[Content, list[Problem]] | None:
    try:
        with open(cache_file, "rb") as handle:
            if not _is_private(os.fstat(handle.fileno())):
                return None
            stored = pickle.load(handle)
    except Exception:  # noqa: BLE001 - a missing, torn or foreign copy is simply not used
        return None
    if not (isinstance(stored, tuple) and len(stored) == 3 and stored[0] == key and isinstance(stored[1], Content)):
        return None
    return stored[1], list(stored[2])


def write_cache(cache_file: Path, key: tuple[Any, ...], content: Content, skipped: list[Problem]) -> None:
    """Best effort: a read-only or full cache folder only means the next start checks the files again."""
    temp_name = ""
    try:
        cache_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        data = pickle.dumps((key, content, skipped), protocol=pickle.HIGHEST_PROTOCOL)
        descriptor, temp_name = tempfile.mkstemp(prefix=f".{cache_file.name}.", suffix=".tmp", dir=cache_file.parent)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temp_name, cache_file)
    except (OSError, pickle.PicklingError, RecursionError):
        if temp_name:
            Path(temp_name).unlink(missing_ok=True)


def load_with_packs_cached(base: Path, packs: Sequence[Path], cache_file: Path | None) -> tuple[Content, list[Problem]]:
    """What ``loader.load_with_packs`` returns, from the cached copy when the files are unchanged.

    Raises ContentError, as the loader does, when the base content has problems (never cached).
    """
    key = cache_key([base, *packs])  # taken first: a file changed while loading makes the copy stale
    if cache_file is not None and (cached := read_cache(cache_file, key)) is not None:
        return cached
    from cma_desktop.content.loader import load_with_packs  # the TOML parser and checks, only when needed

    content, skipped = load_with_packs(base, packs)
    if cache_file is not None:
        write_cache(cache_file, key, content, skipped)
    return content, skipped
