"""Lasting notices above the tabs: a guest session, a damaged notes file, backups that fail."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from cma_desktop.views.announce import announce
from cma_desktop.views.colors import contrast

_READABLE = 4.5  # WCAG contrast for text of normal size


class Notice(QLabel):
    """Plain text in the highlight colours, the background made darker (or lighter) where needed
    for the text to read at 4.5:1: Fusion's light highlight under white text gives 3.7:1. Its text
    is its accessible description too: the name says what kind of notice it is, and a screen reader
    can read the text again at any time, not only when it is announced."""

    def __init__(self, name: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setAccessibleName(name)
        self.setForegroundRole(QPalette.ColorRole.HighlightedText)
        self.setMargin(self.fontMetrics().height() // 2)
        self.setText(text)

    def setText(self, text: str) -> None:  # type: ignore[override]
        super().setText(text)
        self.setAccessibleDescription(text)

    def tell(self) -> None:
        """Shows the notice and says it: a screen reader's user may be anywhere in the window."""
        self.show()
        announce(self, self.text())

    def background(self) -> QColor:
        text = self.palette().color(QPalette.ColorRole.HighlightedText)
        color = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        light_text = text.lightness() >= 128
        for _ in range(20):
            if contrast(text, color) >= _READABLE:
                break
            color = color.darker(110) if light_text else color.lighter(110)
        return color

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.background())
        painter.end()
        super().paintEvent(event)
