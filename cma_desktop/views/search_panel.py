"""The ``Search`` field and its ``Search results`` list: as-you-type results grouped by kind."""

from __future__ import annotations

import html
import math
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QHideEvent, QPainter, QPalette, QStandardItem, QStandardItemModel, QTextDocument
from PySide6.QtWidgets import (
    QFrame,
    QListView,
    QStyle,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from cma_desktop.views.announce import ANNOUNCE_PAUSE_MS, announce
from cma_desktop.views.search_field import SearchField
from cma_desktop.views.wrapped_rows import WrappedRows
from cma_desktop.search.engine import GROUPS, SearchResults, Searcher, Segment, matched_words, snippet, word_matcher
from cma_desktop.search.index import Hit

KeyRole = Qt.ItemDataRole.UserRole + 1
HtmlRole = Qt.ItemDataRole.UserRole + 2
DocumentRole = Qt.ItemDataRole.UserRole + 3
SnippetRole = Qt.ItemDataRole.UserRole + 4  # the snippet as plain text, to measure
_MARGIN = 3  # around a result's text
_HEIGHTS_KEPT = 2_000  # rows' heights remembered between keystrokes


def _segments_html(segments: list[Segment]) -> str:
    """Content is escaped first; the only markup is ours, for the matched words."""
    return "".join(f"<b>{html.escape(s.text)}</b>" if s.matched else html.escape(s.text) for s in segments)


def _best_group_first(results: SearchResults) -> list[tuple[str, list[Hit]]]:
    """The groups ordered by their best result, so that the first result, which Enter opens, is the
    best of all: "billing" opens the duty named for it, not a passing mention on the Overview."""
    rank = {id(hit): place for place, hit in enumerate(results.ranked)}
    return sorted(results.groups, key=lambda group: min(rank.get(id(hit), len(rank)) for hit in group[1]))


class _ResultDelegate(WrappedRows):
    """Draws a result's title and snippet from escaped text with the matched words in bold; a
    message in place of results wraps, measured at the width it is drawn at."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._heights: dict[tuple[str, str, int, str], int] = {}  # (title, snippet, width, font): row height

    def document(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QTextDocument:
        """The result as drawn: its title, and its snippet below, wrapped to the row's width."""
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        color = option.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(_MARGIN)
        document.setTextWidth(max(50, option.rect.width()))
        document.setDefaultStyleSheet(f"body {{ color: {color.name()}; }}")
        document.setHtml(f"<body>{index.data(HtmlRole)}</body>")
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        if index.data(HtmlRole) is None:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        text_option = QStyleOptionViewItem(option)
        text_option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, text_option, painter, option.widget)
        document = self.document(option, index)
        painter.save()
        painter.translate(QRect(option.rect).topLeft())
        document.drawContents(painter)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        """Room for the title and snippet as they wrap at this width and text size. Estimated from
        their width in bold (the title and matched words are bold), with a tenth to spare for the
        ends of lines that wrapping leaves empty, and kept: the list asks for every row's size
        several times a keystroke, and laying each result out would cost more than a keystroke may."""
        if index.data(HtmlRole) is None:
            return super().sizeHint(option, index)
        view = option.widget
        width = max(50, view.viewport().width() if isinstance(view, QListView) else option.rect.width()) - 2 * _MARGIN
        texts = (str(index.data(Qt.ItemDataRole.DisplayRole)), str(index.data(SnippetRole) or ""))
        key = (*texts, width, option.font.key())
        height = self._heights.get(key)
        if height is None:
            bold = QFont(option.font)
            bold.setBold(True)
            metrics = QFontMetrics(bold)
            lines = sum(max(1, math.ceil(metrics.horizontalAdvance(text) * 1.1 / width)) for text in texts)
            height = lines * metrics.lineSpacing() + 2 * _MARGIN + 4
            if len(self._heights) > _HEIGHTS_KEPT:
                self._heights.clear()
            self._heights[key] = height
        return QSize(100, height)


class SearchResultsPanel(QFrame):
    """Floats over the window under the search field while there is something to show."""

    resultActivated = Signal(str, list)  # key, the words as written that matched

    def __init__(self, searcher: Searcher, field: SearchField, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("search-results-panel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.searcher = searcher
        self.field = field
        self.bookmarked: set[str] = set()  # kind/id keys shown with a star
        self.results: SearchResults | None = None
        self.model = QStandardItemModel(self)
        self.list_view = QListView(self)
        self.list_view.setAccessibleName(self.tr("Search results"))
        self.list_view.setModel(self.model)
        self._delegate = _ResultDelegate(self.list_view)
        self.list_view.setItemDelegate(self._delegate)
        self.list_view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.list_view.activated.connect(self._activate)
        self.list_view.installEventFilter(self)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(2, 2, 2, 2)
        self._layout.addWidget(self.list_view)
        self.hide()

        field.navigate.connect(self.move_selection)
        field.accepted.connect(self.activate_current)
        # The keyboard stays in the search field, so a screen reader is told what the list holds
        # once typing pauses, and which result the arrows reach.
        self._summary_announcement = QTimer(self)
        self._summary_announcement.setSingleShot(True)
        self._summary_announcement.setInterval(ANNOUNCE_PAUSE_MS)
        self._summary_announcement.timeout.connect(lambda: announce(self.field, self.summary_text()))

    # -- results -----------------------------------------------------------------------
    def update_results(self, text: str) -> None:
        self.model.clear()
        if not text.strip():
            self.results = None
            self.hide()
            return
        results = self.searcher.search(text)
        self.results = results
        self._summary_announcement.start()
        self.list_view.setWordWrap(results.empty)
        if results.empty:
            self.model.appendRow(self._message_row(self.no_results_text(text, results)))
        matches = word_matcher(results.query)
        for group, hits in _best_group_first(results):
            header = QStandardItem(self.tr(GROUPS[group]))
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: read and shown, never selected
            header.setForeground(self.palette().brush(QPalette.ColorRole.Link))
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            self.model.appendRow(header)
            for hit in hits:
                document = hit.document
                mark = "★ " if document.key in self.bookmarked else ""
                row = QStandardItem(mark + document.title)
                row.setData(document.key, KeyRole)
                row.setData(document, DocumentRole)
                segments = snippet(document.body, results.query, matches=matches)
                row.setData(f"<b>{html.escape(mark + document.title)}</b><br/>{_segments_html(segments)}", HtmlRole)
                row.setData("".join(s.text for s in segments), SnippetRole)
                spoken = self.tr("Bookmarked: ") if mark else ""
                row.setData(f"{spoken}{document.title}. {''.join(s.text for s in segments)}",
                            Qt.ItemDataRole.AccessibleTextRole)
                self.model.appendRow(row)
        self.place()
        self.show()
        self.raise_()
        first = self._next_selectable(-1, 1)
        if first is not None:
            self.list_view.setCurrentIndex(first)

    def _message_row(self, text: str) -> QStandardItem:
        row = QStandardItem(text)
        row.setFlags(Qt.ItemFlag.ItemIsEnabled)
        row.setData(text, Qt.ItemDataRole.AccessibleTextRole)
        return row

    def no_results_text(self, text: str, results: SearchResults) -> str:
        message = self.tr("No results for “%1”.").replace("%1", " ".join(text.split()))
        if results.tried():
            message += " " + self.tr("Looked for %1.").replace("%1", results.tried())
        if len(results.query) > 1:
            alone = self.searcher.words_with_results(text)
            message += " " + self.tr("Every word must match.")
            if alone:
                message += " " + self.tr("These find results on their own: %1.").replace("%1", ", ".join(alone))
        return message

    def summary_text(self) -> str:
        """What a screen reader hears once typing pauses: how many results, or why there are none."""
        if self.results is None:
            return ""
        if self.results.empty:
            return self.message_text()
        count = self.result_count()
        return self.tr("1 result") if count == 1 else self.tr("%1 results").replace("%1", str(count))

    def message_text(self) -> str:
        """The text of the list's only row when it holds a message rather than results."""
        return str(self.model.index(0, 0).data()) if self.results and self.results.empty else ""

    def result_count(self) -> int:
        return sum(len(hits) for _group, hits in (self.results.groups if self.results else []))

    def place(self) -> None:
        """Under the search field, as wide as it is useful, never past the window's edge."""
        parent = self.parentWidget()
        assert parent is not None
        below = self.field.mapTo(parent, self.field.rect().bottomRight())
        width = min(parent.width() - 16, max(480, self.field.width()))
        if self.list_view.wordWrap():  # a message, as tall as it wraps at the width it will be drawn at
            rows = self._delegate.height_at(self.model.index(0, 0), self._row_width(width))
        else:
            rows = sum(self.list_view.sizeHintForRow(r) + 2 * self.list_view.spacing() for r in range(self.model.rowCount()))
        wanted = rows + 2 * self.list_view.frameWidth() + 8
        height = min(parent.height() - below.y() - 16, 480, wanted)
        # A message that fits has no scroll bar: one left from a larger text size or a smaller
        # window would narrow it, make it wrap taller than the panel and so keep itself.
        fits = self.list_view.wordWrap() and wanted <= height
        self.list_view.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff if fits else Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        left = max(8, below.x() - width)
        self.setGeometry(left, below.y() + 2, width, max(self.fontMetrics().lineSpacing() * 3, height))

    def _row_width(self, width: int) -> int:
        """The width the list draws its rows at in a panel this wide, with no scroll bar: the list
        itself takes its new width only once the panel is laid out, after place()."""
        margins, layout = self.contentsMargins(), self._layout.contentsMargins()
        around = margins.left() + margins.right() + layout.left() + layout.right()
        return width - around - 2 * self.list_view.frameWidth() - 2 * self.list_view.spacing()

    # -- keyboard ----------------------------------------------------------------------
    def _next_selectable(self, row: int, step: int) -> QModelIndex | None:
        direction = 1 if step > 0 else -1
        remaining = abs(step)
        candidate = row
        found: QModelIndex | None = None
        while remaining > 0:
            candidate += direction
            if not 0 <= candidate < self.model.rowCount():
                break
            index = self.model.index(candidate, 0)
            if index.flags() & Qt.ItemFlag.ItemIsSelectable:
                found = index
                remaining -= 1
        return found

    def move_selection(self, step: int) -> None:
        if not self.isVisible():
            return
        self._summary_announcement.stop()  # the result reached is what the reader wants now
        found = self._next_selectable(self.list_view.currentIndex().row(), step)
        if found is not None:
            self.list_view.setCurrentIndex(found)
            self.list_view.scrollTo(found)
            announce(self.field, str(found.data(Qt.ItemDataRole.AccessibleTextRole) or found.data()))

    def activate_current(self) -> None:
        index = self.list_view.currentIndex()
        if self.isVisible() and index.isValid() and index.flags() & Qt.ItemFlag.ItemIsSelectable:
            self._activate(index)

    def hideEvent(self, event: QHideEvent) -> None:
        self._summary_announcement.stop()  # a count spoken after the results have gone would mislead
        super().hideEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and self.isVisible():
            self.place()  # the text size changed with the results open: their room, measured again

    def _activate(self, index: QModelIndex) -> None:
        key = index.data(KeyRole)
        if key:
            self.hide()
            document = index.data(DocumentRole)
            query = self.results.query if self.results else []
            self.resultActivated.emit(str(key), matched_words(f"{document.title}\n{document.body}", query))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list_view and event.type() == QEvent.Type.KeyPress:
            key_event: Any = event
            if key_event.key() == Qt.Key.Key_Escape:
                self.field.cancelled.emit()
                return True
        return super().eventFilter(watched, event)
