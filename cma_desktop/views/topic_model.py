"""Qt list models over content items: one row per topic, filtered by text and category."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from PySide6.QtGui import QIcon

from cma_desktop.content.model import Item
from cma_desktop.locations import resources_dir
from cma_desktop.views.markdown_view import plain_tooltip

ItemRole = Qt.ItemDataRole.UserRole + 1
CategoryRole = Qt.ItemDataRole.UserRole + 2
KeyRole = Qt.ItemDataRole.UserRole + 3
SearchTextRole = Qt.ItemDataRole.UserRole + 4

AnyIndex = QModelIndex | QPersistentModelIndex


class TopicListModel(QAbstractListModel):
    def __init__(self, kind: str, items: Sequence[Item], parent: Any = None) -> None:
        super().__init__(parent)
        self._kind = kind
        self._items = list(items)
        self._bookmarked: set[str] = set()
        self._bookmark_icon: QIcon | None = None
        self._search_text = [
            " ".join([item.title, getattr(item, "summary", ""), item.body]).casefold() for item in self._items
        ]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return item.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(getattr(item, "summary", "") or item.title)
        if role == Qt.ItemDataRole.DecorationRole and f"{self._kind}/{item.id}" in self._bookmarked:
            return self._icon()
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and f"{self._kind}/{item.id}" in self._bookmarked:
            return self.tr("Bookmarked")
        if role == ItemRole:
            return item
        if role == CategoryRole:
            return getattr(item, "category", "")
        if role == KeyRole:
            return f"{self._kind}/{item.id}"
        if role == SearchTextRole:
            return self._search_text[index.row()]
        return None

    def set_bookmarked(self, keys: set[str]) -> None:
        """Marks bookmarked rows; only rows whose mark changed are repainted."""
        changed = {key for key in keys.symmetric_difference(self._bookmarked) if key.startswith(f"{self._kind}/")}
        self._bookmarked = {key for key in keys if key.startswith(f"{self._kind}/")}
        for key in changed:
            row = self.row_of(key.partition("/")[2])
            if row >= 0:
                index = self.index(row)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.AccessibleDescriptionRole])

    def bookmarked_keys(self) -> set[str]:
        return set(self._bookmarked)

    def _icon(self) -> QIcon:
        if self._bookmark_icon is None:
            self._bookmark_icon = QIcon(str(resources_dir() / "icons" / "bookmark.svg"))
        return self._bookmark_icon

    def row_of(self, item_id: str) -> int:
        return next((row for row, item in enumerate(self._items) if item.id == item_id), -1)


class TopicFilterModel(QSortFilterProxyModel):
    """Keeps rows whose text holds every word typed, in the chosen category."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._category = ""

    def set_filter_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_category(self, category: str) -> None:
        self.beginFilterChange()
        self._category = category
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        index = self.sourceModel().index(source_row, 0, source_parent)
        if self._category and index.data(CategoryRole) != self._category:
            return False
        text = index.data(SearchTextRole) or ""
        return all(word in text for word in self._words)
