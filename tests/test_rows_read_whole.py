"""Rows as a reader sees them: the credential table's rows stand apart in either scheme, and a topic
list's titles are drawn whole in the height their row is given, at any text size."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QPointF
from PySide6.QtGui import QFont, QPalette, QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleFactory, QStyleOptionViewItem

from cma_desktop.views.colors import contrast as _contrast
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


def _text_room(view: Any, index: Any) -> tuple[str, QFont, int, int]:
    """A cell's text, font, and the width and height the style draws that text in."""
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualRect(index)
    view.itemDelegateForIndex(index).initStyleOption(option, index)
    room = view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, view)
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, option, view) + 1
    return str(option.text), QFont(option.font), room.width() - 2 * margin, room.height()


def _overview_table(make_window: Any, qtbot: Any, theme: str) -> tuple[Any, Any]:
    window = make_window()
    window.resize(1000, 700)
    window.show_tab("overview")
    window.theme.apply(theme)
    dark = theme == "dark"
    qtbot.waitUntil(lambda: (window.palette().color(QPalette.ColorRole.Window).lightness() < 128) == dark)
    overview = window.overview_tab
    table = overview.credential_table
    overview._scroll_to(table, 0)
    qtbot.waitUntil(lambda: table.visibleRegion().boundingRect().height() > 0)
    return window, table


def test_the_credential_tables_rows_stand_apart_in_the_dark_palette(make_window: Any, qtbot: Any) -> None:
    """Fusion drew the grid in the window colour made darker, about 1.1:1 on the dark cells: the rows
    ran together. The lines between rows and columns now show at 3:1 or more, alternate rows are
    shaded, and the text keeps 4.5:1 on either shade."""
    window, table = _overview_table(make_window, qtbot, "dark")
    assert table.showGrid() and table.alternatingRowColors()
    model = table.model()
    image = table.viewport().grab().toImage()
    text = table.palette().color(QPalette.ColorRole.Text)
    column_left = table.columnViewportPosition(0) + 1  # inside the cell's margin: never text here
    shades = []
    for row in range(model.rowCount() - 1):
        line_y = table.rowViewportPosition(row) + table.rowHeight(row) - 1
        line = image.pixelColor(column_left + table.columnWidth(0) // 2, line_y)
        above, below = image.pixelColor(column_left, line_y - 1), image.pixelColor(column_left, line_y + 1)
        shades.append(above)
        for background in (above, below):
            assert _contrast(line, background) >= 3, (row, line.name(), background.name())
            assert _contrast(text, background) >= 4.5, (row, background.name())
    assert _contrast(shades[0], shades[1]) >= 1.1, (shades[0].name(), shades[1].name())  # alternate rows shaded
    middle = table.rowViewportPosition(0) + table.rowHeight(0) // 2
    for column in range(model.columnCount() - 1):
        line_x = table.columnViewportPosition(column) + table.columnWidth(column) - 1
        assert _contrast(image.pixelColor(line_x, middle), shades[0]) >= 3, column
    window.theme.apply("system")


def test_the_credential_tables_cells_have_room_above_and_below_their_text(make_window: Any, qtbot: Any) -> None:
    """Each row is taller than its tallest cell's wrapped text, at either text size, and the table
    still fits the page's width and shows every row without scrolling of its own."""
    window, table = _overview_table(make_window, qtbot, "light")
    for steps in (0, 4):
        window.zoom.set_steps(steps)
        qtbot.waitUntil(lambda: table.font().pointSizeF() == QApplication.font().pointSizeF())
        qtbot.waitUntil(lambda: table.viewport().height() >= table.verticalHeader().length())  # every row, whole
        line = table.fontMetrics().height()
        model = table.model()
        for row in range(model.rowCount()):
            tallest = 0
            for column in range(model.columnCount()):
                text, font, width, room = _text_room(table, model.index(row, column))
                tallest = max(tallest, _wrapped_height(text, font, width))
                assert tallest <= room, (steps, row, column)
            padding = (table.rowHeight(row) - 1 - tallest) / 2  # less the grid line
            assert padding >= line / 5, (steps, row, table.rowHeight(row), tallest)
        assert table.horizontalScrollBar().maximum() == 0
        assert table.horizontalHeader().length() <= table.viewport().width()
    window.zoom.set_steps(0)
    window.theme.apply("system")


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


def test_a_search_that_finds_nothing_shows_its_whole_message(make_window: Any, qtbot: Any) -> None:
    """"night shift pay" finds nothing, and the message says what was looked for and that each word
    finds results on its own. The panel gave it four lines, guessed, where at 800x600 it wraps to
    five, and to eight at the largest text: its end was hidden below the panel's edge, behind a
    scroll bar the keyboard, in the search field, cannot move. Whole too when the text size
    changes with the message open, and typed again after."""
    window = make_window()
    window.focus_search()
    panel = window.search_panel
    view = panel.list_view
    style = _RecordingStyle()
    view.setStyle(style)

    def read_whole(size: tuple[int, int], steps: int) -> None:
        qtbot.waitUntil(lambda: panel.isVisible() and view.font().pointSizeF() == QApplication.font().pointSizeF())
        qtbot.wait(100)  # the list lays its row out again at the panel's width
        assert panel.message_text().endswith("These find results on their own: night, shift, pay."), (size, steps)
        room = view.visualRect(panel.model.index(0, 0))
        shown = view.viewport().rect()
        assert view.verticalScrollBar().maximum() == 0, (size, steps, room.height(), shown.height())
        assert shown.contains(room), (size, steps, room, shown)
        assert _cut_titles(view, style) == [] and len(style.drawn) == 1, (size, steps)
        # and no taller than the message: a line's room to spare at most
        assert shown.height() - room.height() <= view.fontMetrics().lineSpacing(), (size, steps)

    try:
        for size in ((800, 600), (1280, 800)):
            window.resize(*size)
            window.zoom.set_steps(0)
            window.search_field.clear()
            window.search_field.setText("night shift pay")
            for steps in (0, 3, 4, 6):
                window.zoom.set_steps(steps)  # with the message open
                read_whole(size, steps)
                window.search_field.clear()
                window.search_field.setText("night shift pay")
                read_whole(size, steps)
    finally:
        view.setStyle(None)
        window.zoom.set_steps(0)
