"""Regular backups of the notes store, written on a worker thread so that typing never stalls."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer, Signal

from cma_desktop.store.notes_store import NotesStore, PendingBackup

_RETRY_MS = 60 * 1000  # a backup that did not get written is tried again sooner than the next round


class BackgroundBackups(QObject):
    """Every interval, a backup when the data changed; a large store takes a tenth of a second or
    more to copy, which on the UI thread would freeze the note editor mid-word.

    The store's own connection stays on the UI thread: the worker only copies the file through a
    connection of its own, and the bookkeeping afterwards happens back here.
    """

    _written = Signal()  # from the worker; delivered on the UI thread

    def __init__(self, store: NotesStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._worker: threading.Thread | None = None
        self._pending: PendingBackup | None = None
        self._result = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.start)
        self._written.connect(self._finish)

    def start_every(self, interval_ms: int) -> None:
        self._timer.start(interval_ms)

    @property
    def running(self) -> bool:
        return self._pending is not None

    def start(self) -> bool:
        """Starts a backup if the data changed and none is being written; True when one started."""
        if self.running:
            return False
        pending = self._store.prepare_backup()
        if pending is None:
            return False
        self._pending = pending
        self._worker = threading.Thread(target=self._write, args=(pending,), name="notes-backup", daemon=True)
        self._worker.start()
        return True

    def _write(self, pending: PendingBackup) -> None:
        self._result = pending.write()
        self._written.emit()

    def _finish(self) -> None:
        """Runs once the copy is written (its result is set before the signal is sent)."""
        if self._pending is None:
            return  # already finished by wait()
        pending, self._pending, self._worker = self._pending, None, None
        if self._store.finish_backup(pending, self._result) is None and self._timer.isActive():
            QTimer.singleShot(_RETRY_MS, self, self.start)  # saves kept interrupting it, or the disk failed

    def wait(self) -> None:
        """Lets a backup being written land before the store is closed, cleared or wiped: a copy
        finishing after "Clear my data" would keep what the user asked to remove."""
        self._timer.stop()
        if self._worker is not None:
            self._worker.join()
        self._finish()

    def resume(self) -> None:
        """Takes up the regular backups again after wait() (a cleared store goes on being used)."""
        if self._timer.interval() > 0 and not self._timer.isActive():
            self._timer.start()
