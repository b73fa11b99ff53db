"""Where the keyboard goes when a tab or page is shown."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QWidget

# Why the app moves focus itself after a key or a button (next card, answer checked, result
# opened). Qt shows the focus ring only after focus moves by Tab or a shortcut; any other reason
# hides it, and a keyboard user would lose track of where they are.
FOCUS_MOVED_FOR_USER = Qt.FocusReason.ShortcutFocusReason


def focus_first_control(container: QWidget, reason: Qt.FocusReason) -> bool:
    """Focuses the first visible, enabled control in container that Tab can reach; False when none."""
    for widget in container.findChildren(QWidget):
        if widget.isVisible() and widget.isEnabled() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            widget.setFocus(reason)
            return True
    return False


def focus_tab_start(tab: QWidget, reason: Qt.FocusReason) -> None:
    """A tab's own starting place (its list, its page) when it has one, else the tab itself."""
    start = getattr(tab, "focus_start", None)
    if start is not None:
        start(reason)
    elif not focus_first_control(tab, reason):
        tab.setFocus(reason)


def give_keyboard_focus(widget: QWidget) -> None:
    """Focus for a keyboard user, ring drawn, even when the widget has it already: a page or tab
    switch often moves focus first, for a reason that hides the ring."""
    widget.setFocus(FOCUS_MOVED_FOR_USER)
    window = widget.window()
    if not window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange):
        window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, True)
        widget.update()


class _RingOnActivation(QObject):
    """Draws the focus ring again when the window is next activated (after a dialog, the window
    manager activates it only once the dialog has gone), then leaves."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowActivate and isinstance(watched, QWidget):
            _show_ring(watched)
            watched.removeEventFilter(self)
            self.deleteLater()
        return False


def _show_ring(window: QWidget) -> None:
    window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, True)
    focused = window.focusWidget()
    if focused is not None:
        focused.update()


@contextlib.contextmanager
def focus_ring_kept(widget: QWidget | None) -> Iterator[None]:
    """Around a dialog: when it closes, focus comes back for a reason that hides the ring; a
    keyboard user who had it gets it back."""
    window = widget.window() if widget is not None else None
    had_ring = window is not None and window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
    try:
        yield
    finally:
        if window is not None and had_ring:
            _show_ring(window)  # already active again (offscreen, some window managers)
            window.installEventFilter(_RingOnActivation(window))  # or once it is
