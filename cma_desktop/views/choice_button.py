"""A radio button whose text wraps, for quiz choices a sentence long."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QRadioButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStyleOptionFocusRect,
    QStylePainter,
    QWidget,
)

_WRAP = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
_START_TOP = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
_MIN_CHARACTERS = 16  # the narrowest it gets before the window must grow: a few words a line


class WrappingRadioButton(QRadioButton):
    """QRadioButton keeps its text on one line, so a long answer made the window wider than the
    screen. This one takes the width it is given and grows in height, like a wrapped label; its
    text, state and accessibility are the radio button's own."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _option(self, width: int, height: int) -> QStyleOptionButton:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.rect = QRect(0, 0, width, height)
        return option

    def _text_rect(self, width: int, height: int) -> QRect:
        return self.style().subElementRect(QStyle.SubElement.SE_RadioButtonContents, self._option(width, height), self)

    def _text_height(self, width: int) -> int:
        area = self._text_rect(width, 10_000)
        return self.fontMetrics().boundingRect(QRect(0, 0, max(1, area.width()), 10_000), int(_WRAP), self.text()).height()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        indicator = self.style().pixelMetric(QStyle.PixelMetric.PM_ExclusiveIndicatorHeight, None, self)
        return max(self._text_height(width), indicator) + 2

    def sizeHint(self) -> QSize:
        natural = super().sizeHint()  # the whole text on one line
        return QSize(natural.width(), self.heightForWidth(natural.width()))

    def minimumSizeHint(self) -> QSize:
        # One line high: the layout asks heightForWidth for the width it gives. (The height at the
        # narrowest width would make a long answer claim five lines, and the page scroll.)
        indicator = self.style().pixelMetric(QStyle.PixelMetric.PM_ExclusiveIndicatorHeight, None, self)
        return QSize(self.fontMetrics().averageCharWidth() * _MIN_CHARACTERS,
                     max(self.fontMetrics().height(), indicator) + 2)

    def _flags(self) -> int:
        """Wrapped, from the top, at the side the text starts from (the right, right to left)."""
        return int(QStyle.visualAlignment(self.layoutDirection(), _START_TOP)) | int(Qt.TextFlag.TextWordWrap)

    def hitButton(self, pos: QPoint) -> bool:
        """The indicator and every line of the text, not the empty rest of the row."""
        option = self._option(self.width(), self.height())
        indicator = self.style().subElementRect(QStyle.SubElement.SE_RadioButtonIndicator, option, self)
        text = self.fontMetrics().boundingRect(self._text_rect(self.width(), self.height()), self._flags(),
                                               self.text())
        return indicator.united(text).adjusted(-2, -2, 2, 2).contains(pos)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = self._option(self.width(), self.height())
        text_rect = self._text_rect(self.width(), self.height())
        indicator = self.style().subElementRect(QStyle.SubElement.SE_RadioButtonIndicator, option, self)
        indicator.moveTop(text_rect.top() + (self.fontMetrics().height() - indicator.height()) // 2)  # by the first line
        option.rect = indicator
        painter.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorRadioButton, option)
        painter.drawItemText(text_rect, self._flags(), self.palette(), self.isEnabled(), self.text(),
                             QPalette.ColorRole.WindowText)
        if self.hasFocus() and option.state & QStyle.StateFlag.State_HasFocus:
            focus = QStyleOptionFocusRect()
            focus.initFrom(self)
            focus.rect = self.fontMetrics().boundingRect(text_rect, self._flags(), self.text()).adjusted(-2, -1, 2, 1)
            painter.drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, focus)
