"""Starts the Qt application: settings, theme, content, the main window, or a screenshot."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING
from pathlib import Path

from cma_desktop import APP_NAME, __version__
from cma_desktop.placeholders import fill
from cma_desktop.content.cache import load_with_packs_cached
from cma_desktop.content.problems import ContentError
from cma_desktop.locations import (
    APPLICATION,
    ORGANIZATION,
    DataDirChoice,
    app_dir,
    bundled_content_path,
    content_cache_for,
    choose_data_dir,
    content_pack_paths,
    platform_data_dir,
    policy_paths,
    portable_data_dir,
    resources_dir,
    site_pack_paths,
    system_config_dirs,
)
from cma_desktop.policy import load_policy
from cma_desktop.views.single_instance import LOCK_NAME, DataDirLock, lock_data_dir
from cma_desktop.store.notes_store import NotesStore, StoreError

_MAX_PROBLEMS_SHOWN = 20
_BACKUP_INTERVAL_MS = 10 * 60 * 1000
_PNG_QUALITY = 80  # as small as the default setting and faster to write


def _problems_text(problems: Sequence[object]) -> str:
    lines = [str(p) for p in problems[:_MAX_PROBLEMS_SHOWN]]
    if len(problems) > _MAX_PROBLEMS_SHOWN:
        lines.append(f"... and {len(problems) - _MAX_PROBLEMS_SHOWN} more")
    return "\n".join(lines)


if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from cma_desktop.views.main_window import MainWindow


def run(args: argparse.Namespace) -> int:
    if args.screenshot:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a screenshot never needs a display
    elif _no_display():  # Qt would abort the process with a message about reinstalling
        print("cma-desktop: there is no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set). "
              "Start it from a desktop session; in a terminal, --screenshot, export-notes and import-notes work.",
              file=sys.stderr)
        return 1
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from cma_desktop.views.main_window import MainWindow
    from cma_desktop.views.theme import ThemeController, ZoomController, saved_theme

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("cma-desktop")
    icon_path = resources_dir() / "icons" / "cma-desktop.svg"
    if icon_path.exists():
        app.setWindowIcon(QIcon(str(icon_path)))

    config_dirs = system_config_dirs()
    policy, warnings = load_policy(policy_paths(config_dirs))
    try:
        site_packs, untrusted = site_pack_paths(config_dirs)
        warnings += untrusted
        packs = content_pack_paths(args.content, site_packs=site_packs)
        content, skipped = load_with_packs_cached(bundled_content_path(), packs, content_cache_for(policy.ephemeral, portable_data_dir(app_dir())))
    except ContentError as error:
        return _refuse_to_start(QCoreApplication.translate("Startup", "The content could not be loaded:") + "\n"
                                + _problems_text(error.problems), not args.screenshot)

    if skipped:
        files = sorted({p.file for p in skipped})
        warnings.append(fill(QCoreApplication.translate(
            "Startup", "Skipped because of the problems below (everything else loaded): %1") + "\n",
            ", ".join(files)) + _problems_text(skipped))

    if policy.ephemeral:  # a shared guest account: nothing outlives the session
        from cma_desktop.views.guest_session import new_guest_folder

        data_dir = DataDirChoice(new_guest_folder(), "policy (guest session)")
    else:
        data_dir = choose_data_dir(args.data_dir, platform_data_dir, policy_dir=policy.data_dir,
                                   portable_dir=portable_data_dir(app_dir()))
    if policy.ephemeral or data_dir.origin == "portable":
        # Preferences, and Qt's own (the file dialogs' recent folders), stay with the data: the next
        # user of a guest account sees none of them, and a USB stick leaves nothing on the host.
        # (Both formats: Qt's own dialogs use the native one, a file on Linux; Windows and macOS
        # keep that in the registry and preferences, out of reach of setPath.)
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        for settings_format in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
            QSettings.setPath(settings_format, QSettings.Scope.UserScope, str(data_dir.path / "settings"))
    settings = QSettings()
    if args.screenshot:  # reads the user's settings but writes none back: a copy in a folder deleted at exit
        scratch = tempfile.mkdtemp(prefix="cma-desktop-screenshot-")
        settings = _settings_copy(settings, Path(scratch) / "settings.ini")
    theme = ThemeController(app)
    theme.apply(policy.theme or args.theme or saved_theme(settings))  # policy wins over the user's choice
    zoom = ZoomController(app, settings)
    lock, store = DataDirLock(None), None
    try:  # from here on, whatever happens, the store is closed and a guest folder wiped
        if args.screenshot:  # a screenshot only reads: no lock, and nothing is written to the data folder
            store, store_message = _open_store(data_dir.path, read_only=True)
        else:
            lock = lock_data_dir(data_dir.path)
            declined = False
            if not lock.held_by_us and lock.other_computer:
                if _ask_take_over(data_dir.path, lock.holder):
                    lock = lock_data_dir(data_dir.path, take_over=True)
                else:
                    declined = True
            if declined:  # the user chose to leave it: told once, on the terminal, after their own answer
                return _refuse_to_start(fill(QCoreApplication.translate(
                    "Startup", "CMA Career Explorer was not opened: your data folder %1 is in use on another "
                    "computer (%2). Close the app there first."), data_dir.path, lock.holder), False)
            if not lock.held_by_us:
                where = f" ({lock.holder})" if lock.holder else ""
                return _refuse_to_start(fill(QCoreApplication.translate(
                    "Startup", "CMA Career Explorer is already open with the data folder %1%2. Switch to that window; "
                    "a second copy would write to the same notes. If no copy is open anywhere (it crashed on a "
                    "computer with the same name), delete %3 and start again."),
                    data_dir.path, where, data_dir.path / LOCK_NAME), True)
            store, store_message = _open_store(data_dir.path, why_unwritable=lock.why_not_writable)
        if store_message:
            warnings.insert(0, store_message)
        window = MainWindow(content, settings, theme, zoom, data_dir_text=str(data_dir.path), store=store, policy=policy)
        if args.screenshot:  # first: they may explain why a tab asked for is missing
            for warning in warnings:
                print(f"cma-desktop: {warning}", file=sys.stderr)
        if args.tab and not window.show_tab(args.tab):  # only "local" can be missing: it comes with a pack
            print("cma-desktop: there is no Local tab: it appears only when a career center's content pack brings "
                  "local programs, contacts or pay.", file=sys.stderr)
            if args.screenshot:  # the picture asked for cannot be taken
                return 1
        if args.size:
            window.resize(*args.size)
        elif args.screenshot:  # no screen to fit: the size a first start has on a roomy one
            from cma_desktop.views.main_window import DEFAULT_SIZE

            window.resize(DEFAULT_SIZE)
        if args.screenshot:
            with _offscreen_size_hint_notice_dropped():
                return _screenshot(app, window, Path(args.screenshot))
        return _run_window(app, window, "\n\n".join(warnings))
    finally:
        if store is not None:
            store.close()
        lock.release()
        if policy.ephemeral:
            shutil.rmtree(data_dir.path, ignore_errors=True)
        if args.screenshot:
            shutil.rmtree(scratch, ignore_errors=True)


def _settings_copy(settings: QSettings, path: Path) -> QSettings:
    from PySide6.QtCore import QSettings

    copy = QSettings(str(path), QSettings.Format.IniFormat)
    for key in settings.allKeys():
        copy.setValue(key, settings.value(key))
    return copy


def _no_display() -> bool:
    """On Linux and the BSDs, whether a window has nowhere to go (an SSH session, a service)."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")) or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _refuse_to_start(message: str, show_dialog: bool) -> int:
    """Says why the app cannot start, on stderr and (with a window) in a dialog; exit status 1."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    print(f"cma-desktop: {message}", file=sys.stderr)
    if show_dialog:
        box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, message)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()
    return 1


def _run_window(app: QApplication, window: MainWindow, warnings: str) -> int:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QMessageBox

    from cma_desktop.views.session_end import close_on_signals

    window.show()
    window.focus_current_tab()  # keyboard users start in the tab's list, not on the tab bar
    if window.notice.isVisible():  # a guest session: what will be deleted is said, not only shown
        window.notice.tell()
    # The search index is built off the UI thread once the window is up; a search before it is
    # ready simply waits for it.
    QTimer.singleShot(0, lambda: threading.Thread(target=window.searcher.build, name="search-index", daemon=True).start())
    if warnings:
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, warnings, QMessageBox.StandardButton.Ok, window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()
    if window.backups is not None:  # every ten minutes when something changed; the window backs up on close too
        window.backups.start_every(_BACKUP_INTERVAL_MS)
    close_on_signals(app, window)
    return app.exec()


def _ask_take_over(folder: Path, holder: str) -> bool:
    """Another computer's copy holds the folder (a shared network folder). If that computer
    crashed, its lock would stay forever, so the user may take it over."""
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, APP_NAME, fill(QCoreApplication.translate(
        "Startup", "Your data folder %1 is in use by CMA Career Explorer on another computer (%2). If that copy "
        "is still open there, close it first: two copies must not write to the same notes. If that computer "
        "crashed or was switched off, you can open your notes here."), folder, holder))
    box.setTextFormat(Qt.TextFormat.PlainText)
    take_over = box.addButton(QCoreApplication.translate("Startup", "Open here anyway"), QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is take_over


def _open_store(data_dir: Path, read_only: bool = False, why_unwritable: str = "") -> tuple[NotesStore | None, str]:
    """The notes store and what the user must be told about it (recovery, read-only, refusal).
    read_only: asked for (a screenshot), nothing to tell; why_unwritable: why the lock file could
    not be written there, so no copy may save (a second one could start too); the user is told."""
    try:
        store = NotesStore(data_dir, read_only=read_only or bool(why_unwritable),
                           why_read_only=f"the data folder {data_dir} {why_unwritable}" if why_unwritable else None)
    except StoreError as error:
        return None, f"{error}\n\nNotes and bookmarks are switched off for this session."
    if store.recovery is not None:
        return store, store.recovery.message()
    if store.read_only and not read_only:
        return store, f"Notes are read-only for this session: {store.read_only_reason}. You can read them but not change them."
    return store, ""


_NO_SIZE_HINTS = "This plugin does not support propagateSizeHints()"


@contextlib.contextmanager
def _offscreen_size_hint_notice_dropped() -> Iterator[None]:
    """Qt's offscreen platform prints a notice for every window with a minimum size, which a
    screenshot never needs; on a terminal it reads like a problem. Every other message passes on."""
    from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if message == _NO_SIZE_HINTS:
            return
        if previous is not None:
            previous(kind, context, message)
        else:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)


def _why_not_writable(target: Path) -> str:
    """Qt says only that an image was not saved; the likely reason, from the file system."""
    folder = target.parent
    if not folder.exists():
        return f": the folder {folder} does not exist"
    if not folder.is_dir():
        return f": {folder} is not a folder"
    if target.is_dir():
        return ": that is a folder"
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        return ": no permission to write there"
    return " (the disk may be full)"


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
        print(f"cma-desktop: cannot write the screenshot to {target}{_why_not_writable(target)}", file=sys.stderr)
        return 1
    window.hide()  # not closed: closing saves the window's size and tab, and a screenshot changes nothing
    return 0
