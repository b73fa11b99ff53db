"""Where the keyboard goes when a tab or page is shown."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar, cast

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFocusEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStackedWidget

# Why the app moves focus itself after a key or a button (next card, answer checked, result
# opened). Qt shows the focus ring only after focus moves by Tab or a shortcut; any other reason
# hides it, and a keyboard user would lose track of where they are.
FOCUS_MOVED_FOR_USER = Qt.FocusReason.ShortcutFocusReason
FOCUS_RING_WIDTH = 2


def focus_first_control(container: QWidget, reason: Qt.FocusReason) -> bool:
    """Focuses the first visible, enabled control in container that Tab can reach; False when none."""
    for widget in container.findChildren(QWidget):
        if widget.isVisible() and widget.isEnabled() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            widget.setFocus(reason)
            return True
    return False


def switch_page(stack: QStackedWidget, index: int) -> None:
    """Shows a stack's page for the caller to give the keyboard to. Qt would hand the keyboard,
    when it is on the page being left, to the next widget along the focus chain as that page
    hides (a screen reader speaks it: the Study sections' tab bar); it is let go of instead."""
    focused, leaving = QApplication.focusWidget(), stack.currentWidget()
    if focused is not None and leaving is not None and leaving.isAncestorOf(focused):
        focused.clearFocus()
    stack.setCurrentIndex(index)


def focus_tab_start(tab: QWidget, reason: Qt.FocusReason) -> None:
    """A tab's own starting place (its list, its page) when it has one, else the tab itself."""
    start = getattr(tab, "focus_start", None)
    if start is not None:
        start(reason)
    elif not focus_first_control(tab, reason):
        tab.setFocus(reason)


def give_keyboard_focus(widget: QWidget) -> None:
    """Focus moved by the app after a key or a click, its ring left as the user had it: shown for
    a keyboard user, not brought up by a mouse click."""
    window = widget.window()
    had_ring = window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
    widget.setFocus(FOCUS_MOVED_FOR_USER)
    window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, had_ring)
    widget.update()


def note_keyboard_use(widget: QWidget) -> None:
    """A key acts on the page: whatever focus moves follow, a keyboard user's ring shows (moving
    between sections with Ctrl+Tab, say, may have hidden it)."""
    widget.window().setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, True)


_Action = TypeVar("_Action", bound=Callable[..., Any])


def keeps_focus_ring(action: _Action) -> _Action:
    """For a widget's method that switches pages and then moves the focus: Qt's own focus moves
    in between hide the ring, so it is put back if the user had it when the action began."""

    @functools.wraps(action)
    def kept(self: QWidget, *args: Any, **kwargs: Any) -> Any:
        window = self.window()
        had_ring = window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
        try:
            return action(self, *args, **kwargs)
        finally:
            if had_ring:
                _show_ring(window)

    return cast(_Action, kept)


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


def paint_focus_ring(widget: QWidget, surface: QWidget | None = None) -> None:
    """A ring in the highlight colour round a widget that takes the keyboard but has no ring of its
    own (a card, a page, a text view), while a keyboard user has it; drawn on surface (a scroll
    area's viewport, which paints the area's contents) or the widget itself."""
    if not (widget.hasFocus() and widget.window().testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)):
        return
    surface = surface or widget
    painter = QPainter(surface)
    painter.setPen(QPen(widget.palette().color(QPalette.ColorRole.Highlight), FOCUS_RING_WIDTH))
    inset = FOCUS_RING_WIDTH // 2
    painter.drawRect(surface.rect().adjusted(inset, inset, -inset - 1, -inset - 1))


if TYPE_CHECKING:
    _RingBase = QWidget
else:  # a plain mixin at run time: PySide cannot mix two Qt widget classes
    _RingBase = object


class FocusRingMixin(_RingBase):
    """For a widget that takes the keyboard but draws no focus ring of its own (a card, a page):
    it shows one while a keyboard user has it. Put it before the Qt class it is mixed into."""

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        paint_focus_ring(self)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()


class FocusRingPage(FocusRingMixin, QWidget):
    """A page that itself takes the keyboard (its keys act on it, a screen reader reads its name
    and description), with a ring that shows it has it."""
