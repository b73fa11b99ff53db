"""Earlier versions kept for a note (the other side of an import), to read and copy from."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QPlainTextEdit, QSplitter, QVBoxLayout, QWidget

from cma_desktop.store.notes_store import Note
from cma_desktop.views.announce import announce
from cma_desktop.views.notes_model import local_time


class VersionsDialog(QDialog):
    def __init__(self, title: str, versions: list[tuple[Note, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Earlier versions of your note"))
        self.resize(720, 480)
        self.versions = versions
        heading = QLabel(self.tr("Kept for “%1”. Your current note is unchanged; copy what you need.").replace("%1", title), self)
        heading.setTextFormat(Qt.TextFormat.PlainText)  # the title comes from content or an imported file
        heading.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Earlier versions"))
        self.list.setWordWrap(True)  # "older imported note" and the like read in full
        for version, reason in versions:
            self.list.addItem(f"{local_time(version.updated_at)} · {reason}")
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setAccessibleName(self.tr("Earlier version text"))
        self.list.currentRowChanged.connect(self._show_version)
        splitter = QSplitter(self)
        splitter.addWidget(self.list)
        splitter.addWidget(self.text)
        splitter.setStretchFactor(1, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = buttons.addButton(self.tr("Copy this version"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy_version)
        buttons.rejected.connect(self.reject)
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Copy status"))
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        if versions:
            self.list.setCurrentRow(0)

    def _show_version(self, row: int) -> None:
        self.text.setPlainText(self.versions[row][0].body if row >= 0 else "")
        self.status.setText("")  # "copied" was about the version shown before

    def copy_version(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
        self.status.setText(self.tr("Copied to the clipboard: paste it into your note or anywhere else."))
        announce(self.status, self.status.text())
