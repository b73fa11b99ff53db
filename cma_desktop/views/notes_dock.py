"""The ``My notes`` dock: the note for the current topic, a notebook, all notes, and bookmarks."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QMimeData, QModelIndex, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent, QStandardItem, QStandardItemModel, QTextOption
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cma_desktop.content.model import Content
from cma_desktop.content.render import note_heading
from cma_desktop.store.notes_store import NOTEBOOK_KEY, NotesStore, StoreError
from cma_desktop.store.transfer import MAX_BODY_CHARS
from cma_desktop.views.notes_model import KeyRole, NotesListModel
from cma_desktop.views.announce import announce
from cma_desktop.views.focus import focus_ring_kept, give_keyboard_focus

AUTOSAVE_DELAY_MS = 1000  # at most about a second of typing is ever at risk, however long the typing goes on
AUTOSAVE_RETRY_MS = 10_000  # after a failed save (a full disk): tried again until it works
# Text with no space to wrap at, long enough to stall wrapping by words. Anchored at a run's start:
# else the search starts again at every character, which over runs just shorter took seconds.
_LONG_RUN = re.compile(r"(?<!\S)\S{5000}")


def describe_note(content: Content, key: str, stored_title: str) -> str:
    """A note's title in lists, marked when its topic has left the content."""
    title, present = note_heading(content, key, stored_title, QCoreApplication.translate("NotesDock", "Notebook"))
    return title if present else f"{title} {QCoreApplication.translate('NotesDock', '(no longer in the content)')}"


class _BookmarkList(QListView):
    """Delete or Backspace removes the selected bookmark."""

    removeRequested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.removeRequested.emit()
            return
        super().keyPressEvent(event)


class _NoteEditor(QPlainTextEdit):
    """The note editor, which takes no paste or drop that would make a note longer than an export
    can carry: such a note could be kept but never moved to another computer."""

    refused = Signal(str)  # why a paste or drop was not taken

    def insertFromMimeData(self, source: QMimeData) -> None:
        length = self.document().characterCount() - 1  # the count includes the closing paragraph mark
        if length - len(self.textCursor().selectedText()) + len(source.text()) > MAX_BODY_CHARS:
            self.refused.emit(self.tr("Not added: a note holds at most %1 characters, and this would make it "
                                      "longer. Split the text over several notes.").replace("%1", f"{MAX_BODY_CHARS:,}"))
            return
        super().insertFromMimeData(source)


class NotesDock(QDockWidget):
    openRequested = Signal(str)  # kind/id of a topic the user wants to see
    bookmarksChanged = Signal()
    noteSaved = Signal(object)  # the Note just written

    def __init__(self, store: NotesStore, content: Content, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("My notes"), parent)
        self.setObjectName("notes-dock")
        self.setAccessibleName(self.tr("My notes"))
        self.store = store
        self.content = content
        self.key = ""  # no note yet: the show_note at the end of construction loads the Notebook
        self.title = ""
        self._dirty = False

        page = QWidget(self)
        self.topic_label = QLabel(page)
        self.topic_label.setTextFormat(Qt.TextFormat.PlainText)
        self.topic_label.setWordWrap(True)
        self.notebook_button = QPushButton(self.tr("Notebook"), page)
        self.notebook_button.setToolTip(self.tr("Your general notes, tied to no topic"))
        self.notebook_button.clicked.connect(lambda: self.show_note(NOTEBOOK_KEY, self.tr("Notebook")))
        header = QHBoxLayout()
        header.addWidget(self.topic_label, 1)
        header.addWidget(self.notebook_button)

        self.editor = _NoteEditor(page)
        self.editor.setAccessibleName(self.tr("Note for this topic"))
        self.editor.setPlaceholderText(self.tr("Write a note for this topic. Plain text or Markdown; it saves itself."))
        self.editor.setTabChangesFocus(True)
        self.editor.textChanged.connect(self._text_changed)
        self.editor.refused.connect(self._paste_refused)
        self.status_label = QLabel(page)
        self.status_label.setAccessibleName(self.tr("Note status"))
        self.versions_button = QPushButton(page)
        self.versions_button.clicked.connect(self.show_versions)
        self.versions_button.hide()

        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.timeout.connect(self.flush)

        # Made before the lists it holds, so Tab reaches its tabs first, then the list shown.
        self.lists = QTabWidget(page)
        self.notes_model = NotesListModel(store, self.describe_with_state, self)
        self.notes_list = QListView(page)
        self.notes_list.setAccessibleName(self.tr("All notes"))
        self.notes_list.setModel(self.notes_model)
        # Rows of one height, elided not wrapped: with 100,000 notes the view never measures every row.
        self.notes_list.setUniformItemSizes(True)
        self.notes_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.notes_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.notes_list.setAlternatingRowColors(True)
        self.notes_list.setSpacing(2)
        self.notes_list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.notes_list.activated.connect(self._note_activated)

        self.bookmarks_model = QStandardItemModel(self)
        self.bookmarks_list = _BookmarkList(page)
        self.bookmarks_list.setAccessibleName(self.tr("Bookmarks"))
        self.bookmarks_list.setModel(self.bookmarks_model)
        self.bookmarks_list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        # Wrapped, not cut off or scrolled sideways: a title and its tab are what tells bookmarks apart.
        self.bookmarks_list.setWordWrap(True)
        self.bookmarks_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.bookmarks_list.activated.connect(self._bookmark_activated)
        self.bookmarks_list.removeRequested.connect(self.remove_selected_bookmark)
        self.remove_button = QPushButton(self.tr("Remove bookmark"), page)
        self.remove_button.clicked.connect(self.remove_selected_bookmark)
        bookmarks_page = QWidget(page)
        bookmarks_layout = QVBoxLayout(bookmarks_page)
        bookmarks_layout.setContentsMargins(0, 0, 0, 0)
        bookmarks_layout.addWidget(self.bookmarks_list)
        bookmarks_layout.addWidget(self.remove_button)

        self.lists.addTab(self.notes_list, self.tr("All notes"))
        self.lists.addTab(bookmarks_page, self.tr("Bookmarks"))

        editor_box = QWidget(page)
        editor_layout = QVBoxLayout(editor_box)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addLayout(header)
        editor_layout.addWidget(self.editor, 1)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_label, 1)
        status_row.addWidget(self.versions_button)
        editor_layout.addLayout(status_row)
        splitter = QSplitter(Qt.Orientation.Vertical, page)
        splitter.addWidget(editor_box)
        splitter.addWidget(self.lists)
        layout = QVBoxLayout(page)
        layout.addWidget(splitter)
        self.setWidget(page)

        if store.read_only:
            self.editor.setReadOnly(True)
            self.remove_button.setEnabled(False)
        self._lists_loaded = False
        self.show_note(NOTEBOOK_KEY, self.tr("Notebook"))

    def showEvent(self, event: QShowEvent) -> None:
        """The lists load when the dock is first shown: thousands of notes never slow start-up."""
        if not self._lists_loaded:
            self._lists_loaded = True
            self.refresh_lists()
        super().showEvent(event)

    # -- the editor --------------------------------------------------------------------
    def show_note(self, key: str, title: str) -> bool:
        """Switches the editor to key's note, saving the one being left first. When that save
        fails the editor keeps its text and stays on its note (False): typing is never dropped."""
        if key == self.key and self.title == title:
            return True
        if not self.flush():
            return False
        self.key, self.title = key, title
        note = self.store.note(key)
        body = note.body if note else ""
        # Qt looks for word boundaries along a whole line to wrap it: across a very long run with no
        # space (pasted data, an import) that takes seconds to minutes. Such a note wraps anywhere.
        with QSignalBlocker(self.editor):
            self.editor.clear()  # first: the note being left is not wrapped again in the new way
            self.editor.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere if _LONG_RUN.search(body)
                                        else QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
            self.editor.setPlainText(body)
        self._show_title()
        self._update_versions_button()
        self._set_status(self.tr("Read-only") if self.store.read_only else (self.tr("Saved") if note else ""))
        return True

    def _show_title(self) -> None:
        self.topic_label.setText(self.tr("Note for: %1").replace("%1", self.title))
        self.editor.setAccessibleDescription(self.topic_label.text())  # which note the editor holds
        # The editor keeps its one accessible name (DESIGN.md); its description says which note it is.
        self.editor.setPlaceholderText(
            self.tr("Write general notes here, tied to no topic. Plain text or Markdown; it saves itself.")
            if self.key == NOTEBOOK_KEY else self.tr("Write a note for this topic. Plain text or Markdown; it saves itself."))

    def _update_versions_button(self) -> None:
        count = len(self.store.note_versions(self.key)) if self.key else 0
        self.versions_button.setVisible(count > 0)
        self.versions_button.setText(self.tr("Earlier versions (%1)").replace("%1", str(count)))
        self.versions_button.setAccessibleName(self.versions_button.text())

    def show_versions(self) -> None:
        from cma_desktop.views.versions_dialog import VersionsDialog

        with focus_ring_kept(self):
            VersionsDialog(self.title, self.store.note_versions(self.key), self).exec()

    def _text_changed(self) -> None:
        if self.store.read_only:
            return
        self._dirty = True
        self._set_status(self.tr("Unsaved changes"))
        if not self.autosave.isActive():  # counted from the first unsaved change: steady typing never puts the save off
            self.autosave.start(AUTOSAVE_DELAY_MS)

    def _paste_refused(self, why: str) -> None:
        self._set_status(why)
        announce(self.editor, why)

    def flush(self) -> bool:
        """Saves pending typing now; False (with the reason shown) when it could not be saved."""
        self.autosave.stop()
        if not self._dirty:
            return True
        try:
            saved = self.store.save_note(self.key, self.title, self.editor.toPlainText())
        except StoreError as error:
            self._set_status(self.tr("Not saved: %1").replace("%1", str(error)))
            self.autosave.start(AUTOSAVE_RETRY_MS)  # saved by itself once there is room again
            return False
        self._dirty = False
        self._set_status(self.tr("Saved"))
        if self._lists_loaded:
            self.notes_model.note_saved(saved)
        self.noteSaved.emit(saved)
        return True

    def _set_status(self, text: str) -> None:
        self.status_label.setText(text)

    # -- the lists ---------------------------------------------------------------------
    def reload(self) -> None:
        """After the store changed underneath (import, clear my data): lists and the open note
        again. Callers flush first and do not get here when that failed."""
        current = self.key, self.title
        self._dirty = False
        self.key = ""
        self.show_note(*current)
        if self._lists_loaded:
            self.refresh_lists()

    def refresh_lists(self) -> None:
        self.refresh_notes()
        self.refresh_bookmarks()

    def describe_with_state(self, key: str, stored_title: str) -> str:
        return describe_note(self.content, key, stored_title)

    def refresh_notes(self) -> None:
        self.notes_model.reset()

    def refresh_bookmarks(self) -> None:
        self.bookmarks_model.clear()
        for bookmark in self.store.bookmarks():
            row = QStandardItem(self.describe_with_state(bookmark.key, bookmark.title))
            row.setData(bookmark.key, KeyRole)
            self.bookmarks_model.appendRow(row)

    def _note_activated(self, index: QModelIndex) -> None:
        key = str(index.data(KeyRole))
        note = self.store.note(key)
        if key == NOTEBOOK_KEY or self.content.find(key) is None:
            # The notebook, and notes whose topic left the content, open right here.
            self.show_note(key, note.title if note else self.tr("Notebook"))
            give_keyboard_focus(self.editor)
        else:
            self.openRequested.emit(key)

    def _bookmark_activated(self, index: QModelIndex) -> None:
        self.openRequested.emit(str(index.data(KeyRole)))

    def remove_selected_bookmark(self) -> None:
        index = self.bookmarks_list.currentIndex()
        if not index.isValid():
            return
        title, row = str(index.data(Qt.ItemDataRole.DisplayRole)), index.row()
        removed = self._guarded(lambda: self.store.set_bookmark(str(index.data(KeyRole)), "", False))
        self.refresh_bookmarks()
        self.bookmarksChanged.emit()  # (the window refreshes the list again)
        if self.bookmarks_model.rowCount():  # the next one is selected, so Delete goes on working
            self.bookmarks_list.setCurrentIndex(self.bookmarks_model.index(min(row, self.bookmarks_model.rowCount() - 1), 0))
        if removed:  # the row just vanishes; a screen reader is told why
            announce(self.bookmarks_list, self.tr("Bookmark removed: %1").replace("%1", title))

    def _guarded(self, action: Callable[[], None]) -> bool:
        try:
            action()
        except StoreError as error:
            self._set_status(str(error))
            return False
        return True
