"""Starts the Qt application: settings, theme, content, the main window, or a screenshot."""

from __future__ import annotations

import argparse
import os
import sys
import threading
from pathlib import Path

from cma_desktop import APP_NAME, __version__
from cma_desktop.content.loader import load_content
from cma_desktop.content.model import Content
from cma_desktop.content.problems import ContentError
from cma_desktop.locations import (
    APPLICATION,
    ORGANIZATION,
    bundled_content_path,
    choose_data_dir,
    content_pack_paths,
    platform_data_dir,
    resources_dir,
)
from cma_desktop.store.notes_store import NotesStore, StoreError

_MAX_PROBLEMS_SHOWN = 20
_BACKUP_INTERVAL_MS = 10 * 60 * 1000
_PNG_QUALITY = 80  # as small as the default setting and faster to write


def _problems_text(error: ContentError) -> str:
    lines = [str(p) for p in error.problems[:_MAX_PROBLEMS_SHOWN]]
    if len(error.problems) > _MAX_PROBLEMS_SHOWN:
        lines.append(f"... and {len(error.problems) - _MAX_PROBLEMS_SHOWN} more")
    return "\n".join(lines)


def load_app_content(packs: list[Path]) -> Content:
    return load_content([bundled_content_path(), *packs])


def run(args: argparse.Namespace) -> int:
    if args.screenshot:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a screenshot never needs a display
    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from cma_desktop.views.main_window import MainWindow
    from cma_desktop.views.theme import ThemeController, ZoomController, saved_theme

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("cma-desktop")
    icon_path = resources_dir() / "icons" / "cma-desktop.svg"
    if icon_path.exists():
        app.setWindowIcon(QIcon(str(icon_path)))

    try:
        content = load_app_content(content_pack_paths(args.content))
    except ContentError as error:
        message = "The content could not be loaded:\n" + _problems_text(error)
        print(f"cma-desktop: {message}", file=sys.stderr)
        if not args.screenshot:
            box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, message)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.exec()
        return 1

    settings = QSettings()
    theme = ThemeController(app)
    theme.apply(args.theme or saved_theme(settings))
    zoom = ZoomController(app, settings)
    data_dir = choose_data_dir(args.data_dir, platform_data_dir)
    store, store_message = _open_store(data_dir.path)
    window = MainWindow(content, settings, theme, zoom, data_dir_text=str(data_dir.path), store=store)
    if args.tab:
        window.show_tab(args.tab)
    if args.size:
        window.resize(*args.size)

    if args.screenshot:
        if store_message:
            print(f"cma-desktop: {store_message}", file=sys.stderr)
        return _screenshot(app, window, Path(args.screenshot))
    window.show()
    # The search index is built off the UI thread once the window is up; a search before it is
    # ready simply waits for it.
    QTimer.singleShot(0, lambda: threading.Thread(target=window.searcher.build, name="search-index", daemon=True).start())
    if store_message:
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, store_message, QMessageBox.StandardButton.Ok, window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()
    if store is not None:
        backups = QTimer(window)  # a backup every ten minutes when something changed, and one at exit
        backups.timeout.connect(store.backup_if_changed)
        backups.start(_BACKUP_INTERVAL_MS)
    try:
        return app.exec()
    finally:
        if store is not None:
            store.close()


def _open_store(data_dir: Path) -> tuple[NotesStore | None, str]:
    """The notes store and what the user must be told about it (recovery, read-only, refusal)."""
    try:
        store = NotesStore(data_dir)
    except StoreError as error:
        return None, f"{error}\n\nNotes and bookmarks are switched off for this session."
    if store.recovery is not None:
        return store, store.recovery.message()
    if store.read_only:
        return store, f"Notes are read-only for this session: {store.read_only_reason}. You can read them but not change them."
    return store, ""


def _screenshot(app: object, window: object, target: Path) -> int:
    from PySide6.QtWidgets import QApplication, QMainWindow

    assert isinstance(app, QApplication) and isinstance(window, QMainWindow)
    window.show()
    for _ in range(3):  # let layouts settle and paint before grabbing
        app.processEvents()
    pixmap = window.grab()
    # PNG unless the name asks for another format Qt writes (the benchmark uses BMP: no encoding cost).
    suffix = target.suffix.lower().lstrip(".")
    image_format = "BMP" if suffix == "bmp" else "PNG"
    if not pixmap.save(str(target), image_format, _PNG_QUALITY if image_format == "PNG" else -1):
        print(f"cma-desktop: cannot write the screenshot to {target}", file=sys.stderr)
        return 1
    window.close()
    return 0
