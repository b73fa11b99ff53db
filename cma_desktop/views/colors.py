"""Colour arithmetic the views share: WCAG contrast, and blending one colour toward another."""

from __future__ import annotations

from PySide6.QtGui import QColor


def _luminance(color: QColor) -> float:
    channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
                for c in (color.redF(), color.greenF(), color.blueF())]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast(first: QColor, second: QColor) -> float:
    """The WCAG contrast ratio of two opaque colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def blend(color: QColor, toward: QColor, share: float) -> QColor:
    """color moved this share of the way toward another (0: as it is; 1: the other)."""
    return QColor.fromRgbF(*(a + (b - a) * share for a, b in (
        (color.redF(), toward.redF()), (color.greenF(), toward.greenF()), (color.blueF(), toward.blueF()))))
