"""A list model over the user's notes, newest first, updated one row at a time as notes are saved."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from cma_desktop.store.notes_store import Note, NotesStore
from cma_desktop.views.markdown_view import plain_tooltip

KeyRole = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex


def local_time(stamp: str, shown_as: str = "%d %b %Y, %H:%M") -> str:
    """A stored UTC time as the user's clock showed it."""
    try:
        moment = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone().strftime(shown_as)


def _when(stamp: str) -> str:
    return local_time(stamp, "%Y-%m-%d %H:%M")  # short, for a list; local, as every time the app shows


PAGE_SIZE = 300


class NotesListModel(QAbstractListModel):
    """Rows show the topic, when the note last changed and its first line.

    Notes are fetched a page at a time as the list scrolls, so a store with 100,000 notes costs
    no more to show or to update than one with a few hundred.
    """

    def __init__(self, store: NotesStore, describe: Callable[[str, str], str], parent: Any = None) -> None:
        super().__init__(parent)
        self._store = store
        self._describe = describe  # (key, stored title) -> the title to show
        self._notes: list[Note] = []
        self._rows: dict[str, int] = {}
        self._more = True

    def reset(self) -> None:
        notes = self._store.note_summaries(limit=PAGE_SIZE)  # first: a read that fails must not leave a reset half done
        self.beginResetModel()
        self._notes = notes
        self._rows = {note.key: row for row, note in enumerate(self._notes)}
        self._more = len(self._notes) == PAGE_SIZE
        self.endResetModel()

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008 - Qt's default
        return not parent.isValid() and self._more

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008 - Qt's default
        if parent.isValid() or not self._notes:
            return
        page = [n for n in self._store.note_summaries(after=self._notes[-1], limit=PAGE_SIZE) if n.key not in self._rows]
        self._more = len(page) > 0
        if page:
            first = len(self._notes)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._notes.extend(page)
            self._rows.update({note.key: first + offset for offset, note in enumerate(page)})
            self.endInsertRows()

    def note_saved(self, note: Note) -> None:
        """Moves the saved note to the top (or adds it, or drops it when emptied), touching one row."""
        row = self._rows.get(note.key)
        if row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._notes[row]
            self.endRemoveRows()
        if note.body.strip():
            self.beginInsertRows(QModelIndex(), 0, 0)
            self._notes.insert(0, note)
            self.endInsertRows()
        if row != 0 or not note.body.strip():
            self._rows = {n.key: r for r, n in enumerate(self._notes)}

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._notes)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._notes):
            return None
        note = self._notes[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{self._describe(note.key, note.title)}\n{_when(note.updated_at)} · {note.first_line[:80]}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(note.first_line)
        if role == KeyRole:
            return note.key
        if role == Qt.ItemDataRole.SizeHintRole:
            # Two lines, and no width of their own: long titles are elided to the list's width.
            return QSize(1, QFontMetrics(QApplication.font()).lineSpacing() * 2 + 6)
        return None
