"""The notes store keeps every acknowledged save through damage, full disks, read-only folders and kills."""

from __future__ import annotations

import contextlib
import datetime
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cma_desktop.store.notes_store import (
    BACKUPS_KEPT,
    DB_NAME,
    NotesStore,
    StoreError,
    StoreReadOnlyError,
    StoreTooNewError,
)
from cma_desktop.store.schema import MIGRATIONS, SCHEMA_VERSION, migrate
from tests.conftest import REPO_ROOT


class TickingClock:
    """Each call is one second later: ordering and backup names are deterministic."""

    def __init__(self) -> None:
        self.now = datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.timezone.utc)

    def __call__(self) -> datetime.datetime:
        self.now += datetime.timedelta(seconds=1)
        return self.now


def open_store(path: Path) -> NotesStore:
    return NotesStore(path, clock=TickingClock())


def test_round_trip_survives_reopening(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.save_note("duties/vital-signs", "Taking vital signs", "Ask about\nmanual BP cuffs")
    store.save_note("faq/pay", "Pay", "Check local wages")
    store.set_bookmark("duties/vital-signs", "Taking vital signs", True)
    store.set_bookmark("faq/pay", "Pay", True)
    store.close()

    again = open_store(tmp_path)
    note = again.note("duties/vital-signs")
    assert note is not None and note.body == "Ask about\nmanual BP cuffs" and note.first_line == "Ask about"
    assert [n.key for n in again.notes()] == ["faq/pay", "duties/vital-signs"]  # newest first
    assert [b.key for b in again.bookmarks()] == ["faq/pay", "duties/vital-signs"]
    again.set_bookmark("faq/pay", "Pay", False)
    assert again.bookmarked_keys() == {"duties/vital-signs"}


def test_settings_of_the_file(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    connection = store._connection
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert connection.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_file_is_private_to_its_owner(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    store.save_note("faq/pay", "Pay", "x")
    assert (store.path.stat().st_mode & 0o777) == 0o600
    assert ((tmp_path / "data").stat().st_mode & 0o777) == 0o700
    backup = store.backup_if_changed()
    assert backup is not None and (backup.stat().st_mode & 0o777) == 0o600


def test_migrates_a_file_of_the_previous_version(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    with sqlite3.connect(path, isolation_level=None) as old:
        migrate(old, target=SCHEMA_VERSION - 1)
        old.execute("INSERT INTO notes VALUES ('faq/pay', 'Pay', 'from the old version', '2026-01-01T00:00:00+00:00')")
        old.execute("INSERT INTO quiz_flags VALUES ('q-recert', '2026-01-01T00:00:00+00:00')")
    old.close()
    store = open_store(tmp_path)
    assert store._connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.note("faq/pay").body == "from the old version"  # type: ignore[union-attr]
    assert store.note_versions("faq/pay") == []
    from cma_desktop.study.progress import StudyProgress

    progress = StudyProgress(store)
    assert progress.flagged() == {"q-recert"}
    progress.set_flag("q-recert", False)  # the table the new version added (when a flag came off) is usable
    assert progress.flagged() == set()


def test_a_failed_migration_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / DB_NAME
    with sqlite3.connect(path, isolation_level=None) as old:
        migrate(old, target=1)
    old.close()
    import cma_desktop.store.schema as schema

    monkeypatch.setattr(schema, "MIGRATIONS", (*MIGRATIONS, "CREATE TABLE broken (x); THIS IS NOT SQL"))
    connection = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError):
        schema.migrate(connection, target=len(schema.MIGRATIONS))
    assert connection.execute("PRAGMA user_version").fetchone()[0] == 1
    assert connection.execute("SELECT name FROM sqlite_master WHERE name IN ('broken', 'note_versions')").fetchall() == []


@pytest.mark.parametrize("journal_mode", ["delete", "wal"])
def test_a_newer_schema_is_refused_and_left_untouched(tmp_path: Path, journal_mode: str) -> None:
    """Not even opened for writing: that alone would turn a newer version's WAL file back into a
    rollback-journal one, or change its permissions."""
    path = tmp_path / DB_NAME
    with sqlite3.connect(path, isolation_level=None) as newer:
        newer.execute(f"PRAGMA journal_mode={journal_mode}")
        migrate(newer)
        newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    newer.close()
    path.chmod(0o644)
    before = path.read_bytes(), path.stat().st_mode
    with pytest.raises(StoreTooNewError, match="newer version"):
        open_store(tmp_path)
    assert (path.read_bytes(), path.stat().st_mode) == before


def test_a_newer_version_still_in_its_write_ahead_log_is_refused_and_left_untouched(tmp_path: Path) -> None:
    """The newer version was killed before it merged its log into the file: the file's header still
    shows this version's number; the log shows the newer one."""
    import subprocess
    import sys

    path = tmp_path / DB_NAME
    writer = (
        "import os, sqlite3, sys\n"
        "from cma_desktop.store.schema import SCHEMA_VERSION, migrate\n"
        "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "migrate(db)\n"
        "db.execute('PRAGMA journal_mode=WAL')\n"
        "db.execute('PRAGMA wal_autocheckpoint=0')\n"
        "db.execute(f'PRAGMA user_version = {SCHEMA_VERSION + 1}')\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", writer, str(path)], check=True, timeout=60)
    wal = path.with_name(DB_NAME + "-wal")
    assert wal.stat().st_size > 0
    saved = (path, wal)  # not the -shm file: SQLite's index of the log, which any reader refreshes
    before = [(p.read_bytes(), p.stat().st_mode) for p in saved]
    with pytest.raises(StoreTooNewError, match="newer version"):
        open_store(tmp_path)
    assert [(p.read_bytes(), p.stat().st_mode) for p in saved] == before


def make_backed_up_store(tmp_path: Path) -> NotesStore:
    store = open_store(tmp_path)
    store.save_note("duties/vital-signs", "Vital signs", "precious note")
    store.set_bookmark("faq/pay", "Pay", True)
    assert store.backup_if_changed() is not None
    store.close()
    return store


@pytest.mark.parametrize("where", ["header", "page"])
def test_damaged_file_is_moved_aside_and_the_newest_backup_restored(tmp_path: Path, where: str) -> None:
    make_backed_up_store(tmp_path)
    path = tmp_path / DB_NAME
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    if where == "header":
        data[0:16] = b"garbage garbage!"
    else:  # the first page after the schema page: table b-tree data
        data[page_size + 8 : page_size * 2] = os.urandom(page_size - 8)
    path.write_bytes(bytes(data))
    damaged_bytes = bytes(data)

    store = open_store(tmp_path)
    assert store.recovery is not None
    assert store.recovery.damaged_copy.read_bytes() == damaged_bytes  # kept, untouched
    assert store.recovery.restored_from is not None
    assert "was damaged" in store.recovery.message() and str(store.recovery.damaged_copy) in store.recovery.message()
    assert store.note("duties/vital-signs").body == "precious note"  # type: ignore[union-attr]
    assert store.is_bookmarked("faq/pay")
    assert store._connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def store_with_a_damaged_byte(folder: Path, other_body: str, damaged_body: bytes) -> None:
    """Two notes, faq/pay's body holding bytes that are not UTF-8, as a damaged sector leaves them."""
    store = open_store(folder)
    store.save_note("faq/pay", "Pay", "to be damaged")
    store.save_note("faq/other", "Other", other_body)
    store.close()
    with contextlib.closing(sqlite3.connect(folder / DB_NAME)) as raw:
        raw.execute("UPDATE notes SET body = CAST(? AS TEXT) WHERE key = 'faq/pay'", (damaged_body,))
        raw.commit()


def test_a_damaged_byte_in_a_note_reads_as_a_replacement_character_and_exports(tmp_path: Path) -> None:
    """quick_check passes such a file, so no recovery runs; one note's bad byte must not hide, or
    stop the export of, every note."""
    from cma_desktop.store.transfer import export_json, export_markdown

    store_with_a_damaged_byte(tmp_path, "fine", b"caf\xff body")
    for reopened in (open_store(tmp_path), NotesStore(tmp_path, read_only=True)):
        assert reopened.note("faq/pay").body == "caf\ufffd body"  # type: ignore[union-attr]
        assert {n.key for n in reopened.note_summaries()} == {"faq/pay", "faq/other"}
        assert "caf\ufffd body" in export_json(reopened) and "fine" in export_markdown(reopened, None)
        reopened.close()


@pytest.mark.parametrize(("offset", "damage"), [(60, b"\0\0\0\0"), (60, b"\xff\xff\xff\xff"), (47, b"\x06")],
                         ids=["version zeroed", "version negative", "schema format"])
def test_a_damaged_header_field_is_recovered_not_refused_every_session(tmp_path: Path, offset: int, damage: bytes) -> None:
    """quick_check passes these files, yet the version they claim does not match their tables (or
    SQLite cannot read their format): recovery, as for other damage; reading only says it is damaged."""
    make_backed_up_store(tmp_path)
    path = tmp_path / DB_NAME
    data = bytearray(path.read_bytes())
    data[offset:offset + len(damage)] = damage
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="is damaged"):  # a screenshot or an export: no traceback, nothing changed
        NotesStore(tmp_path, read_only=True)
    assert path.read_bytes() == bytes(data)
    store = open_store(tmp_path)
    assert store.recovery is not None and store.recovery.restored_from is not None
    assert store.recovery.damaged_copy.read_bytes() == bytes(data)
    assert store.note("duties/vital-signs").body == "precious note"  # type: ignore[union-attr]
    store.save_note("faq/pay", "Pay", "saved again")
    store.close()
    assert open_store(tmp_path).recovery is None  # once, not every session


@pytest.mark.parametrize("loss", ["missing", "empty"])
def test_a_lost_notes_file_is_restored_from_its_backups_and_the_user_told(tmp_path: Path, loss: str) -> None:
    """What a crash while a file was put in place, or a file removed by hand, leaves: with backups
    there, it is no first start; opening it as an empty store would let new backups push out the
    ones that hold the notes."""
    make_backed_up_store(tmp_path)
    path = tmp_path / DB_NAME
    path.unlink() if loss == "missing" else path.write_bytes(b"")
    store = open_store(tmp_path)
    assert store.recovery is not None and store.recovery.restored_from is not None
    assert store.recovery.message().startswith("Your notes file was missing or empty. Your notes were restored from")
    assert store.note("duties/vital-signs").body == "precious note"  # type: ignore[union-attr]


def test_a_recovery_cut_short_leaves_the_damaged_file_in_place_not_an_empty_one(tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    make_backed_up_store(tmp_path)
    path = tmp_path / DB_NAME
    damaged = b"garbage garbage!" + path.read_bytes()[16:]
    path.write_bytes(damaged)
    real_replace = os.replace

    def power_cut(source: Any, target: Any) -> None:
        if Path(target) == path:  # the last step: the restored copy taking the file's place
            raise KeyboardInterrupt
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", power_cut)
    with pytest.raises(KeyboardInterrupt):
        open_store(tmp_path)
    monkeypatch.setattr(os, "replace", real_replace)
    assert path.read_bytes() == damaged  # still the notes file: the next start recovers again
    store = open_store(tmp_path)
    assert store.recovery is not None and store.recovery.restored_from is not None
    assert store.note("duties/vital-signs").body == "precious note"  # type: ignore[union-attr]
    kept = sorted(tmp_path.glob(DB_NAME + ".damaged-*"))
    assert kept and all(copy.read_bytes() == damaged for copy in kept)


def damage_table(path: Path, table: str) -> None:
    """Overwrites a table's first page on disk, as a bad sector would: the file still opens."""
    with contextlib.closing(sqlite3.connect(path)) as reader:
        root = reader.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        page_size = reader.execute("PRAGMA page_size").fetchone()[0]
    with open(path, "r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(bytes(range(256)) * (page_size // 256))


def test_a_copy_damaged_on_its_way_is_a_failed_backup_not_a_damaged_store(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A failing disk or network share where the backups go can spoil a copy of a sound notes file:
    that must not stop every backup for the session as damage to the notes would."""
    import cma_desktop.store.notes_store as notes_store

    store = NotesStore(tmp_path)
    store.save_note("notebook", "Notebook", "worth keeping")

    class SpoiledCopy(sqlite3.Connection):
        def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
            if sql == "PRAGMA quick_check":
                return super().execute("SELECT 'row 3 missing from index'")
            return super().execute(sql, *args)

    real_connect = notes_store._connection_to
    monkeypatch.setattr(notes_store, "_connection_to", lambda target, uri=False, **options: real_connect(
        target, uri, **({**options, "factory": SpoiledCopy} if target.endswith(".partial") else options)))
    pending = store.prepare_backup()
    assert pending is not None and pending.write() is None
    assert not pending.damage_found.is_set()
    assert pending.failure and "came out damaged" in pending.failure[-1]
    assert store.backups() == []


def test_a_damaged_store_is_never_backed_up_over_the_good_backups(tmp_path: Path) -> None:
    """Damage that saves do not touch goes unnoticed until the next start; meanwhile a backup every
    ten minutes, ten kept, would replace every good backup with a damaged copy."""
    store = open_store(tmp_path)
    store.save_note("duties/vital-signs", "Vital signs", "precious note")
    store.set_bookmark("faq/pay", "Pay", True)
    good = store.backup_if_changed()
    assert good is not None
    damage_table(tmp_path / DB_NAME, "bookmarks")
    for round_ in range(BACKUPS_KEPT + 2):
        store.save_note("faq/pay", "Pay", f"still typing {round_}")
        pending = store.prepare_backup()
        assert pending is not None
        assert store.finish_backup(pending, pending.write()) is None
        assert pending.damage_found.is_set()
    assert store.backups() == [good]
    assert not list(store.backup_dir.glob("*.partial*"))
    store.close()
    reopened = open_store(tmp_path)
    assert reopened.recovery is not None and reopened.recovery.restored_from == good


def test_a_version_damaged_while_the_app_runs_reaches_no_backup_and_never_stops_a_start(tmp_path: Path) -> None:
    """quick_check does not read the header's version: a backup copied after it was damaged would
    be restored, fail the same way, and the error escaped at every start."""
    store = open_store(tmp_path)
    store.save_note("duties/vital-signs", "Vital signs", "precious note")
    good = store.backup_if_changed()
    store.save_note("faq/pay", "Pay", "later")
    store._connection.execute("PRAGMA user_version = 2")  # the header damaged under the running app
    pending = store.prepare_backup()
    assert pending is not None and pending.write() is None and pending.damage_found.is_set()
    store.close()
    assert store.backups() == [good]
    reopened = open_store(tmp_path)  # no exception: restored from the backup taken before the damage
    assert reopened.recovery is not None and reopened.recovery.restored_from == good
    assert reopened.note("duties/vital-signs").body == "precious note"  # type: ignore[union-attr]
    reopened.close()

    # a backup with a damaged version (from before this check) is passed over for an older, sound one
    older = make_backed_up_store(tmp_path / "two")
    newest = tmp_path / "two" / "backups" / "notes-999999999999-20261128-100000-000000.sqlite3"
    newest.write_bytes(older.backups()[0].read_bytes())
    with contextlib.closing(sqlite3.connect(newest)) as raw:
        raw.execute("PRAGMA user_version = 2")
    (tmp_path / "two" / DB_NAME).write_bytes(b"garbage garbage!" * 64)
    recovered = open_store(tmp_path / "two")
    assert recovered.recovery is not None and recovered.recovery.restored_from not in (None, newest)
    assert recovered.note("duties/vital-signs").body == "precious note"  # type: ignore[union-attr]


def test_reading_only_a_lost_notes_file_is_an_error_not_an_empty_store(tmp_path: Path) -> None:
    """An export or a screenshot must not show, or write out, "no notes" while backups hold them."""
    make_backed_up_store(tmp_path)
    (tmp_path / DB_NAME).write_bytes(b"")
    with pytest.raises(StoreError, match="is damaged"):
        NotesStore(tmp_path, read_only=True)
    (tmp_path / DB_NAME).unlink()
    with pytest.raises(StoreError, match="is damaged"):
        NotesStore(tmp_path, read_only=True)


def test_a_damaged_byte_does_not_stop_the_search_index_being_rebuilt(tmp_path: Path) -> None:
    """The index is rebuilt after an earlier version saved; its text function got each note's text
    decoded strictly, and one bad byte switched notes off at every start."""
    store_with_a_damaged_byte(tmp_path, "certification", b"hel\xfflo world")
    with contextlib.closing(sqlite3.connect(tmp_path / DB_NAME)) as raw:
        raw.execute("DELETE FROM store_state WHERE name IN ('fts_changes', 'fts_nfkc_changes')")  # as an earlier version leaves it
        raw.commit()
    reopened = open_store(tmp_path)
    assert not reopened.read_only and reopened.note("faq/pay").body == "hel\ufffdlo world"  # type: ignore[union-attr]
    if reopened.full_text:
        assert [n.key for n in reopened.search_full_text('"world"')] == ["faq/pay"]
        assert [n.key for n in reopened.search_full_text('"certification"')] == ["faq/other"]


def test_notes_saved_after_the_backup_are_brought_back_from_the_damaged_file(tmp_path: Path) -> None:
    """Damage often hits one table: notes saved after the last backup were still readable in the
    damaged copy, yet the user got the backup alone."""
    make_backed_up_store(tmp_path)  # "precious note" and a bookmark, backed up
    later = TickingClock()
    later.now += datetime.timedelta(hours=1)
    store = NotesStore(tmp_path, clock=later)
    store.save_note("duties/vital-signs", "Vital signs", "precious note, and what I added after the backup")
    store.save_note("duties/last", "Last", "written after the backup")
    store.close()
    damage_table(tmp_path / DB_NAME, "bookmarks")
    reopened = open_store(tmp_path)
    assert reopened.recovery is not None and reopened.recovery.restored_from is not None
    assert reopened.recovery.salvaged == 2 and "2 note(s) still readable" in reopened.recovery.message()
    assert reopened.note("duties/last").body == "written after the backup"  # type: ignore[union-attr]
    assert reopened.note("duties/vital-signs").body.endswith("what I added after the backup")  # type: ignore[union-attr]
    assert [v.body for v, _when in reopened.note_versions("duties/vital-signs")] == ["precious note"]
    assert reopened.is_bookmarked("faq/pay")  # from the backup: the damaged table could not be read


def test_damage_with_no_backup_starts_empty_and_keeps_the_file(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"this is not a database at all" * 100)
    store = open_store(tmp_path)
    assert store.recovery is not None and store.recovery.restored_from is None
    assert "No good backup" in store.recovery.message()
    assert store.recovery.damaged_copy.exists()
    store.save_note("faq/pay", "Pay", "new start")
    assert store.note("faq/pay") is not None


def test_backups_only_when_changed_and_only_the_newest_kept(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    assert store.backup_if_changed() is None  # nothing to keep yet
    store.save_note("faq/pay", "Pay", "v0")
    first = store.backup_if_changed()
    assert first is not None and store.backup_if_changed() is None  # unchanged since
    for n in range(1, BACKUPS_KEPT + 3):
        store.save_note("faq/pay", "Pay", f"v{n}")
        assert store.backup_if_changed() is not None
    backups = store.backups()
    assert len(backups) == BACKUPS_KEPT and first not in backups
    with sqlite3.connect(backups[0]) as newest:
        assert newest.execute("SELECT body FROM notes").fetchone()[0] == f"v{BACKUPS_KEPT + 2}"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores file modes")
def test_read_only_folder_opens_read_only(tmp_path: Path) -> None:
    def lock() -> None:
        os.chmod(tmp_path / DB_NAME, 0o400)
        os.chmod(tmp_path, 0o500)

    try:
        _read_only_folder_checks(tmp_path, lock)
    finally:
        os.chmod(tmp_path, 0o700)


def test_read_only_folder_as_seen_by_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same checks where file modes cannot be relied on (root, CI): the folder reports no write access."""
    real_access = os.access

    def lock() -> None:
        monkeypatch.setattr(os, "access", lambda p, mode: False if mode == os.W_OK and str(p).startswith(str(tmp_path))
                            else real_access(p, mode))

    _read_only_folder_checks(tmp_path, lock)


def _read_only_folder_checks(tmp_path: Path, lock: Callable[[], None]) -> None:
    store = open_store(tmp_path)
    store.save_note("faq/pay", "Pay", "written before")
    store.close()
    lock()
    ro = open_store(tmp_path)
    assert ro.read_only and "not writable" in ro.read_only_reason
    assert ro.note("faq/pay").body == "written before"  # type: ignore[union-attr]
    with pytest.raises(StoreReadOnlyError):
        ro.save_note("faq/pay", "Pay", "lost?")
    assert ro.backup_if_changed() is None


def test_full_disk_keeps_the_last_good_save(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.save_note("faq/pay", "Pay", "fits")
    pages = store._connection.execute("PRAGMA page_count").fetchone()[0]
    store._connection.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow: a full disk
    with pytest.raises(StoreError, match="disk is full"):
        store.save_note("faq/big", "Big", "x" * 200_000)
    assert store.note("faq/pay").body == "fits"  # type: ignore[union-attr]
    assert store.note("faq/big") is None
    assert store._connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.save_note("faq/pay", "Pay", "still saving small changes")
    assert store.note("faq/pay").body == "still saving small changes"  # type: ignore[union-attr]


def test_kill_at_random_moments_loses_no_acknowledged_save(tmp_path: Path) -> None:
    """A child saves in a loop and prints each save once it returned; we SIGKILL it at random."""
    child = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from cma_desktop.store.notes_store import NotesStore
        store = NotesStore(Path(sys.argv[1]))
        start = int(sys.argv[2])
        n = start
        while True:
            store.save_note(f"duties/item-{n % 7}", "Item", f"body {n}")
            if n % 3 == 0:
                store.set_bookmark(f"faq/q-{n}", "Q", True)
            print(n, flush=True)
            n += 1
        """
    )
    data_dir = tmp_path / "data"
    rng = random.Random(20261128)
    acknowledged: dict[str, int] = {}
    bookmarked: set[str] = set()
    next_n = 0
    runs = 50
    for _ in range(runs):
        process = subprocess.Popen([sys.executable, "-c", child, str(data_dir), str(next_n)], cwd=REPO_ROOT,
                                   stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None
        time.sleep(rng.uniform(0.15, 0.45))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        for line in process.stdout.read().split():
            n = int(line)
            acknowledged[f"duties/item-{n % 7}"] = n
            if n % 3 == 0:
                bookmarked.add(f"faq/q-{n}")
            next_n = max(next_n, n + 1)
        next_n += 1  # a save may have landed without its acknowledgement: never reuse its number
    assert len(bookmarked) > runs  # the children really saved between kills
    with sqlite3.connect(data_dir / DB_NAME) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = dict(connection.execute("SELECT key, body FROM notes"))
        stored_bookmarks = {row[0] for row in connection.execute("SELECT key FROM bookmarks")}
    for key, n in acknowledged.items():
        assert int(stored[key].split()[1]) >= n, key  # the acknowledged save, or a later one
    assert bookmarked <= stored_bookmarks


def test_a_busy_file_is_not_taken_for_a_damaged_one(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.save_note("faq/pay", "Pay", "keep me")
    store.close()
    holder = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None, timeout=0)
    holder.execute("BEGIN EXCLUSIVE")  # another program holds the file
    try:  # said as busy, not shown as an empty store nor "recovered" from a backup
        with pytest.raises(StoreError, match="being saved by another program"):
            NotesStore(tmp_path, clock=TickingClock())
        assert not list(tmp_path.glob(f"{DB_NAME}.damaged-*"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert open_store(tmp_path).note("faq/pay").body == "keep me"  # type: ignore[union-attr]


def test_clear_all_also_removes_damaged_copies_and_backups(tmp_path: Path) -> None:
    make_backed_up_store(tmp_path)
    (tmp_path / DB_NAME).write_bytes(b"\0" * 4096)
    store = open_store(tmp_path)
    assert store.recovery is not None and store.recovery.damaged_copy.exists()
    store.clear_all()
    assert store.notes() == [] and store.bookmarks() == [] and store.backups() == []
    assert not list(tmp_path.glob(f"{DB_NAME}.damaged-*"))


def test_clear_all_leaves_no_word_of_a_note_in_the_file(tmp_path: Path) -> None:
    """Not in the search index's segments either, which deleting rows alone leaves in place."""
    store = open_store(tmp_path)
    assert store.full_text
    store.save_note("notebook", "Notebook", "ZEBRAMARKER confided words")
    store.clear_all()
    store.close()
    assert b"zebramarker" not in (tmp_path / DB_NAME).read_bytes().lower()


def test_a_backup_written_on_another_thread_while_notes_are_saved_is_whole(tmp_path: Path) -> None:
    import threading

    store = open_store(tmp_path)
    for n in range(200):
        store.save_note(f"duties/topic-{n}", f"Topic {n}", "text " * 200)
    pending = store.prepare_backup()
    assert pending is not None
    written: list[int | None] = []
    worker = threading.Thread(target=lambda: written.append(pending.write()))
    worker.start()
    for n in range(20):  # typing goes on while the copy is made
        store.save_note("notebook", "Notebook", f"edit {n}")
    worker.join()
    assert written[0] is not None
    backup = store.finish_backup(pending, written[0])
    assert backup is not None and backup in store.backups() and not list(store.backup_dir.glob("*.partial*"))
    with contextlib.closing(sqlite3.connect(backup)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT count(*) FROM notes WHERE key LIKE 'duties/%'").fetchone()[0] == 200
        held = copy.execute("SELECT body FROM notes WHERE key = 'notebook'").fetchone()
    assert store.note("notebook").body == "edit 19"  # type: ignore[union-attr]
    # The copy is recorded by what it holds: a next backup is due only if saves came after it.
    assert (store.prepare_backup() is None) == (held == ("edit 19",))


def test_a_backup_that_cannot_be_written_leaves_nothing_and_is_tried_again(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.save_note("notebook", "Notebook", "x")
    store.backup_dir.write_text("a file where the backups folder should be", encoding="utf-8")
    pending = store.prepare_backup()
    assert pending is not None and pending.write() is None
    assert store.finish_backup(pending, None) is None
    assert store.prepare_backup() is not None  # still due


def test_a_backup_that_saves_keep_restarting_gives_up_instead_of_running_for_ever(tmp_path: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import cma_desktop.store.notes_store as notes_store

    store = open_store(tmp_path)
    store.save_note("notebook", "Notebook", "text " * 5000)
    pending = store.prepare_backup()
    assert pending is not None
    real_connect = sqlite3.connect

    class RestartingSource:
        """A source whose copy is always set back, as constant saves from another connection do."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self._connection = real_connect(*args, **kwargs)

        def backup(self, target: sqlite3.Connection, *, progress: Any, **_: Any) -> None:
            for _ in range(100):
                progress(0, 10, 20)
                progress(5, 10, 20)  # busy: nothing copied, which is no restart
                progress(0, 10, 20)  # a step that copied pages left no fewer: started over

        def close(self) -> None:
            self._connection.close()

    monkeypatch.setattr(notes_store.sqlite3, "connect",
                        lambda target, *a, **k: RestartingSource(target, *a, **k) if "mode=ro" in str(target)
                        else real_connect(target, *a, **k))
    assert pending.write() is None
    assert list(store.backup_dir.glob("*")) == []  # no partial copy, nor its journal, left behind
    assert store.finish_backup(pending, None) is None and store.prepare_backup() is not None


def test_a_backup_is_called_off_at_once_when_asked(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.save_note("notebook", "Notebook", "text")
    pending = store.prepare_backup()
    assert pending is not None
    pending.cancel.set()  # closing the app, or clearing the data
    assert pending.write() is None and list(store.backup_dir.glob("*")) == []


def test_no_backup_when_it_would_leave_the_disk_short_of_room(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    store = open_store(tmp_path)
    store.save_note("notebook", "Notebook", "text")
    pending = store.prepare_backup()
    assert pending is not None
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: shutil._ntuple_diskusage(10**9, 10**9 - 10**6, 10**6))
    assert pending.write() is None and not list(store.backup_dir.glob("*.partial*"))
    assert pending.failure == ["the disk is nearly full"]  # for the notice that says why
    store.save_note("notebook", "Notebook", "the saves still have their room")


def test_a_small_disk_still_gets_backups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A USB stick or a small quota never had 64 MiB to spare, so no backup was ever made there."""
    import shutil

    store = open_store(tmp_path)
    store.save_note("notebook", "Notebook", "text")
    pending = store.prepare_backup()
    assert pending is not None
    size = store.path.stat().st_size
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: shutil._ntuple_diskusage(4 * 2**20, 2**20, 3 * 2**20))
    assert size * 1.2 + 4 * 2**20 // 10 < 3 * 2**20
    assert pending.write() is not None


def test_copies_a_crash_cut_short_are_removed_on_the_next_start(tmp_path: Path) -> None:
    store = make_backed_up_store(tmp_path)
    (store.backup_dir / "notes-000000000009-20261128-090000-000000.partial").write_bytes(b"x" * 4096)
    (store.backup_dir / "notes-000000000009-20261128-090000-000000.partial-journal").write_bytes(b"x" * 512)
    reopened = open_store(tmp_path)
    assert not list(reopened.backup_dir.glob("*.partial*")) and len(reopened.backups()) == 1


@pytest.mark.parametrize(("path", "uri"), [
    ("/home/ann/my notes?#%/notes.sqlite3", "file:/home/ann/my%20notes%3F%23%25/notes.sqlite3?mode=ro"),
    ("C:/Users/Ann Lee/notes.sqlite3", "file:///C:/Users/Ann%20Lee/notes.sqlite3?mode=ro"),
    ("//server/share/cma/notes.sqlite3", "file:////server/share/cma/notes.sqlite3?mode=ro"),
])
def test_read_only_uris_carry_any_path(path: str, uri: str) -> None:
    from cma_desktop.store.notes_store import sqlite_uri

    assert sqlite_uri(path) == uri


def test_a_store_in_a_folder_with_uri_characters_backs_up_and_opens_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "Ann's notes #2 (50% done)?"
    store = open_store(folder)
    store.save_note("notebook", "Notebook", "kept")
    assert store.backup_if_changed() is not None
    store.close()
    reader = NotesStore(folder, read_only=True)
    assert reader.note("notebook").body == "kept"  # type: ignore[union-attr]


def _leave_a_hot_journal(folder: Path) -> None:
    """A process that dies in the middle of a save, its change half written beside a journal."""
    child = (
        "import os, sys; from pathlib import Path; from cma_desktop.store.notes_store import NotesStore\n"
        "store = NotesStore(Path(sys.argv[1])); c = store._connection\n"
        "c.execute('PRAGMA cache_size=1'); c.execute('BEGIN IMMEDIATE')\n"
        "c.execute(\"UPDATE notes SET body = 'half-written ' || body\")\n"
        "for n in range(300): c.execute(\"INSERT INTO note_versions (key, title, body, updated_at, kept_at, reason) "
        "VALUES ('k', 't', ?, 'a', 'b', 'c')\", ('y' * 4000,))\n"
        "os._exit(9)\n"
    )
    subprocess.run([sys.executable, "-c", child, str(folder)], cwd=REPO_ROOT, check=False, timeout=60)
    assert (folder / f"{DB_NAME}-journal").exists()


def test_reading_only_after_a_crash_shows_the_notes_as_last_saved(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    for number in range(20):
        store.save_note(f"duties/topic-{number}", "Topic", f"saved note {number} " * 50)
    store.close()
    _leave_a_hot_journal(tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    reader = NotesStore(tmp_path, read_only=True)
    assert len(reader.notes()) == 20 and reader.note("duties/topic-3").body.startswith("saved note 3")  # type: ignore[union-attr]
    reader.close()
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before  # the journal is the writer's to roll back


def test_reading_only_a_damaged_file_is_an_error_not_an_empty_store(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="damaged"):
        NotesStore(tmp_path, read_only=True)
    assert NotesStore(tmp_path / "new", read_only=True).notes() == []  # no file yet: nothing saved, nothing wrong


def test_clear_all_leaves_no_text_in_an_index_this_build_cannot_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file was written where SQLite has FTS5 and is cleared where it has not (another Python)."""
    store = open_store(tmp_path)
    store.save_note("duties/vital-signs", "Vital signs", "secret zyxwvutsrq diagnosis")
    store.close()
    with monkeypatch.context() as without_fts5:
        without_fts5.setattr("cma_desktop.store.notes_store.fts5_available", lambda _connection: False)
        cleared = open_store(tmp_path)
        assert not cleared.full_text
        cleared.clear_all()
        cleared.close()
    assert b"zyxwvutsrq" not in (tmp_path / DB_NAME).read_bytes()
    again = open_store(tmp_path)  # back where FTS5 is: the index works and finds only new notes
    assert again.full_text
    again.save_note("faq/pay", "Pay", "zyxwvutsrq again")
    assert [n.key for n in again.search_full_text("zyxwvutsrq")] == ["faq/pay"]


def test_backups_made_after_the_clock_was_set_back_are_the_newest(tmp_path: Path) -> None:
    clock = TickingClock()
    store = NotesStore(tmp_path, clock=clock)
    for number in range(BACKUPS_KEPT):
        store.save_note("notebook", "Notebook", f"version {number}")
        assert store.backup_if_changed() is not None
    clock.now = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)  # the computer's clock was reset
    store.save_note("notebook", "Notebook", "months of new work")
    newest = store.backup_if_changed()
    assert newest is not None and newest.exists() and store.backups()[0] == newest
    assert len(store.backups()) == BACKUPS_KEPT
    store.close()
    (tmp_path / DB_NAME).write_bytes(b"damaged beyond repair " * 100)
    recovered = NotesStore(tmp_path, clock=clock)
    assert recovered.recovery is not None and recovered.recovery.restored_from == newest
    assert recovered.note("notebook").body == "months of new work"  # type: ignore[union-attr]


def test_backups_named_by_date_alone_still_count_as_older(tmp_path: Path) -> None:
    store = make_backed_up_store(tmp_path)
    store.backup_dir.joinpath("notes-20991231-235959-000000.sqlite3").write_bytes(store.backups()[0].read_bytes())
    again = open_store(tmp_path)
    again.save_note("notebook", "Notebook", "newer")
    newest = again.backup_if_changed()
    assert again.backups()[0] == newest and again.backups()[-1].name == "notes-20991231-235959-000000.sqlite3"


def test_a_data_folder_that_cannot_be_used_is_a_store_error(tmp_path: Path) -> None:
    """A name longer than the file system allows, or a folder another user owns: a message, never a traceback."""
    with pytest.raises(StoreError, match="cannot be used"):
        NotesStore(tmp_path / ("a" * 300))
    with pytest.raises(StoreError, match="cannot be used"):
        NotesStore(tmp_path / ("a" * 300), read_only=True)


def test_an_older_notes_file_coming_back_does_not_make_its_new_backups_the_oldest(tmp_path: Path) -> None:
    """A roaming profile or a USB stick brings back a notes file with fewer changes than its backups."""
    store = open_store(tmp_path)
    store.save_note("notebook", "Notebook", "version 1")
    store.close()
    older = (tmp_path / DB_NAME).read_bytes()
    store = open_store(tmp_path)
    for number in range(BACKUPS_KEPT + 2):
        store.save_note("notebook", "Notebook", f"version {number + 2}")
        assert store.backup_if_changed() is not None
    store.close()
    (tmp_path / DB_NAME).write_bytes(older)
    back = open_store(tmp_path)
    back.save_note("notebook", "Notebook", "written today, after the old file came back")
    newest = back.backup_if_changed()
    assert newest is not None and newest.exists() and back.backups()[0] == newest


def test_reading_only_while_another_program_saves_says_to_try_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A busy file is not copied mid-save (the copy could look damaged): the reader is told to wait."""
    store = open_store(tmp_path)
    store.save_note("notebook", "Notebook", "kept")
    store.close()
    writer = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")  # another program in the middle of a save
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: _connect_quickly(*a, **k))
    try:
        with pytest.raises(StoreError, match="try again in a moment"):
            NotesStore(tmp_path, read_only=True)
    finally:
        writer.execute("ROLLBACK")
        writer.close()


_real_connect = sqlite3.connect


def _connect_quickly(*args: Any, **kwargs: Any) -> sqlite3.Connection:
    kwargs["timeout"] = 0.1  # not the default five seconds of waiting for the lock
    return _real_connect(*args, **kwargs)
