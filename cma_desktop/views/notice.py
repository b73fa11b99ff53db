"""Lasting notices above the tabs: a guest session, a damaged notes file, backups that fail."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from cma_desktop.views.announce import announce

_READABLE = 4.5  # WCAG contrast for text of normal size


def _luminance(color: QColor) -> float:
    channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
                for c in (color.redF(), color.greenF(), color.blueF())]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast(first: QColor, second: QColor) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


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
