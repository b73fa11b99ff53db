"""Tells screen readers about text that changed where the keyboard is not (answers, feedback, scores)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


ANNOUNCE_PAUSE_MS = 700  # what typing changes (a count of results) is spoken once it pauses, not at every key


def announce(widget: QWidget, text: str) -> None:
    """Has an active screen reader speak text, as from widget; nothing happens without one."""
    # Imported here: PySide builds QAccessible's many enums on import (~2.5 ms), and nothing at
    # start-up is announced.
    from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

    if text and QAccessible.isActive():
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(widget, text))
