"""The Overview tab: an introduction, quick-fact cards, the steps, and the credentials compared."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QPoint, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QShowEvent,
    QStandardItem,
    QStandardItemModel,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cma_desktop.content.model import Content, QuickFact
from cma_desktop.placeholders import fill
from cma_desktop.search import OVERVIEW_INTRO, QUICK_FACT
from cma_desktop.content.render import sources_footer
from cma_desktop.views.markdown_view import MarkdownBlock, markdown_to_plain, plain_tooltip
from cma_desktop.views.colors import blend
from cma_desktop.views.focus import FocusRingMixin, give_keyboard_focus

_CARD_COLUMNS = 3
_QUIET_BLEND = 0.35  # how far toward the background the quieter text goes; keeps contrast above 4.5:1
_GRID_BLEND = 0.55  # the credential table's grid: text colour this far toward the cells' background, 3:1 or more
_CELL_PADDING = 0.25  # of a line's height, above and below the text in each of the table's cells
_CREDENTIAL_ROWS = (("Issuer", "issuer"), ("Eligibility", "eligibility"), ("Exam", "exam"),
                    ("Renewal", "renewal"), ("Accreditation", "accreditation"))


def _plain_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)  # content is never read as HTML
    label.setWordWrap(True)
    return label


class QuickFactCard(FocusRingMixin, QFrame):  # a frame has no focus ring of its own
    def __init__(self, fact: QuickFact, content: Content, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName(f"fact-{fact.id}")
        source = content.source(fact.source)
        publisher = source.publisher if source else fact.source
        self.value_label = _plain_label(fact.value, self)
        self.caption_label = _plain_label(fact.label, self)
        self.source_label = _plain_label(fill(self.tr("%1 · %2"), fact.as_of, publisher), self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)
        if fact.note:
            layout.addWidget(_plain_label(markdown_to_plain(fact.note), self))
        layout.addStretch(1)
        layout.addWidget(self.source_label)
        self.setAccessibleName(f"{fact.label}: {fact.value} ({fact.as_of}, {publisher})")
        if fact.note:
            self.setAccessibleDescription(markdown_to_plain(fact.note))
        # A stop for Tab, so keyboard and screen-reader users reach the figures too.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setToolTip(plain_tooltip(source.title) if source else "")
        self._scale_fonts()
        self._quiet_source()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._scale_fonts()
        elif event.type() == QEvent.Type.PaletteChange:
            self._quiet_source()

    def _quiet_source(self) -> None:
        """The source and year, quieter than the figure yet easy to read in either scheme: the text
        colour blended a third of the way to the background (the placeholder grey is too faint)."""
        palette = self.palette()
        text, window = palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Window)
        quiet = blend(text, window, _QUIET_BLEND)
        label_palette = self.source_label.palette()
        label_palette.setColor(QPalette.ColorRole.WindowText, quiet)
        self.source_label.setPalette(label_palette)

    def _scale_fonts(self) -> None:
        """Sizes relative to the card's font, so View > text size scales them too."""
        value_font = QFont(self.font())
        value_font.setPointSizeF(self.font().pointSizeF() * 1.7)
        value_font.setBold(True)
        self.value_label.setFont(value_font)
        caption_font = QFont(self.font())
        caption_font.setBold(True)
        self.caption_label.setFont(caption_font)


class OverviewTab(QScrollArea):
    def __init__(self, content: Content, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tab-overview")
        self.setAccessibleName(self.tr("Overview"))
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no invisible Tab stop: the page's parts take the focus
        self._content = content
        self.cards: list[QuickFactCard] = []
        self._headings: list[QLabel] = []
        self._built = False

    def showEvent(self, event: QShowEvent) -> None:
        """Built when first shown, which keeps start-up quick when another tab opens first."""
        self.ensure_built()
        super().showEvent(event)

    def ensure_built(self) -> None:
        if self._built:
            return
        self._built = True
        content = self._content
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setSpacing(12)

        overview = content.overview
        self.intro = MarkdownBlock(page)
        self.intro.setAccessibleName(self.tr("Introduction"))
        self.intro.set_markdown(f"# {overview.title}\n\n{overview.intro.strip()}\n\n{overview.body.strip()}")
        layout.addWidget(self.intro)

        layout.addWidget(self._heading(self.tr("Quick facts"), page))
        cards = QWidget(page)
        grid = QGridLayout(cards)
        grid.setContentsMargins(0, 0, 0, 0)
        self.cards = [QuickFactCard(fact, content, cards) for fact in content.quick_facts]
        for index, card in enumerate(self.cards):
            grid.addWidget(card, index // _CARD_COLUMNS, index % _CARD_COLUMNS)
        for column in range(_CARD_COLUMNS):
            grid.setColumnStretch(column, 1)
        layout.addWidget(cards)

        self.steps = MarkdownBlock(page)
        self.steps.setAccessibleName(self.tr("Steps to become a CMA"))
        steps_md = [f"## {self.tr('How to become a CMA')}"]
        for number, step in enumerate(content.steps, 1):
            steps_md.append(f"### {number}. {step.title}\n\n{step.body.strip()}")
        self.steps.set_markdown("\n\n".join(steps_md))
        layout.addWidget(self.steps)

        layout.addWidget(self._heading(self.tr("Credentials compared"), page))
        self.credential_table = self._credential_table(content, page)
        layout.addWidget(self.credential_table)

        self.advancement = MarkdownBlock(page)
        self.advancement.setAccessibleName(self.tr("Where the career can lead"))
        adv_md = [f"## {self.tr('Where the career can lead')}", ""]
        for path in content.advancement:
            adv_md.append(f"- **{path.title}**: {path.summary.strip()}")
        self.advancement.set_markdown("\n".join(adv_md))
        layout.addWidget(self.advancement)

        self.footer = MarkdownBlock(page)
        self.footer.setAccessibleName(self.tr("Overview sources"))
        cited = [*overview.sources, *(s for step in content.steps for s in step.sources),
                 *(s for c in content.credentials for s in c.sources)]
        self.footer.set_markdown(sources_footer(cited, content.quick_facts, content))
        layout.addWidget(self.footer)
        layout.addStretch(1)
        self.setWidget(page)

    def show_item(self, key: str, words: list[str]) -> bool:
        """Scrolls to a step, credential or advancement path (a search result) and marks the words."""
        self.ensure_built()
        kind, _, item_id = key.partition("/")
        if kind == QUICK_FACT:
            card = next((c for c in self.cards if c.objectName() == f"fact-{item_id}"), None)
            if card is None:
                return False
            give_keyboard_focus(card)
            self._scroll_to(card, 0)
            return True
        if key == OVERVIEW_INTRO:  # at the first word found
            self.intro.mark_words(words)
            marked = self.intro.extraSelections()
            self.intro.setTextCursor(QTextCursor(marked[0].cursor) if marked else QTextCursor(self.intro.document()))
            give_keyboard_focus(self.intro)
            self._scroll_to(self.intro, self.intro.cursorRect().top())
            return True
        if kind == "credentials":
            column = next((i for i, c in enumerate(self._content.credentials) if c.id == item_id), -1)
            if column < 0:
                return False
            self.credential_table.selectColumn(column)
            give_keyboard_focus(self.credential_table)
            self._scroll_to(self.credential_table, 0)
            return True
        if kind == "steps":  # its heading: "2. The step's title"
            number = next((n for n, s in enumerate(self._content.steps, 1) if s.id == item_id), 0)
            block, prefix = self.steps, False
            line = f"{number}. {markdown_to_plain(self._content.steps[number - 1].title)}" if number else ""
        elif kind == "advancement":  # its list entry: "The path's title: what it is"
            path = next((p for p in self._content.advancement if p.id == item_id), None)
            block, prefix, line = self.advancement, True, f"{markdown_to_plain(path.title)}:" if path else ""
        else:
            return False
        cursor = block.find_line(line, prefix) if line else None
        if cursor is None:
            return False
        block.mark_words(words)
        block.setTextCursor(cursor)  # reading on with the keyboard starts here
        give_keyboard_focus(block)
        self._scroll_to(block, block.cursorRect(cursor).top())
        return True

    def _scroll_to(self, part: QWidget, y_in_part: int) -> None:
        """Brings a place in one part of the page to the top of the view, a line below the edge."""
        page = self.widget()
        layout = page.layout() if page is not None else None
        if page is None or layout is None:
            return
        layout.activate()  # the parts' places must be final before measuring
        top = part.mapTo(page, QPoint(0, y_in_part)).y()
        self.verticalScrollBar().setValue(max(0, top - self.fontMetrics().height()))

    def _heading(self, text: str, parent: QWidget) -> QLabel:
        label = _plain_label(text, parent)
        label.setAccessibleName(text)
        self._headings.append(label)
        self._scale_headings()
        return label

    def _scale_headings(self) -> None:
        """Bold and a third larger than the page's text, whatever View > text size makes it (a font
        set on a label no longer follows the application's)."""
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        for heading in self._headings:
            heading.setFont(font)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._scale_headings()

    def _credential_table(self, content: Content, parent: QWidget) -> QTableView:
        model = QStandardItemModel(len(_CREDENTIAL_ROWS), len(content.credentials), parent)
        model.setHorizontalHeaderLabels([c.name for c in content.credentials])
        model.setVerticalHeaderLabels([self.tr(label) for label, _ in _CREDENTIAL_ROWS])
        for column, credential in enumerate(content.credentials):
            for row, (_, attribute) in enumerate(_CREDENTIAL_ROWS):
                cell = QStandardItem(getattr(credential, attribute) or "—")
                cell.setEditable(False)
                model.setItem(row, column, cell)
        table = _FittedTable(parent)
        table.setAccessibleName(self.tr("Credential comparison"))
        table.setModel(model)
        table.setWordWrap(True)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)  # arrows walk the cells; Tab goes on past the table
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # The table never scrolls itself: the page brings the cell the arrows reach into view.
        table.selectionModel().currentChanged.connect(lambda current, _previous: self._show_cell(table, current))
        return table

    def _show_cell(self, table: QTableView, index: QModelIndex) -> None:
        page = self.widget()
        if page is None or not index.isValid():
            return
        cell = table.visualRect(index)
        top = table.viewport().mapTo(page, cell.topLeft())
        bottom = table.viewport().mapTo(page, cell.bottomLeft())
        margin = self.fontMetrics().height()
        self.ensureVisible(top.x(), bottom.y(), 0, margin)  # the bottom, then the top wins if both do not fit
        self.ensureVisible(top.x(), top.y(), 0, margin)


class _PaddedCells(QStyledItemDelegate):
    """A little room above and below each cell's text (Qt draws it centred in the taller row), so
    one row's last line does not run into the next row's first."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), hint.height() + 2 * _cell_padding(option.fontMetrics))


def _cell_padding(metrics: QFontMetrics) -> int:
    """The room above, and below, a cell's text: a quarter of a line, so it grows with the text size."""
    return max(2, round(metrics.height() * _CELL_PADDING))


class _FittedTable(QTableView):
    """A table as tall as its rows, so the page scrolls rather than the table. Its rows stand apart in
    either scheme: alternate rows shaded, and grid lines in the text colour blended toward the cells'
    background (Fusion draws them in the window colour made darker: on the dark cells, 1.03:1)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(_PaddedCells(self))
        self.setAlternatingRowColors(True)
        self.setShowGrid(True)

    def grid_colour(self) -> QColor:
        palette = self.palette()
        text, base = palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)
        return blend(text, base, _GRID_BLEND)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Qt's grid, drawn over in a colour that shows: the same lines, between the cells."""
        super().paintEvent(event)
        model = self.model()
        if not self.showGrid() or model is None:
            return
        rows = [r for r in range(model.rowCount()) if not self.isRowHidden(r)]
        columns = [c for c in range(model.columnCount()) if not self.isColumnHidden(c)]
        if not rows or not columns:
            return
        left = min(self.columnViewportPosition(c) for c in columns)
        right = max(self.columnViewportPosition(c) + self.columnWidth(c) - 1 for c in columns)
        bottom = max(self.rowViewportPosition(r) + self.rowHeight(r) - 1 for r in rows)
        painter = QPainter(self.viewport())
        painter.setPen(QPen(self.grid_colour(), 0, self.gridStyle()))
        for row in rows:  # where Qt draws its lines: the last pixel of each row and column
            y = self.rowViewportPosition(row) + self.rowHeight(row) - 1
            painter.drawLine(left, y, right, y)
        for column in columns:
            x = self.columnViewportPosition(column)
            if not self.isRightToLeft():
                x += self.columnWidth(column) - 1
            painter.drawLine(x, 0, x, bottom)
        painter.end()

    def resizeEvent(self, event: QEvent) -> None:  # type: ignore[override]
        super().resizeEvent(event)  # type: ignore[arg-type]
        self.resizeRowsToContents()
        self._fit_height()

    def updateGeometries(self) -> None:
        """After the text size changes the headers settle after the last resize: the table kept the
        height measured before, and its last row lost its bottom, or a strip of empty cells showed."""
        super().updateGeometries()
        self._fit_height()

    def _fit_height(self) -> None:
        height = self.horizontalHeader().height() + self.verticalHeader().length() + self.frameWidth() * 2 + 2
        if height != self.height():
            self.setFixedHeight(height)
