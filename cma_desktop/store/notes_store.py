"""Notes and bookmarks in one SQLite file: versioned schema, one transaction per save, rotating
backups through SQLite's backup API, recovery from damage, and a read-only mode instead of a crash.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import shutil
import sqlite3
import tempfile
import threading
import time
import unicodedata
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cma_desktop.store.schema import SCHEMA_VERSION, migrate, schema_version

if TYPE_CHECKING:
    from cma_desktop.store.transfer import ImportSummary

DB_NAME = "notes.sqlite3"
BACKUP_DIR = "backups"
BACKUPS_KEPT = 10
_BACKUP_PAGES_PER_STEP = 512  # 2 MiB, a few milliseconds: about all a save may have to wait
_DISK_RESERVE = 64 * 1024 * 1024  # left free after a backup, for the saves that come meanwhile
NOTEBOOK_KEY = "notebook"  # the general note tied to no topic

Clock = Callable[[], datetime.datetime]


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def utc_stamp(moment: datetime.datetime) -> str:
    """How every moment is stored: UTC, to the microsecond, so that stamps compare as text."""
    return moment.astimezone(datetime.timezone.utc).isoformat(timespec="microseconds")


class StoreError(Exception):
    """A problem the user must be told about, in words they can act on."""


class StoreTooNewError(StoreError):
    pass


class StoreReadOnlyError(StoreError):
    pass


@dataclass(frozen=True)
class Note:
    key: str
    title: str
    body: str
    updated_at: str

    @property
    def first_line(self) -> str:
        return next((line.strip() for line in self.body.splitlines() if line.strip()), "")


@dataclass(frozen=True)
class Bookmark:
    key: str
    title: str
    created_at: str


@dataclass(frozen=True)
class Recovery:
    """What happened when a damaged, missing or empty notes file was found on open."""

    damaged_copy: Path | None  # None: there was no file, or an empty one, to keep
    restored_from: Path | None
    salvaged: int = 0  # notes still readable in the damaged copy, newer than the backup or not in it

    def message(self) -> str:
        if self.damaged_copy is not None:
            text = f"Your notes file was damaged. It was kept, untouched, as {self.damaged_copy}."
        else:
            text = "Your notes file was missing or empty."
        salvaged = (f" {self.salvaged} note(s) still readable in the damaged file, newer than the backup or not "
                    "in it, were brought back too; where they differed, the other text is kept as an earlier "
                    "version." if self.salvaged else "")
        if self.restored_from is None:
            return text + " No good backup was found, so you start with a new notes file." + salvaged
        saved = datetime.datetime.fromtimestamp(self.restored_from.stat().st_mtime).strftime("%d %B %Y, %H:%M")
        text += f" Your notes were restored from the backup {self.restored_from.name}, made {saved}."
        if self.damaged_copy is not None and not self.salvaged:
            text += " Anything saved after that is not in it, though the damaged copy may still hold it."
        return text + salvaged


def fts5_available(connection: sqlite3.Connection) -> bool:
    """Whether this Python's SQLite has the FTS5 module (some builds lack it)."""
    try:
        connection.execute("CREATE VIRTUAL TABLE temp.fts5_probe USING fts5(x)")
        connection.execute("DROP TABLE temp.fts5_probe")
        return True
    except sqlite3.OperationalError:
        return False


def _is_disk_full(error: sqlite3.Error) -> bool:
    return "full" in str(error).lower()


_SQLITE_OK, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_CORRUPT, _SQLITE_NOTADB = 0, 5, 6, 11, 26


def _is_damage(error: sqlite3.Error) -> bool:
    """Damage (a corrupt or foreign file), as opposed to a file that is busy, locked or unreachable."""
    code = getattr(error, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None and code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return True
    # "unsupported file format": a damaged schema-format byte in the header. Recovery keeps the file either way.
    text = str(error).lower()
    return any(sign in text for sign in ("malformed", "not a database", "unsupported file format"))


def _is_busy(error: sqlite3.Error) -> bool:
    """Another connection holds a lock (a save going on), as opposed to damage or a crash's leftovers."""
    code = getattr(error, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return "locked" in str(error).lower() or "busy" in str(error).lower()


def sqlite_uri(posix_path: str, query: str = "mode=ro") -> str:
    """An SQLite URI for an absolute path written with forward slashes, whatever characters it
    holds: /home/ann/notes, C:/Users/Ann/notes or a Windows share, //server/share/notes."""
    quoted = urllib.parse.quote(posix_path, safe="/:")
    if posix_path.startswith("//"):
        return f"file://{quoted}?{query}"  # an empty authority, then the share's own two slashes
    if not posix_path.startswith("/"):
        return f"file:///{quoted}?{query}"  # a drive letter
    return f"file:{quoted}?{query}"


def _read_only_uri(path: Path) -> str:
    return sqlite_uri(Path(os.path.abspath(path)).as_posix())


def _text(value: bytes) -> str:
    """Text as stored; a byte that is not UTF-8 (a damaged sector, an editor's slip) is read as
    U+FFFD instead of raising an error that would hide, and stop the export of, every note."""
    return value.decode("utf-8", "replace")


def _connection_to(target: str, uri: bool = False, **options: Any) -> sqlite3.Connection:
    connection = sqlite3.connect(target, uri=uri, **options)
    connection.text_factory = _text
    return connection


def _is_sound(path: Path, writable: bool = False) -> bool:
    """True when the file opens as SQLite and passes quick_check; False when it is damaged.

    Any other failure (locked by another program, an unreachable network share) is raised, so that
    a busy file is never taken for a damaged one. The live file is checked read-write so that
    SQLite can first roll back a hot journal left by a crash, which a read-only look would
    mistake for damage.
    """
    target = str(path) if writable else _read_only_uri(path)
    try:
        with contextlib.closing(_connection_to(target, uri=not writable)) as connection:
            return connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError as error:
        if _is_damage(error):
            return False
        raise


# The change count at which the full-text index last held every note in its searchable (NFKC)
# form. Earlier versions index text as typed and never move it on, so a save of theirs shows here.
_FTS_FORM_CHANGES = "fts_nfkc_changes"


def _restorable(backup: Path) -> bool:
    """Whether a backup can take the notes file's place: it passes quick_check, and its tables are
    what its header says, which quick_check does not look at (a version damaged while the app ran
    is copied into the backups taken after)."""
    try:
        if not _is_sound(backup):
            return False
        with contextlib.closing(_connection_to(_read_only_uri(backup), uri=True)) as source, \
                contextlib.closing(_connection_to(":memory:", isolation_level=None)) as trial:
            source.backup(trial)
            if not 0 < schema_version(trial) <= SCHEMA_VERSION:
                return False
            migrate(trial)  # raises where a table the header's version lacks already exists
        return True
    except sqlite3.Error:
        return False


def _search_form(stored: bytes | None) -> str | None:
    """Text as the full-text index holds it: ligatures, full-width letters and the like in their
    plain form (the tokenizer then folds case and accents). It is given the stored bytes (SQL:
    search_form(CAST(body AS BLOB))): Python would decode a text argument strictly, and one damaged
    byte in one note would stop the index, and so the notes, from opening."""
    return unicodedata.normalize("NFKC", _text(stored)) if stored else None


def _stored_schema_version(path: Path) -> int:
    """The schema version of the file as saved (0 when it has none), read without any connection
    that may write: that alone could change a file a newer version left behind (checkpoint its
    write-ahead log, switch its journal mode)."""
    try:
        with open(path, "rb") as file:
            header = file.read(100)
    except OSError:
        return 0
    if len(header) < 100 or not header.startswith(b"SQLite format 3\0"):
        return 0  # empty, not SQLite, or damaged: the checks that follow deal with it
    version = int.from_bytes(header[60:64], "big", signed=True)  # where SQLite keeps PRAGMA user_version
    wal = path.with_name(path.name + "-wal")
    try:
        if wal.exists() and wal.stat().st_size > 0:  # the newest version may sit in a log not yet merged
            with contextlib.closing(sqlite3.connect(_read_only_uri(path), uri=True)) as reader:
                version = max(version, schema_version(reader))
    except (OSError, sqlite3.Error):
        pass  # the log cannot be read: the header is the best there is
    return version


def _backup_rank(path: Path) -> tuple[int, str]:
    """notes-<changes>-<date>.sqlite3 ranks by changes, then date; an older notes-<date> name below all of them."""
    parts = path.stem.split("-")
    if len(parts) == 5 and len(parts[1]) == 12 and parts[1].isdigit():
        return int(parts[1]), path.stem
    return -1, path.stem


class _VersionDamaged(Exception):
    """The file is sound SQLite, but the version in its header is not that of its tables."""


class _CopyDamaged(Exception):
    """A backup's copy fails quick_check: the file it was copied from is damaged."""


class _BackupAbandoned(Exception):
    """The copy was called off (Clear my data, closing), took too long, or saves kept restarting it."""


class _CopyWatch:
    """Watches a copy step by step. A copy from another connection starts over whenever a save
    changes the store; a few times is fine, but it must not go on for ever, and whoever waits for
    it (closing the app, clearing the data) can call it off."""

    def __init__(self, cancel: threading.Event, restarts: int = 5, seconds: float = 60.0) -> None:
        self._cancel = cancel
        self._restarts = restarts
        self._deadline = time.monotonic() + seconds
        self._remaining: int | None = None

    def __call__(self, status: int, remaining: int, _total: int) -> None:
        if self._cancel.is_set() or time.monotonic() > self._deadline:
            raise _BackupAbandoned
        if status != _SQLITE_OK:
            return  # busy or locked: the step copied nothing and will be tried again
        if self._remaining is not None and remaining >= self._remaining:  # a step that copied pages left no fewer
            self._restarts -= 1
            if self._restarts < 0:
                raise _BackupAbandoned
        self._remaining = remaining


@dataclass(frozen=True)
class PendingBackup:
    """One backup of the store, written from a connection of its own so that it can run on a
    worker thread: it copies a few megabytes at a time, and a save waits for one step at most."""

    source: Path
    target: Path
    cancel: threading.Event = field(default_factory=threading.Event, compare=False)
    damage_found: threading.Event = field(default_factory=threading.Event, compare=False)  # set by write()
    # Why write() wrote nothing, for the user, when it is the computer's doing (no room, a folder
    # that cannot be written) rather than the copy being called off or overtaken by saves.
    failure: list[str] = field(default_factory=list, compare=False)

    def write(self) -> int | None:
        """Writes the copy; the store's change count it holds, or None when none was written. A copy
        that fails quick_check is never kept: the store itself is damaged (damage_found is set),
        and copies of it would push the good backups out one by one."""
        partial = self.target.with_suffix(".partial")
        try:
            self.target.parent.mkdir(exist_ok=True, mode=0o700)
            # Never fill the disk with a copy: the user's next save needs the room more. (A tenth of a
            # small disk, a USB stick or a quota, is room enough for those saves.)
            disk = shutil.disk_usage(self.target.parent)
            if disk.free < self.source.stat().st_size * 1.2 + min(_DISK_RESERVE, disk.total // 10):
                self.failure.append("the disk is nearly full")
                return None
            NotesStore._create_private(partial)
            # Short lock waits: a busy step returns at once and is retried, so calling off stays quick.
            with contextlib.closing(sqlite3.connect(_read_only_uri(self.source), uri=True, timeout=0.1)) as source, \
                    contextlib.closing(_connection_to(str(partial), timeout=0.1)) as destination:
                source.backup(destination, pages=_BACKUP_PAGES_PER_STEP, sleep=0.005, progress=_CopyWatch(self.cancel))
                if destination.execute("PRAGMA quick_check").fetchone()[0] != "ok" or schema_version(destination) != SCHEMA_VERSION:
                    raise _CopyDamaged  # the open store is always at this version: another one is a damaged header
                row = destination.execute("SELECT value FROM store_state WHERE name = 'changes'").fetchone()
            os.replace(partial, self.target)  # a backup is either whole or absent
        except (OSError, sqlite3.Error, _BackupAbandoned, _CopyDamaged) as error:
            if isinstance(error, _CopyDamaged) or (isinstance(error, sqlite3.DatabaseError) and _is_damage(error)):
                if self._source_damaged():
                    self.damage_found.set()
                else:  # the copy's own fault: a failing disk or network share where the backups go
                    self.failure.append(f"the copy in {self.target.parent} came out damaged (the disk or network there may be failing)")
            elif isinstance(error, OSError):
                self.failure.append(f"{self.target.parent} cannot be written ({error.strerror or error})")
            elif isinstance(error, sqlite3.Error) and not _is_busy(error):
                self.failure.append(f"the copy could not be written ({error})")
            for leftover in (partial, partial.with_name(partial.name + "-journal")):
                with contextlib.suppress(OSError):  # the folder itself may be what failed
                    leftover.unlink(missing_ok=True)
            return None
        return int(row[0]) if row else 0

    def _source_damaged(self) -> bool:
        """Whether the notes file itself is damaged, now that a copy of it came out damaged: only
        then are backups stopped. (A file that cannot be checked now is not called damaged; the
        next try looks again.)"""
        try:
            if not _is_sound(self.source):
                return True
            with contextlib.closing(_connection_to(_read_only_uri(self.source), uri=True)) as connection:
                return schema_version(connection) != SCHEMA_VERSION
        except sqlite3.Error:
            return False


class NotesStore:
    """The user's notes and bookmarks. Every method that saves is one transaction."""

    def __init__(self, data_dir: Path, clock: Clock = utc_now, read_only: bool = False,
                 why_read_only: str | None = None) -> None:
        """With read_only, nothing in data_dir is created or changed: by choice (screenshots,
        exports), or, with why_read_only (what the user is told), because it cannot be written."""
        self.data_dir = Path(data_dir)
        self._reader_only = read_only
        self._why_read_only = why_read_only
        self.path = self.data_dir / DB_NAME
        self.backup_dir = self.data_dir / BACKUP_DIR
        self._clock = clock
        self.read_only_reason = ""
        self.recovery: Recovery | None = None
        self.full_text = False
        try:
            self._connection = self._open()
        except OSError as error:  # a folder this user may not open, a name too long for the file system
            raise StoreError(f"The data folder {self.data_dir} cannot be used: {error.strerror or error}") from error
        except sqlite3.Error as error:  # whatever the checks on opening did not foresee: said, never a traceback
            raise StoreError(f"The notes file {self.path} cannot be opened: {error}") from error
        if self.recovery is not None and self.recovery.damaged_copy is not None and not self.read_only:
            self._salvage(self.recovery.damaged_copy)

    # -- opening ---------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        if self._reader_only:
            return self._open_read_only(self._why_read_only or "opened for reading only")
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:
            return self._open_read_only(f"the data folder {self.data_dir} cannot be created ({error.strerror})")
        if not os.access(self.data_dir, os.W_OK) or (self.path.exists() and not os.access(self.path, os.W_OK)):
            return self._open_read_only(f"the data folder {self.data_dir} is not writable")
        stored_version = _stored_schema_version(self.path)
        if stored_version > SCHEMA_VERSION:  # refused before anything may write to it
            raise self._too_new(stored_version)
        try:
            if self._file_lost() or (self.path.exists() and not _is_sound(self.path, writable=True)):
                self._recover()
        except (sqlite3.Error, OSError) as error:  # busy or unreachable: read what we can, change nothing
            return self._open_read_only(f"the notes file cannot be used right now ({error})")
        self._remove_unfinished_backups()
        try:
            return self._open_file()
        except _VersionDamaged:
            pass
        try:  # the file is sound, but its header no longer says which version its tables are
            self._recover()
            return self._open_file()
        except (sqlite3.Error, OSError, _VersionDamaged) as error:
            return self._open_read_only(f"the notes file cannot be used right now ({error or 'its version is damaged'})")

    def _remove_unfinished_backups(self) -> None:
        """Copies a crash cut short (.partial and its journal), which would pile up and eat the
        room backups need. Only the copy of the app holding the data folder writes backups."""
        for leftover in self.backup_dir.glob("*.partial*"):
            with contextlib.suppress(OSError):
                leftover.unlink()

    def _file_lost(self) -> bool:
        """No notes file, or an empty one, where backups show there were notes: a crash while one
        was put in place, or a file removed by something other than the app's Clear my data."""
        return (not self.path.exists() or self.path.stat().st_size == 0) and bool(self.backups())

    def _open_file(self) -> sqlite3.Connection:
        try:
            self._create_private(self.path)
            connection = self._connect(str(self.path))
            self._refuse_newer(connection)
            try:
                migrate(connection)
            except sqlite3.OperationalError as error:
                if "already exists" in str(error):  # the header says an older version than the tables are
                    connection.close()
                    raise _VersionDamaged from error
                raise
            self._prepare_full_text(connection)
            return connection
        except sqlite3.OperationalError as error:
            if _is_disk_full(error) or "readonly" in str(error).lower() or "unable to open" in str(error).lower():
                return self._open_read_only(f"the notes file cannot be written ({error})")
            raise StoreError(f"The notes file {self.path} cannot be opened: {error}") from error

    def _prepare_full_text(self, connection: sqlite3.Connection) -> None:
        """Keeps an FTS5 index of notes where SQLite has FTS5; elsewhere search scans notes itself.

        The index is rebuilt when it lags the notes (say, after the file was used by a build
        without FTS5), so it never answers from stale text, and when it holds the text in an
        earlier form. It holds the text in compatibility form (NFKC), as search folds what is
        typed: "certiﬁcation" pasted from a PDF, with its "ﬁ" ligature, is found by "certification".
        """
        self.full_text = fts5_available(connection)
        if not self.full_text:
            return
        connection.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS notes_fts USING fts5(title, body, "
            "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
        )
        state = dict(connection.execute("SELECT name, value FROM store_state"))
        changes = state.get("changes", "0")
        if state.get("fts_changes") != changes or state.get(_FTS_FORM_CHANGES) != changes:
            connection.execute("BEGIN IMMEDIATE")
            # First made whole from its own stored text (Clear my data may have emptied it without FTS5), then refilled.
            connection.execute("INSERT INTO notes_fts (notes_fts) VALUES ('rebuild')")
            connection.execute("DELETE FROM notes_fts")
            connection.execute("INSERT INTO notes_fts (rowid, title, body) "
                               "SELECT rowid, search_form(CAST(title AS BLOB)), search_form(CAST(body AS BLOB)) FROM notes")
            for name in ("fts_changes", _FTS_FORM_CHANGES):
                connection.execute("INSERT INTO store_state (name, value) VALUES (?, ?) "
                                   "ON CONFLICT (name) DO UPDATE SET value = excluded.value", (name, changes))
            connection.execute("COMMIT")

    def _index_note(self, connection: sqlite3.Connection, key: str) -> None:
        if self.full_text:
            connection.execute("DELETE FROM notes_fts WHERE rowid = (SELECT rowid FROM notes WHERE key = ?)", (key,))
            connection.execute("INSERT INTO notes_fts (rowid, title, body) "
                               "SELECT rowid, search_form(CAST(title AS BLOB)), search_form(CAST(body AS BLOB)) FROM notes WHERE key = ?", (key,))

    def search_full_text(self, expression: str, limit: int = 60) -> list[Note]:
        """Candidate notes for an FTS5 query expression (only when ``full_text`` is true): those
        matching in their title, then others, newest first, up to ``limit`` of each.

        Ranking them is the caller's job; taking title matches first keeps the best candidates
        when a short prefix matches thousands of notes, without scoring them all in SQLite.
        """
        query = (
            "SELECT n.key, n.title, n.body, n.updated_at FROM notes_fts JOIN notes AS n ON n.rowid = notes_fts.rowid "
            "WHERE notes_fts MATCH ? AND trim(n.body) != '' ORDER BY notes_fts.rowid DESC LIMIT ?"
        )
        found: dict[str, Note] = {}
        for scoped in (f"title : ({expression})", expression):
            for row in self._connection.execute(query, (scoped, limit)):
                found.setdefault(row[0], Note(*row))
        return list(found.values())

    def full_text_vocabulary(self) -> list[str]:
        """Every word in the notes index. Safe on any thread: it reads through a connection of its
        own (the file's, read-only), never the one saves go through."""
        if self._reader_only or not self.path.exists():  # held in memory: its own connection is the only one
            return self._vocabulary(self._connection)
        with contextlib.closing(_connection_to(_read_only_uri(self.path), uri=True, check_same_thread=False)) as connection:
            return self._vocabulary(connection)

    @staticmethod
    def _vocabulary(connection: sqlite3.Connection) -> list[str]:
        connection.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.notes_words USING fts5vocab(main, notes_fts, row)")
        return [row[0] for row in connection.execute("SELECT term FROM temp.notes_words")]

    def changes(self) -> int:
        """A number that grows with every saved change (for caches of what the store holds)."""
        return self._changes()

    @staticmethod
    def _connect(target: str, uri: bool = False) -> sqlite3.Connection:
        connection = _connection_to(target, uri=uri, isolation_level=None, check_same_thread=False)
        connection.create_function("search_form", 1, _search_form, deterministic=True)
        # Rollback journal, not WAL: WAL breaks on the network shares lab home folders often are.
        connection.execute("PRAGMA journal_mode=DELETE")
        connection.execute("PRAGMA synchronous=FULL")
        return connection

    @staticmethod
    def _create_private(path: Path) -> None:
        """The file is created readable by its owner only (POSIX); SQLite's journal copies the mode."""
        if os.name == "posix":
            os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
            os.chmod(path, 0o600)

    def _refuse_newer(self, connection: sqlite3.Connection) -> None:
        version = schema_version(connection)
        if version > SCHEMA_VERSION:
            connection.close()
            raise self._too_new(version)

    def _too_new(self, version: int) -> StoreTooNewError:
        return StoreTooNewError(
            f"The notes file {self.path} was written by a newer version of CMA Career Explorer "
            f"(data version {version}; this version reads up to {SCHEMA_VERSION}). It was left "
            "untouched. Please update the app to open it."
        )

    def _open_read_only(self, reason: str) -> sqlite3.Connection:
        """Reads the notes without changing anything in the data folder. No file yet is an empty
        store; a file that cannot be read is a StoreError, never an empty store that would export
        or show as "no notes"."""
        self.read_only_reason = reason
        if self._file_lost():  # empty or missing, with backups beside it: never shown as "no notes"
            raise self._damaged_for_readers()
        if not self.path.exists():
            return self._empty_in_memory()
        try:
            if not _is_sound(self.path):
                raise self._damaged_for_readers()
            connection = _connection_to(_read_only_uri(self.path), uri=True, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as error:
            if _is_busy(error):  # a save in progress: a copy taken now could catch it half written
                raise StoreError(f"The notes file {self.path} is being saved by another program right now; "
                                 "try again in a moment.") from error
            # A crash left a journal that only a writer may roll back (a reader may not): read a copy.
            connection = self._rolled_back_copy()
        self._refuse_newer(connection)
        try:
            if schema_version(connection) == SCHEMA_VERSION:
                return connection
            # An older file we may not upgrade in place: read an upgraded copy held in memory.
            upgraded = _connection_to(":memory:", isolation_level=None, check_same_thread=False)
            connection.backup(upgraded)
            connection.close()
            migrate(upgraded)  # fails where the header says an older version than the tables are
            return upgraded
        except sqlite3.Error as error:
            raise self._damaged_for_readers() from error

    def _damaged_for_readers(self) -> StoreError:
        return StoreError(f"The notes file {self.path} is damaged. Open CMA Career Explorer with a writable "
                          "data folder to restore it from its latest backup; the file is kept.")

    def _rolled_back_copy(self) -> sqlite3.Connection:
        """The notes as last saved, read from a temporary copy of the file and its journal, where
        SQLite may roll back the unfinished change. The copy is deleted; the original is untouched."""
        journal = self.path.with_name(self.path.name + "-journal")
        try:
            with tempfile.TemporaryDirectory(prefix="cma-desktop-read-") as folder:
                copy = Path(folder) / self.path.name
                shutil.copyfile(self.path, copy)
                if journal.exists():
                    shutil.copyfile(journal, copy.with_name(journal.name))
                if not _is_sound(copy, writable=True):
                    raise self._damaged_for_readers()
                memory = _connection_to(":memory:", isolation_level=None, check_same_thread=False)
                with contextlib.closing(sqlite3.connect(copy)) as source:
                    source.backup(memory)
                return memory
        except (sqlite3.Error, OSError) as error:
            raise StoreError(f"The notes file {self.path} cannot be read right now: {error}") from error

    @staticmethod
    def _empty_in_memory() -> sqlite3.Connection:
        connection = _connection_to(":memory:", isolation_level=None, check_same_thread=False)
        migrate(connection)
        return connection

    def _recover(self) -> None:
        """Puts the newest good backup in place of a damaged, missing or empty notes file, keeping
        the damaged one (never deleting it). The notes file is only ever replaced whole: a crash
        halfway leaves the damaged file, never an empty one that would open as no notes at all."""
        restoring = self.path.with_name(self.path.name + ".restoring")
        restored: Path | None = None
        for backup in self.backups():
            if _restorable(backup):
                for leftover in (restoring, restoring.with_name(restoring.name + "-journal")):
                    leftover.unlink(missing_ok=True)  # a recovery that was cut short
                self._create_private(restoring)
                with contextlib.closing(sqlite3.connect(_read_only_uri(backup), uri=True)) as source, \
                        contextlib.closing(sqlite3.connect(restoring)) as target:
                    source.backup(target)
                restored = backup
                break
        damaged: Path | None = None
        if self.path.exists() and self.path.stat().st_size > 0:
            stamp = self._clock().strftime("%Y%m%d-%H%M%S")
            damaged = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
            number = 1
            while damaged.exists():  # an earlier copy, kept as well
                number += 1
                damaged = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{number}")
            try:
                os.link(self.path, damaged)  # a second name, at once and without room for a copy
            except OSError:  # a file system without hard links (FAT on a USB stick)
                os.replace(self.path, damaged)
        journal = self.path.with_name(self.path.name + "-journal")
        if journal.exists():  # it belongs to the damaged file: never to be played into the restored one
            kept_as = damaged.name if damaged else f"{self.path.name}.orphaned-{self._clock().strftime('%Y%m%d-%H%M%S')}"
            os.replace(journal, self.path.with_name(kept_as + "-journal"))
        if restored is not None:
            os.replace(restoring, self.path)
        else:
            self.path.unlink(missing_ok=True)  # kept under its other name; the store starts afresh
        self.recovery = Recovery(damaged, restored)

    def _salvage(self, damaged: Path) -> None:
        """Merges in the notes and bookmarks still readable in the damaged copy: damage often hits
        one table, or pages no note is on, and notes saved after the backup would be lost. Whichever
        text is newer wins; the other is kept as an earlier version. What cannot be read is left."""
        queries = {"notes": "SELECT key, title, body, updated_at FROM notes",
                   "bookmarks": "SELECT key, title, created_at FROM bookmarks",
                   "removed": "SELECT key, removed_at FROM bookmarks_removed"}
        found: dict[str, list[Any]] = dict.fromkeys(queries, [])
        try:
            with contextlib.closing(_connection_to(_read_only_uri(damaged), uri=True)) as old:
                for name, query in queries.items():
                    with contextlib.suppress(sqlite3.Error):  # this table is where the damage is
                        found[name] = old.execute(query).fetchall()
        except sqlite3.Error:
            return  # the file cannot be opened at all
        if not any(found.values()):
            return
        try:
            summary = self.merge([Note(*row) for row in found["notes"]], [Bookmark(*row) for row in found["bookmarks"]],
                                 removed_bookmarks=[(str(key), str(when)) for key, when in found["removed"]],
                                 origin="recovered")
        except (sqlite3.Error, StoreError, TypeError):
            return  # the restored notes stand as they are
        assert self.recovery is not None
        self.recovery = replace(self.recovery, salvaged=summary.notes_added + summary.notes_updated)

    # -- state -----------------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        return bool(self.read_only_reason)

    @property
    def read_only_by_choice(self) -> bool:
        """Opened read-only on purpose (a screenshot, an export), rather than because it had to be."""
        return self._reader_only and self._why_read_only is None

    def close(self) -> None:
        self._connection.close()

    def transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """One write transaction with the store's safety (read-only and full-disk handling);
        for the modules that keep other kinds of user data in the same file."""
        return self._transaction()

    def read(self, sql: str, parameters: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        return self._connection.execute(sql, parameters).fetchall()

    def now(self) -> datetime.datetime:
        return self._clock()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise StoreReadOnlyError(f"Notes are read-only: {self.read_only_reason}.")
        connection = self._connection
        try:
            connection.execute("BEGIN IMMEDIATE")
            yield connection
            connection.execute("UPDATE store_state SET value = CAST(value AS INTEGER) + 1 WHERE name = 'changes'")
            connection.execute("INSERT OR IGNORE INTO store_state (name, value) VALUES ('changes', '1')")
            if self.full_text:  # the notes index was updated in this same transaction, in its searchable form
                for name in ("fts_changes", _FTS_FORM_CHANGES):
                    connection.execute("INSERT INTO store_state (name, value) SELECT ?, value FROM store_state "
                                       "WHERE name = 'changes' ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                                       (name,))
            connection.execute("COMMIT")
        except sqlite3.Error as error:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            if _is_disk_full(error):
                raise StoreError("The disk is full, so the last change could not be saved. Free some space; "
                                 "your text is still in the editor.") from error
            raise StoreError(f"The change could not be saved: {error}") from error
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise

    # -- notes -----------------------------------------------------------------------------
    def save_note(self, key: str, title: str, body: str) -> Note:
        """Saves the note for key (one transaction). An empty body is kept too: nothing is dropped."""
        note = Note(key, title, body, utc_stamp(self._clock()))
        with self._transaction() as connection:
            connection.execute(
                "INSERT INTO notes (key, title, body, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET title = excluded.title, body = excluded.body, "
                "updated_at = excluded.updated_at",
                (note.key, note.title, note.body, note.updated_at),
            )
            self._index_note(connection, note.key)
        return note

    def note(self, key: str) -> Note | None:
        row = self._connection.execute("SELECT key, title, body, updated_at FROM notes WHERE key = ?", (key,)).fetchone()
        return Note(*row) if row else None

    def notes(self) -> list[Note]:
        """Every note with text, newest change first."""
        rows = self._connection.execute(
            "SELECT key, title, body, updated_at FROM notes WHERE trim(body) != '' ORDER BY updated_at DESC, key DESC"
        )
        return [Note(*row) for row in rows]

    def note_summaries(self, after: Note | None = None, limit: int = 500) -> list[Note]:
        """One page of notes with text, newest first, holding only the start of each body (for lists).

        Pages follow on from the last note of the previous page, so saves in between never shift them.
        """
        where, parameters = "trim(body) != ''", []
        if after is not None:
            where += " AND (updated_at, key) < (?, ?)"
            parameters = [after.updated_at, after.key]
        rows = self._connection.execute(
            "SELECT key, title, substr(ltrim(body), 1, 200), updated_at FROM notes "
            f"WHERE {where} ORDER BY updated_at DESC, key DESC LIMIT ?",
            (*parameters, limit),
        )
        return [Note(*row) for row in rows]

    def note_versions(self, key: str) -> list[tuple[Note, str]]:
        """Earlier versions kept for a note, with why each was kept, newest first."""
        rows = self._connection.execute(
            "SELECT key, title, body, updated_at, reason FROM note_versions WHERE key = ? ORDER BY kept_at DESC, id DESC",
            (key,),
        )
        return [(Note(*row[:4]), row[4]) for row in rows]

    def merge(self, notes: list[Note], bookmarks: list[Bookmark], versions: list[tuple[Note, str]] | None = None,
              also: Callable[[sqlite3.Connection], None] | None = None,
              removed_bookmarks: list[tuple[str, str]] | None = None, origin: str = "imported") -> ImportSummary:
        """Merges imported notes and bookmarks in one transaction. A newer note is never overwritten
        silently: whichever text loses is kept as an earlier version of that note. ``also`` merges
        other records (study progress) in the same transaction, so an import lands whole or not at all."""
        from cma_desktop.store.transfer import ImportSummary

        counts = {"added": 0, "updated": 0, "kept": 0, "unchanged": 0, "bookmarks": 0, "unbookmarked": 0}
        kept_at = utc_stamp(self._clock())
        with self._transaction() as connection:
            for note in notes:
                local = self.note(note.key)
                if local is None:
                    counts["added"] += 1
                    connection.execute("INSERT INTO notes (key, title, body, updated_at) VALUES (?, ?, ?, ?)",
                                       (note.key, note.title, note.body, note.updated_at))
                    self._index_note(connection, note.key)
                elif local.body == note.body:
                    counts["unchanged"] += 1
                elif note.updated_at > local.updated_at or not local.body.strip():  # an emptied note gives way
                    counts["updated"] += 1
                    self._keep_version(connection, local, kept_at, f"replaced by a newer {origin} note")
                    connection.execute("UPDATE notes SET title = ?, body = ?, updated_at = ? WHERE key = ?",
                                       (note.title, note.body, note.updated_at, note.key))
                    self._index_note(connection, note.key)
                else:
                    counts["kept"] += 1
                    self._keep_version(connection, note, kept_at, f"older {origin} note")
            for version, reason in versions or []:
                self._keep_version(connection, version, kept_at, reason)
            # A bookmark and its removal: whichever happened last, here or there, stands. Removals
            # first, so that a bookmark removed and added again there is added again here too.
            before = {str(row[0]) for row in connection.execute("SELECT key FROM bookmarks")}
            for key, removed_at in removed_bookmarks or []:
                connection.execute("DELETE FROM bookmarks WHERE key = ? AND created_at < ?", (key, removed_at))
                connection.execute("INSERT INTO bookmarks_removed (key, removed_at) VALUES (?, ?) ON CONFLICT (key) "
                                   "DO UPDATE SET removed_at = max(removed_at, excluded.removed_at)", (key, removed_at))
            for bookmark in bookmarks:
                removed = connection.execute("SELECT removed_at FROM bookmarks_removed WHERE key = ?", (bookmark.key,)).fetchone()
                if removed is None or removed[0] < bookmark.created_at:
                    connection.execute("INSERT OR IGNORE INTO bookmarks (key, title, created_at) VALUES (?, ?, ?)",
                                       (bookmark.key, bookmark.title, bookmark.created_at))
            after = {str(row[0]) for row in connection.execute("SELECT key FROM bookmarks")}
            counts["bookmarks"], counts["unbookmarked"] = len(after - before), len(before - after)
            if also is not None:
                also(connection)
        return ImportSummary(counts["added"], counts["updated"], counts["kept"], counts["unchanged"], counts["bookmarks"],
                             bookmarks_removed=counts["unbookmarked"])

    @staticmethod
    def _keep_version(connection: sqlite3.Connection, note: Note, kept_at: str, reason: str) -> bool:
        """Keeps note as an earlier version, once: a text already kept for the note is not kept again,
        whatever its date (which an import may have had to move from a fast clock's future to now)."""
        exists = connection.execute("SELECT 1 FROM note_versions WHERE key = ? AND body = ?",
                                    (note.key, note.body)).fetchone()
        if exists or not note.body.strip():
            return False
        connection.execute(
            "INSERT INTO note_versions (key, title, body, updated_at, kept_at, reason) VALUES (?, ?, ?, ?, ?, ?)",
            (note.key, note.title, note.body, note.updated_at, kept_at, reason),
        )
        return True

    def all_versions(self) -> list[tuple[Note, str]]:
        """Every earlier version kept, with why, oldest first (for complete exports)."""
        rows = self._connection.execute(
            "SELECT key, title, body, updated_at, reason FROM note_versions ORDER BY kept_at, id")
        return [(Note(*row[:4]), row[4]) for row in rows]

    def clear_all(self) -> None:
        """Removes every note, bookmark and bit of study progress, the backups and any damaged copies
        kept aside, and rewrites the file so that nothing deleted lingers in its free pages (shared
        lab computers). Copies on disk go first: they hold the same notes."""
        leftovers = [*self.backups(), *self.backup_dir.glob("*.partial*"), *self.data_dir.glob(f"{DB_NAME}.damaged-*")]
        for leftover in leftovers:
            try:
                leftover.unlink(missing_ok=True)
            except OSError as error:
                raise StoreError(f"{leftover} could not be removed ({error.strerror}); nothing else was cleared.") from error
        with self._transaction() as connection:
            tables = [row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE 'notes_fts%' AND name != 'store_state'")]
            for table in tables:
                connection.execute(f'DELETE FROM "{table}"')
            if self.full_text:
                connection.execute("DELETE FROM notes_fts")
                # Deleting only marks the words as gone; the index's segments keep them until
                # rebuilt, here from its now empty text, which drops every old segment.
                connection.execute("INSERT INTO notes_fts (notes_fts) VALUES ('rebuild')")
            else:  # an index left by a build with FTS5 holds note text in its own plain tables: empty them
                shadows = {row[0] for row in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN "
                    "('notes_fts_data', 'notes_fts_idx', 'notes_fts_content', 'notes_fts_docsize')")}
                for table in shadows - {"notes_fts_data"}:
                    connection.execute(f'DELETE FROM "{table}"')
                if "notes_fts_data" in shadows:  # all but its header records (counts, no text), rebuilt on its next use
                    connection.execute("DELETE FROM notes_fts_data WHERE id NOT IN (1, 10)")
        try:
            self._connection.execute("VACUUM")
        except sqlite3.Error as error:
            raise StoreError(f"Your data was removed, but the notes file could not be rewritten ({error}); "
                             "deleted text may remain inside it until there is more free disk space.") from error

    # -- bookmarks -------------------------------------------------------------------------
    def set_bookmark(self, key: str, title: str, on: bool) -> None:
        with self._transaction() as connection:
            if on:
                connection.execute(
                    "INSERT OR IGNORE INTO bookmarks (key, title, created_at) VALUES (?, ?, ?)",
                    (key, title, utc_stamp(self._clock())),
                )
            else:  # remembered, so that importing an older export does not bring it back
                connection.execute("DELETE FROM bookmarks WHERE key = ?", (key,))
                connection.execute("INSERT INTO bookmarks_removed (key, removed_at) VALUES (?, ?) ON CONFLICT (key) "
                                   "DO UPDATE SET removed_at = excluded.removed_at", (key, utc_stamp(self._clock())))

    def removed_bookmarks(self) -> list[tuple[str, str]]:
        """(key, when) of every bookmark taken off, for complete exports."""
        return [(str(k), str(t)) for k, t in self._connection.execute("SELECT key, removed_at FROM bookmarks_removed ORDER BY key")]

    def is_bookmarked(self, key: str) -> bool:
        return self._connection.execute("SELECT 1 FROM bookmarks WHERE key = ?", (key,)).fetchone() is not None

    def bookmarks(self) -> list[Bookmark]:
        """Newest first."""
        rows = self._connection.execute("SELECT key, title, created_at FROM bookmarks ORDER BY created_at DESC, key")
        return [Bookmark(*row) for row in rows]

    def bookmarked_keys(self) -> set[str]:
        return {row[0] for row in self._connection.execute("SELECT key FROM bookmarks")}

    # -- backups ---------------------------------------------------------------------------
    def _changes(self) -> int:
        row = self._connection.execute("SELECT value FROM store_state WHERE name = 'changes'").fetchone()
        return int(row[0]) if row else 0

    def backups(self) -> list[Path]:
        """Backup files, newest first: by the change count in their names, which only grows, and not
        by date, which goes back when the computer's clock is set back. Older names hold a date only."""
        if not self.backup_dir.is_dir():
            return []
        return sorted(self.backup_dir.glob("notes-*.sqlite3"), key=_backup_rank, reverse=True)

    def backup_if_changed(self) -> Path | None:
        """Writes a backup through SQLite's backup API when the data changed since the last one."""
        pending = self.prepare_backup()
        return self.finish_backup(pending, pending.write()) if pending is not None else None

    def prepare_backup(self) -> PendingBackup | None:
        """A backup to write (on any thread) when the data changed since the last one, else None."""
        if self.read_only:
            return None
        changes = self._changes()
        row = self._connection.execute("SELECT value FROM store_state WHERE name = 'backed_up_changes'").fetchone()
        if changes == 0 or (row is not None and int(row[0]) == changes):
            return None
        # The number in the name only grows, whatever the clock says, and even when an older copy of the
        # notes file came back (a roaming profile, a USB stick) with a lower change count than its backups.
        newest = self.backups()
        number = max(changes, _backup_rank(newest[0])[0] + 1 if newest else 0)
        target = self.backup_dir / f"notes-{number:012d}-{self._clock().strftime('%Y%m%d-%H%M%S-%f')}.sqlite3"
        return PendingBackup(self.path, target)

    def finish_backup(self, backup: PendingBackup, copied_changes: int | None) -> Path | None:
        """Records a written backup (by the change count the copy holds: saves made while it was
        copied may be in it) and keeps only the newest."""
        if copied_changes is None:
            return None
        try:  # bookkeeping, not a change of the user's data: it leaves the change count alone
            self._connection.execute("INSERT INTO store_state (name, value) VALUES ('backed_up_changes', ?) "
                                     "ON CONFLICT (name) DO UPDATE SET value = excluded.value", (str(copied_changes),))
        except sqlite3.Error:
            pass  # the backup is there; the next one is merely taken sooner
        for old in self.backups()[BACKUPS_KEPT:]:
            with contextlib.suppress(OSError):  # held open elsewhere (a virus scanner): pruned next time
                old.unlink(missing_ok=True)
        return backup.target
