"""Message boxes whose text is always shown as written."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from cma_desktop.views.focus import focus_ring_kept

_OK = QMessageBox.StandardButton.Ok
_NO_BUTTON = QMessageBox.StandardButton.NoButton


def show_message(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
                 buttons: QMessageBox.StandardButton = _OK,
                 default: QMessageBox.StandardButton = _NO_BUTTON) -> QMessageBox.StandardButton:
    """Shows a modal message and returns the button pressed. Messages quote file names, imported
    files and error texts, which Qt's own helpers (QMessageBox.warning and the like) would render as
    HTML whenever they look like it: here the text is always plain."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if default != _NO_BUTTON:
        box.setDefaultButton(default)
    with focus_ring_kept(parent):
        return QMessageBox.StandardButton(box.exec())
