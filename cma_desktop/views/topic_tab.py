"""A topic tab: a filterable ``Topics`` list beside a ``Topic details`` pane."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QSignalBlocker, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cma_desktop.content.model import Content, Item
from cma_desktop.placeholders import fill
from cma_desktop.content.render import item_markdown
from cma_desktop.locations import resources_dir
from cma_desktop.views.announce import ANNOUNCE_PAUSE_MS, announce
from cma_desktop.views.markdown_view import MarkdownView
from cma_desktop.views.topic_model import ItemRole, KeyRole, TopicFilterModel, TopicListModel
from cma_desktop.views.wrapped_rows import WrappedRows


_WRAP_UP_TO = 500  # topics; above that, rows keep one height so a big pack stays fast
# What ensure_built() makes; reading any of them first makes the tab.
_PARTS = frozenset({"model", "proxy", "filter_field", "category_box", "list_view", "count_label", "detail",
                    "bookmark_button", "splitter"})


_FILTER_MIN_CHARACTERS = 12


class _FilterField(QLineEdit):
    """Down arrow moves from the filter into the list, so the keyboard never gets stuck; Escape
    clears the filter, as in a search field."""

    moveToList = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.moveToList.emit()
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)

    def minimumSizeHint(self) -> QSize:
        """Room for a word or two at any text size: squeezed to "Fi…" it no longer says what it is for."""
        hint = super().minimumSizeHint()
        return QSize(max(hint.width(), self.fontMetrics().averageCharWidth() * _FILTER_MIN_CHARACTERS), hint.height())


class TopicTab(QWidget):
    topicShown = Signal(str)  # kind/id of the item now in the detail pane
    linkActivated = Signal(str)  # kind/id of an item linked from the detail pane
    bookmarkToggled = Signal(str, str, bool)  # kind/id, title, bookmarked

    def __init__(
        self,
        kind: str,
        title: str,
        items: Sequence[Item],
        content: Content,
        categories: dict[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.bookmarks_writable = False  # set by the window once it knows the store can save
        self._content = content
        self._items = items
        self._categories = categories
        self._pending_item: Item | None = None
        self._bookmarked: set[str] = set()
        self._built = False
        self.setObjectName(f"tab-{kind}")
        self.setAccessibleName(title)

    def __getattr__(self, name: str) -> Any:
        """The list, filter and detail pane are made when the tab is first shown or used: a hidden
        tab costs nothing at start-up, however many topics a pack brings."""
        if name in _PARTS and not self.__dict__.get("_built", True):
            self.ensure_built()
            return getattr(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def ensure_built(self) -> None:
        if self._built:
            return
        self._built = True
        items, categories = self._items, self._categories
        self.model = TopicListModel(self.kind, items, self)
        self.model.set_bookmarked(self._bookmarked)
        self.proxy = TopicFilterModel(self)
        self.proxy.setSourceModel(self.model)

        self.filter_field = _FilterField(self)
        self.filter_field.setPlaceholderText(self.tr("Filter topics (Ctrl+F)"))
        self.filter_field.setAccessibleName(self.tr("Filter topics"))
        self.filter_field.setClearButtonEnabled(True)
        self.filter_field.textChanged.connect(self._filter_changed)
        self.filter_field.moveToList.connect(self._focus_list)

        self.category_box: QComboBox | None = None
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.filter_field, 1)
        if categories:
            self.category_box = QComboBox(self)
            self.category_box.setAccessibleName(self.tr("Category"))
            # Linux screen readers name a combo box by its label, not its accessible name (that is its value)
            category_label = QLabel(self.tr("C&ategory:"), self)
            category_label.setBuddy(self.category_box)
            filter_row.addWidget(category_label)
            self.category_box.addItem(self.tr("All"), "")
            for key, label in categories.items():
                self.category_box.addItem(label, key)
            self.category_box.currentIndexChanged.connect(self._category_changed)
            filter_row.addWidget(self.category_box)

        self.list_view = QListView(self)
        self.list_view.setAccessibleName(self.tr("Topics"))
        self.list_view.setModel(self.proxy)
        if len(items) > _WRAP_UP_TO:
            # One row height for all and long titles elided: thousands of topics lay out at once.
            self.list_view.setUniformItemSizes(True)
            self.list_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        else:
            self.list_view.setWordWrap(True)  # long questions read in full
            self.list_view.setItemDelegate(WrappedRows(self.list_view))
        self.list_view.setAlternatingRowColors(True)
        self.list_view.setSpacing(2)
        self._fit_icon_size()
        self.list_view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.list_view.selectionModel().currentChanged.connect(self._current_changed)

        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(self.tr("Topic count"))
        self._count_announcement = QTimer(self)
        self._count_announcement.setSingleShot(True)
        self._count_announcement.setInterval(ANNOUNCE_PAUSE_MS)
        self._count_announcement.timeout.connect(lambda: announce(self.count_label, self.count_label.text()))

        self.bookmark_button = QToolButton(self)
        self.bookmark_button.setText(self.tr("Bookmark"))
        self.bookmark_button.setAccessibleName(self.tr("Bookmark"))
        self.bookmark_button.setToolTip(self.tr("Bookmark this topic (Ctrl+D)"))
        self.bookmark_button.setCheckable(True)
        self.bookmark_button.setIcon(QIcon(str(resources_dir() / "icons" / "bookmark.svg")))
        self.bookmark_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.bookmark_button.toggled.connect(self._bookmark_clicked)
        self.bookmark_button.setEnabled(False)
        # Made after the button above it, so Tab reaches the button before the links in the text
        self.detail = MarkdownView(self)
        self.detail.setAccessibleName(self.tr("Topic details"))
        self.detail.internalLinkActivated.connect(self.linkActivated)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.bookmark_button)
        right_layout.addLayout(bar)
        right_layout.addWidget(self.detail, 1)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filter_row)
        left_layout.addWidget(self.list_view, 1)
        left_layout.addWidget(self.count_label)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)

        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        if self.isVisible():  # made while being shown: Qt shows only the children that existed then
            self.splitter.show()
        self._update_count()
        self._select_first_if_none()
        self.bookmark_button.setEnabled(self.bookmarks_writable and self.current_key() is not None)

    # -- behaviour ---------------------------------------------------------------------
    def focus_start(self, reason: Qt.FocusReason) -> None:
        """The keyboard goes to the list, so arrows and Enter work at once (not a focus proxy,
        which would send Tab from the last control back to the list for ever)."""
        self.ensure_built()
        self.list_view.setFocus(reason)

    def focus_filter(self) -> None:
        self.filter_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_field.selectAll()

    def show_item(self, item_id: str) -> bool:
        """Selects an item by id, clearing filters that hide it; False when it is not here."""
        row = self.model.row_of(item_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row))
        if not index.isValid():
            self.filter_field.clear()
            if self.category_box is not None:
                self.category_box.setCurrentIndex(0)
            index = self.proxy.mapFromSource(self.model.index(row))
        self.list_view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.list_view.scrollTo(index)
        return True

    def current_key(self) -> str | None:
        index = self.list_view.currentIndex()
        return str(index.data(KeyRole)) if index.isValid() else None

    def set_bookmarked(self, keys: set[str]) -> None:
        self._bookmarked = set(keys)
        if not self._built:
            return  # marked when the list is made
        self.model.set_bookmarked(keys)
        key = self.current_key()
        with QSignalBlocker(self.bookmark_button):
            self.bookmark_button.setChecked(key in keys if key else False)

    def _bookmark_clicked(self, checked: bool) -> None:
        item, key = self.current_item(), self.current_key()
        if item is not None and key is not None:
            self.bookmarkToggled.emit(key, item.title, checked)

    def current_item(self) -> Item | None:
        index = self.list_view.currentIndex()
        return index.data(ItemRole) if index.isValid() else None

    def highlight(self, words: list[str]) -> None:
        """Marks the words in the detail pane, for a topic opened from search, and shows the first."""
        self._render_pending()
        self.detail.mark_words(words)
        marks = self.detail.extraSelections()
        if marks:
            self.detail.go_to(marks[0].cursor)

    def highlighted_words(self) -> list[str]:
        return self.detail.marked_words()

    def _focus_list(self) -> None:
        self.list_view.setFocus(Qt.FocusReason.TabFocusReason)
        if not self.list_view.currentIndex().isValid() and self.proxy.rowCount() > 0:
            self.list_view.setCurrentIndex(self.proxy.index(0, 0))

    def _filter_changed(self, text: str) -> None:
        self.proxy.set_filter_text(text)
        self._after_filter()

    def _category_changed(self, _index: int) -> None:
        assert self.category_box is not None
        self.proxy.set_category(str(self.category_box.currentData()))
        self._after_filter()

    def _after_filter(self) -> None:
        self._update_count()
        self._count_announcement.start()  # once typing pauses, not at every key
        self._select_first_if_none()
        if self.proxy.rowCount() == 0:
            self.detail.set_markdown(self.tr("No topic matches the filter. Clear it to see them all."))

    def _select_first_if_none(self) -> None:
        if not self.list_view.currentIndex().isValid() and self.proxy.rowCount() > 0:
            self.list_view.selectionModel().setCurrentIndex(
                self.proxy.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if shown == total:
            self.count_label.setText(self.tr("1 topic") if total == 1 else self.tr("%1 topics").replace("%1", str(total)))
        else:
            self.count_label.setText(fill(self.tr("%1 of %2 topics"), shown, total))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = current.data(ItemRole) if current.isValid() else None
        if item is None:  # nothing shown (a filter matched nothing): nothing to bookmark
            with QSignalBlocker(self.bookmark_button):
                self.bookmark_button.setChecked(False)
                self.bookmark_button.setEnabled(False)
            return
        self._pending_item = item
        key = str(current.data(KeyRole))
        with QSignalBlocker(self.bookmark_button):
            self.bookmark_button.setEnabled(self.bookmarks_writable)
            self.bookmark_button.setChecked(key in self.model.bookmarked_keys())
        if self.isVisible():
            self._render_pending()
        self.topicShown.emit(str(current.data(KeyRole)))

    def _render_pending(self) -> None:
        if self._pending_item is not None:
            self.detail.setExtraSelections([])
            self.detail.set_markdown(item_markdown(self._pending_item, self._content))
            self._pending_item = None

    def _fit_icon_size(self) -> None:
        icon_side = self.fontMetrics().height()  # the bookmark mark stays the size of the text
        self.list_view.setIconSize(QSize(icon_side, icon_side))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange and self.__dict__.get("_built", False):
            self._fit_icon_size()  # View > Larger text
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        """Hidden tabs are made, and render their detail, when first shown: start-up stays quick."""
        self.ensure_built()
        self._render_pending()
        super().showEvent(event)
