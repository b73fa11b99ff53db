"""Colour scheme (System, Light, Dark) and text size, both remembered in QSettings."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("system", "light", "dark")
THEME_KEY = "view/theme"
ZOOM_KEY = "view/zoom_steps"
ZOOM_RANGE = (-4, 10)
_SCHEMES = {"system": Qt.ColorScheme.Unknown, "light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}


def _dark_palette() -> QPalette:
    """Used only where the platform cannot switch schemes itself (offscreen, bare X11)."""
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#202124",
        QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#17181a",
        QPalette.ColorRole.AlternateBase: "#26282b",
        QPalette.ColorRole.ToolTipBase: "#303134",
        QPalette.ColorRole.ToolTipText: "#e8eaed",
        QPalette.ColorRole.PlaceholderText: "#9aa0a6",
        QPalette.ColorRole.Text: "#e8eaed",
        QPalette.ColorRole.Button: "#2d2f33",
        QPalette.ColorRole.ButtonText: "#e8eaed",
        QPalette.ColorRole.BrightText: "#ffffff",
        QPalette.ColorRole.Light: "#3c4043",
        QPalette.ColorRole.Midlight: "#34363a",
        QPalette.ColorRole.Mid: "#70747a",  # outlines of fields, lists and buttons (OutlinedControls)
        QPalette.ColorRole.Dark: "#121314",
        QPalette.ColorRole.Shadow: "#000000",
        QPalette.ColorRole.Highlight: "#8ab4f8",
        QPalette.ColorRole.HighlightedText: "#202124",
        QPalette.ColorRole.Link: "#8ab4f8",
        QPalette.ColorRole.LinkVisited: "#c58af9",
    }
    for role, color in roles.items():
        palette.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#80868b"))
    return palette


class ThemeController:
    """Applies a scheme through Qt's colour-scheme support, with a palette where the platform has none."""

    # The name of the platform's style while the outlined one stands in for it. Kept with the class,
    # as the application's style is one for the whole process.
    _replaced_style: ClassVar[str | None] = None

    def __init__(self, app: QApplication) -> None:
        self._app = app
        self._system_palette = QPalette(app.palette())
        self.current = "system"

    def apply(self, theme: str) -> None:
        if theme not in THEMES:
            theme = "system"
        self.current = theme
        hints = QGuiApplication.styleHints()
        if theme == "system":
            hints.unsetColorScheme()
        else:
            hints.setColorScheme(_SCHEMES[theme])
        own_dark = theme == "dark" and hints.colorScheme() != _SCHEMES[theme]
        self._use_outlined_controls(own_dark)
        if theme == "system" or hints.colorScheme() == _SCHEMES[theme]:
            self._app.setPalette(self._system_palette)
        elif own_dark:
            self._app.setPalette(_dark_palette())
        else:
            self._app.setPalette(self._app.style().standardPalette())

    def _use_outlined_controls(self, wanted: bool) -> None:
        """Switches between the platform's style and the same style with visible outlines. The
        application owns its style and deletes the one it replaces, so each switch makes a new one.
        Style classes are touched only on a switch: creating their Python types costs start-up time."""
        replaced = ThemeController._replaced_style
        if (replaced is not None) == wanted:
            return
        from PySide6.QtWidgets import QStyleFactory

        if replaced is None:
            from cma_desktop.views.outlined_style import OutlinedControls

            name = self._app.style().name()
            self._app.setStyle(OutlinedControls(QStyleFactory.create(name)))
            ThemeController._replaced_style = name
        else:
            self._app.setStyle(QStyleFactory.create(replaced))
            ThemeController._replaced_style = None

    def is_dark(self) -> bool:
        window = self._app.palette().color(QPalette.ColorRole.Window)
        return window.lightness() < 128


def saved_theme(settings: QSettings) -> str:
    value = str(settings.value(THEME_KEY, "system"))
    return value if value in THEMES else "system"


class ZoomController:
    """Text size in steps of one point around the system font, applied to the whole app."""

    def __init__(self, app: QApplication, settings: QSettings) -> None:
        self._app = app
        self._settings = settings
        self._base_size = app.font().pointSizeF()
        self.steps = 0
        try:
            self.set_steps(int(str(settings.value(ZOOM_KEY, 0))))
        except (TypeError, ValueError):
            self.set_steps(0)

    def set_steps(self, steps: int) -> None:
        self.steps = max(ZOOM_RANGE[0], min(ZOOM_RANGE[1], steps))
        font = QFont(self._app.font())
        font.setPointSizeF(self._base_size + self.steps)
        self._app.setFont(font)
        self._settings.setValue(ZOOM_KEY, self.steps)

    def larger(self) -> None:
        self.set_steps(self.steps + 1)

    def smaller(self) -> None:
        self.set_steps(self.steps - 1)

    def reset(self) -> None:
        self.set_steps(0)
