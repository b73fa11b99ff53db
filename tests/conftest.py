"""Shared fixtures: offscreen Qt, isolated settings, and a main window over the bundled content."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never read or write the real user's settings, data or content packs.
_SANDBOX = tempfile.mkdtemp(prefix="cma-desktop-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_SANDBOX, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_SANDBOX, "data")
os.environ["XDG_CACHE_HOME"] = os.path.join(_SANDBOX, "cache")
os.environ.pop("CMA_DESKTOP_DATA_DIR", None)
os.environ.pop("CMA_DESKTOP_CONTENT", None)

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def bundled_content() -> Any:
    from cma_desktop.content.loader import load_content
    from cma_desktop.locations import bundled_content_path

    return load_content([bundled_content_path()])


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


@pytest.fixture
def make_window(qtbot: Any, qapp: Any, bundled_content: Any, settings_path: Path) -> Iterator[Any]:
    """Builds main windows the way the app does, each reading the same settings file."""
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QFont, QPalette

    from cma_desktop.store.notes_store import NotesStore
    from cma_desktop.views.main_window import MainWindow
    from cma_desktop.views.theme import ThemeController, ZoomController, saved_theme

    original_font = QFont(qapp.font())
    original_palette = QPalette(qapp.palette())

    def build(content: Any = None, show: bool = True, data_dir: Path | None = None, clock: Any = None) -> MainWindow:
        settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
        qapp.setFont(original_font)
        theme = ThemeController(qapp)
        theme.apply(saved_theme(settings))
        zoom = ZoomController(qapp, settings)
        store = (NotesStore(data_dir, clock=clock) if clock else NotesStore(data_dir)) if data_dir is not None else None
        window = MainWindow(content or bundled_content, settings, theme, zoom, store=store)
        qtbot.addWidget(window)
        if show:  # hidden tabs render lazily, so tests look at a shown window as a user does
            window.show()
            qtbot.waitExposed(window)
        return window

    yield build
    qapp.setFont(original_font)
    qapp.setPalette(original_palette)
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.styleHints().unsetColorScheme()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
