"""Rows of a word-wrapping list measured at the width the list draws them at."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize
from PySide6.QtWidgets import QListView, QStyledItemDelegate, QStyleOptionViewItem


class WrappedRows(QStyledItemDelegate):
    """Each row as tall as its text wrapped to the width the row is drawn at. Qt's list measures a
    row at the list's width to lay the rows out, again at its content's width (which the widest
    title sets) to place the row, and draws it at the list's width: a title just short of one line
    got two lines of room, one line's height, and was drawn in that ending in "…". Here every
    measure is taken at the width the rows are drawn at, so all three agree."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view

    def row_width(self) -> int:
        """The width the list draws its rows at now."""
        return max(1, self._view.viewport().width() - 2 * self._view.spacing())

    def height_at(self, index: QModelIndex | QPersistentModelIndex, width: int) -> int:
        """The height of index's row were it drawn at width: for a list about to be resized, which
        lays its rows out only once it has been."""
        option = QStyleOptionViewItem()
        self._view.initViewItemOption(option)
        return self._size_at(option, index, width).height()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        if not self._view.wordWrap():
            return super().sizeHint(option, index)
        return self._size_at(option, index, self.row_width())

    def _size_at(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex, width: int) -> QSize:
        width = max(1, width)
        drawn_at = QStyleOptionViewItem(option)
        # a rect with no height is not valid, and Qt then lays the text out in one unwrapped line
        drawn_at.rect = QRect(option.rect.x(), option.rect.y(), width, max(1, option.rect.height()))
        hint = super().sizeHint(drawn_at, index)
        return QSize(min(hint.width(), width), hint.height())
