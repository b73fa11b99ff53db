"""Regular backups of the notes store, written on a worker thread so that typing never stalls."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer, Signal

from cma_desktop.store.notes_store import NotesStore, PendingBackup

_RETRY_MS = 60 * 1000  # a backup that did not get written is tried again sooner than the next round
FAILURES_TOLD = 3  # failed backups in a row (a few minutes of retries) before the user is told


class BackgroundBackups(QObject):
    """Every interval, a backup when the data changed; a large store takes a tenth of a second or
    more to copy, which on the UI thread would freeze the note editor mid-word.

    The store's own connection stays on the UI thread: the worker only copies the file through a
    connection of its own, and the bookkeeping afterwards happens back here.
    """

    _copied = Signal(object, object)  # from the worker: the backup, the change count it holds (or None)
    damageFound = Signal()  # a copy failed its check: the notes file on disk is damaged
    failing = Signal(str)  # backups have failed FAILURES_TOLD times in a row, and why; "" once one is written again

    def __init__(self, store: NotesStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._worker: threading.Thread | None = None
        self._pending: PendingBackup | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.start)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.start)
        self._copied.connect(self._finish)
        self._failures = 0  # backups in a row that the computer kept from being written
        # A copy found the notes file damaged: every later copy would be thrown away too (after
        # copying the whole file), so none is made until the next start recovers the file.
        self.damage_found = False

    def start_every(self, interval_ms: int) -> None:
        self._timer.start(interval_ms)

    @property
    def running(self) -> bool:
        return self._pending is not None

    def start(self) -> bool:
        """Starts a backup if the data changed and none is being written; True when one started."""
        if self.running or self.damage_found:
            return False
        pending = self._store.prepare_backup()
        if pending is None:
            return False
        self._pending = pending
        self._worker = threading.Thread(target=lambda: self._copied.emit(pending, pending.write()),
                                        name="notes-backup", daemon=True)
        self._worker.start()
        return True

    def _finish(self, backup: PendingBackup, copied_changes: int | None) -> None:
        if backup is not self._pending:
            return  # a copy wait() already dealt with
        self._pending = self._worker = None
        if backup.damage_found.is_set():
            self.damage_found = True
            self._timer.stop()
            self._retry.stop()
            self.damageFound.emit()
        if copied_changes is not None:
            if self._failures >= FAILURES_TOLD:
                self.failing.emit("")  # written again: the notice can go
            self._failures = 0
        elif backup.failure:  # the computer's doing, not a copy called off or overtaken by saves
            self._failures += 1
            if self._failures == FAILURES_TOLD:  # told once, not at every retry
                self.failing.emit(backup.failure[-1])
        if self._store.finish_backup(backup, copied_changes) is None and self._timer.isActive():
            self._retry.start(_RETRY_MS)  # saves kept interrupting it, or the disk is short of room

    def wait(self) -> None:
        """Calls off a copy in progress, before the store is closed, cleared or wiped: a copy
        landing after "Clear my data" would keep what the user asked to remove."""
        self._timer.stop()
        self._retry.stop()
        if self._pending is not None and self._worker is not None:
            self._pending.cancel.set()
            self._worker.join()
            self._finish(self._pending, None)

    def resume(self, file_rewritten: bool = False) -> None:
        """Takes up the regular backups again after wait() (a cleared store goes on being used).
        Once the file was rewritten whole, damage found before is checked for afresh."""
        if file_rewritten:
            self.damage_found = False
        if self._timer.interval() > 0 and not self._timer.isActive():
            self._timer.start()
