"""Rows as a reader sees them: a topic list's titles are drawn whole in the height their row is
given, at any text size."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QPointF
from PySide6.QtGui import QFont, QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleFactory

from cma_desktop.views.topic_model import KeyRole


def _wrapped_height(text: str, font: QFont, width: int) -> int:
    """The height of the text wrapped between words at this width, laid out as Qt's item views do."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    height = 0.0
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        line.setPosition(QPointF(0, height))
        height += line.height()
    layout.endLayout()
    return math.ceil(height)


class _RecordingStyle(QProxyStyle):
    """The application's style, noting for each list row it draws whether its title, wrapped to the
    width it is drawn at, fits the height it is drawn in: Qt ends a title that does not with "…"."""

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create(QApplication.style().name()))
        self.drawn: list[tuple[str, int, int]] = []  # title, height it needs, height it has

    def drawControl(self, element: QStyle.ControlElement, option: Any, painter: Any, widget: Any = None) -> None:
        if element == QStyle.ControlElement.CE_ItemViewItem:
            room = self.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, widget)
            margin = self.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, option, widget) + 1
            needed = _wrapped_height(str(option.text), QFont(option.font), room.width() - 2 * margin)
            self.drawn.append((str(option.text), needed, room.height()))
        super().drawControl(element, option, painter, widget)


def _cut_titles(view: Any, style: _RecordingStyle) -> list[tuple[str, int, int]]:
    """The titles on screen drawn in less height than they need, and rows overlapping the next."""
    style.drawn.clear()
    view.viewport().grab()
    cut = [(title, needed, height) for title, needed, height in style.drawn if needed > height]
    model = view.model()
    for row in range(model.rowCount() - 1):
        here, below = view.visualRect(model.index(row, 0)), view.visualRect(model.index(row + 1, 0))
        if below.top() <= here.bottom():
            cut.append((f"overlaps the next row: {model.index(row, 0).data()}", below.top(), here.bottom()))
    return cut


def test_every_topic_title_is_drawn_whole_at_800_by_600_at_any_text_size(make_window: Any, qtbot: Any) -> None:
    """At 800x600 "Do I have to be certified to work as a medical assistant?" had a row two lines
    high but was drawn in one line's height, ending in "…": the list measured it at the list's width
    and drew it at another. Bookmarked rows, with their mark beside the title, too."""
    window = make_window()
    window.resize(800, 600)
    window.show_tab("faq")
    tab = window.topic_tabs["faq"]
    view = tab.list_view
    model = view.model()
    tab.set_bookmarked({str(model.index(row, 0).data(KeyRole)) for row in range(1, model.rowCount(), 2)})
    qtbot.waitUntil(lambda: view.viewport().width() > 300)  # the tab is laid out at the window's size
    style = _RecordingStyle()
    view.setStyle(style)
    try:
        for steps in (0, 1, 2, 3, 4, 6):
            window.zoom.set_steps(steps)
            qtbot.waitUntil(lambda: view.font().pointSizeF() == QApplication.font().pointSizeF())
            qtbot.wait(250)  # the list lays its rows out again a moment after the text size or its width changes
            assert _cut_titles(view, style) == [], steps
            assert len(style.drawn) >= 5, steps  # rows were drawn and looked at
    finally:
        view.setStyle(None)
        window.zoom.set_steps(0)
