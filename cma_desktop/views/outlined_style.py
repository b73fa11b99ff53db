"""Visible outlines for fields, lists and buttons in the app's own dark palette."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QWidget


class OutlinedControls(QProxyStyle):
    """Fusion outlines text fields, lists and buttons in the window colour made darker, which on a
    dark window is all but invisible (1.1:1). With the app's own dark palette they are outlined in
    its Mid colour instead, at 3:1 or more, so each control can be told from the window. A focused
    control keeps Fusion's highlighted ring."""

    _CORNER_RADIUS = {
        QStyle.PrimitiveElement.PE_FrameLineEdit: 2.0,
        QStyle.PrimitiveElement.PE_PanelButtonCommand: 2.0,
        QStyle.PrimitiveElement.PE_Frame: 0.0,
    }

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption, painter: QPainter,
                      widget: QWidget | None = None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        radius = self._CORNER_RADIUS.get(element)
        if radius is None or option.state & QStyle.StateFlag.State_HasFocus:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(option.palette.color(QPalette.ColorRole.Mid))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
        painter.restore()
