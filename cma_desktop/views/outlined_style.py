"""Visible outlines for fields, lists, buttons and check marks in the app's own dark palette."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QWidget

_Element = QStyle.PrimitiveElement


class OutlinedControls(QProxyStyle):
    """Fusion outlines text fields, lists, buttons and the boxes of check boxes and radio buttons
    in the window colour made darker, which on a dark window is all but invisible (1.1:1). With the
    app's own dark palette they are outlined in its Mid colour instead, at 3:1 or more, so each
    control can be told from what is around it. A focused field or button keeps Fusion's
    highlighted ring."""

    # How each outline is drawn: a rectangle with this corner radius, or (None) a circle.
    _OUTLINES: dict[QStyle.PrimitiveElement, float | None] = {
        _Element.PE_FrameLineEdit: 2.0,
        _Element.PE_PanelButtonCommand: 2.0,
        _Element.PE_Frame: 0.0,
        _Element.PE_IndicatorCheckBox: 1.0,
        _Element.PE_IndicatorRadioButton: None,
    }
    # Fusion rings these itself when they have the keyboard; a focused list or text editor (PE_Frame)
    # gets no ring from it, so its outline is drawn in the highlight colour instead.
    _RINGED_WHEN_FOCUSED = (_Element.PE_FrameLineEdit, _Element.PE_PanelButtonCommand)

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption, painter: QPainter,
                      widget: QWidget | None = None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element not in self._OUTLINES:
            return
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus)
        if element in self._RINGED_WHEN_FOCUSED and focused:
            return
        radius = self._OUTLINES[element]
        shape = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        ring = focused and element == _Element.PE_Frame
        painter.setPen(option.palette.color(QPalette.ColorRole.Highlight if ring else QPalette.ColorRole.Mid))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if radius is None:
            painter.drawEllipse(shape)
        else:
            painter.drawRoundedRect(shape, radius, radius)
        painter.restore()
