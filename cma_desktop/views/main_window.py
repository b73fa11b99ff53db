"""The main window: the content tabs, menus, status bar and remembered window state."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cma_desktop import APP_NAME, __version__
from cma_desktop.placeholders import fill
from cma_desktop.content.model import DUTY_CATEGORY_LABELS, FAQ_CATEGORY_LABELS, Content
from cma_desktop.policy import Policy
from cma_desktop.search import LOCAL_CENTER, LOCAL_PROGRAM, LOCAL_WAGE, NOTE_PREFIX, OVERVIEW_INTRO, QUICK_FACT
from cma_desktop.store.notes_store import NotesStore, StoreError
from cma_desktop.views.announce import announce
from cma_desktop.views.background_backup import BackgroundBackups
from cma_desktop.views.focus import focus_ring_kept, focus_tab_start, give_keyboard_focus, keeps_focus_ring
from cma_desktop.views.message_box import show_message
from cma_desktop.views.notice import Notice
from cma_desktop.views.overview_tab import OverviewTab
from cma_desktop.views.search_field import SearchField
from cma_desktop.views.study_tab import StudyTab
from cma_desktop.views.theme import THEME_KEY, THEMES, ThemeController, ZoomController
from cma_desktop.views.topic_tab import TopicTab

if TYPE_CHECKING:
    from cma_desktop.search.engine import Searcher
    from cma_desktop.views.local_tab import LocalTab
    from cma_desktop.views.notes_dock import NotesDock
    from cma_desktop.views.search_panel import SearchResultsPanel

GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"
TAB_KEY = "window/tab"
NOTES_OPEN_KEY = "window/notes_open"
DEFAULT_SIZE = QSize(1180, 780)


_NOTES_DOCK_SHARE = 0.3  # of the window's width, at most, unless the dock needs more


class MainWindow(QMainWindow):
    def __init__(
        self,
        content: Content,
        settings: QSettings,
        theme: ThemeController,
        zoom: ZoomController,
        data_dir_text: str = "",
        store: NotesStore | None = None,
        policy: Policy | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.policy = policy or Policy()
        self.content = content
        self.settings = settings
        self.theme = theme
        self.zoom = zoom
        self.data_dir_text = data_dir_text
        self.store = store
        self.setWindowTitle(APP_NAME)
        self.setObjectName("main-window")

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("Sections"))
        self.tabs.setDocumentMode(True)
        self.overview_tab = OverviewTab(content, self)
        self.topic_tabs: dict[str, TopicTab] = {
            "duties": TopicTab("duties", self.tr("Duties"), content.duties, content, DUTY_CATEGORY_LABELS, self),
            "specializations": TopicTab("specializations", self.tr("Specializations"), content.specializations, content, None, self),
            "settings": TopicTab("settings", self.tr("Work Settings"), content.settings, content, None, self),
            "faq": TopicTab("faq", self.tr("FAQ"), content.faq, content, FAQ_CATEGORY_LABELS, self),
        }
        for tab in self.topic_tabs.values():
            tab.bookmarks_writable = store is not None and not store.read_only  # the button follows when made
        self.study_tab = StudyTab(content, store, self)
        self.study_tab.openTopic.connect(self.go_to_item)
        self.tab_names = ["overview", *self.topic_tabs, "study"]
        self.tabs.addTab(self.overview_tab, self.tr("Overview"))
        for tab in self.topic_tabs.values():
            self.tabs.addTab(tab, tab.accessibleName())
            tab.linkActivated.connect(self.go_to_item)
            tab.topicShown.connect(self._topic_shown)
            tab.bookmarkToggled.connect(self.set_bookmark)
        self.tabs.addTab(self.study_tab, self.tr("Study"))
        self.local_tab: LocalTab | None = None
        if content.has_local:  # a career center's pack brought programs, contacts or local pay
            from cma_desktop.views.local_tab import LocalTab  # most computers have no local pack

            self.local_tab = LocalTab(content, self)
            self.tab_names.append("local")
            self.tabs.addTab(self.local_tab, self.tr("Local"))
        for index in range(self.tabs.count()):
            self.tabs.setTabToolTip(index, fill(self.tr("%1 (Ctrl+%2)"), self.tabs.tabText(index), str(index + 1)))
        central = QWidget(self)
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        keep = (self.tr("Use File > Export notes to keep them.") if self.policy.allow_export
                else self.tr("Copy anything you want to keep somewhere else before you close it."))
        self.notice = Notice(self.tr("Guest session notice"), self.tr(
            "This is a guest session: your notes, bookmarks and study progress are deleted when you close the app.")
            + " " + keep, central)
        self.notice.setVisible(self.policy.ephemeral)
        self.damage_notice = Notice(self.tr("Notes file notice"), self.tr(
            "Your notes file is damaged on disk, so no backup was made of it: your backups stay as they were. "
            "Close CMA Career Explorer and open it again to restore your notes from the latest good backup; "
            "the damaged file is kept."), central)
        self.damage_notice.hide()
        self.backup_notice = Notice(self.tr("Backups notice"), "", central)
        self.backup_notice.hide()
        central_layout.addWidget(self.notice)
        central_layout.addWidget(self.damage_notice)
        central_layout.addWidget(self.backup_notice)
        central_layout.addWidget(self.tabs)
        self.setCentralWidget(central)

        # The notes dock, the searcher and the results panel are made when first needed, which
        # keeps start-up quick; the properties below create them.
        self._notes_dock: NotesDock | None = None
        self._searcher: Searcher | None = None
        self._search_panel: SearchResultsPanel | None = None
        self._build_search()
        self._refresh_bookmark_marks()
        self.backups = BackgroundBackups(store, self) if store is not None else None
        if self.backups is not None:
            self.backups.damageFound.connect(self._notes_file_damaged)
            self.backups.failing.connect(self._backups_failing)
        # Logging out can end the app without closing its window: the note being typed is saved then too.
        application = QCoreApplication.instance()
        if application is not None:
            application.aboutToQuit.connect(self.flush_notes)

        self._build_menus()
        self._build_status_bar()
        self._restore_state()
        self.tabs.currentChanged.connect(self._tab_changed)
        self._sync_note_to_tab()

    # -- construction ------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.export_action = file_menu.addAction(self.tr("&Export notes..."))
        self.export_action.triggered.connect(self.export_notes)
        self.import_action = file_menu.addAction(self.tr("&Import notes..."))
        self.import_action.triggered.connect(self.import_notes)
        self.export_action.setEnabled(self.store is not None and self.policy.allow_export)
        self.import_action.setEnabled(self.store is not None and self.policy.allow_import and not self.store.read_only)
        for action, allowed in ((self.export_action, self.policy.allow_export), (self.import_action, self.policy.allow_import)):
            if not allowed:
                action.setToolTip(self.tr("Switched off on this computer by its administrator"))
        self.clear_action = file_menu.addAction(self.tr("&Clear my data..."))
        self.clear_action.triggered.connect(self.clear_my_data)
        self.clear_action.setEnabled(self.store is not None and not self.store.read_only)
        file_menu.addSeparator()
        quit_action = file_menu.addAction(self.tr("&Quit"))
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)

        go_menu = self.menuBar().addMenu(self.tr("&Go"))
        for index in range(self.tabs.count()):
            action = go_menu.addAction(self.tabs.tabText(index))
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _checked=False, i=index: self.switch_to_tab(i))
        go_menu.addSeparator()
        search_action = go_menu.addAction(self.tr("&Search everything"))
        search_action.setShortcut(QKeySequence("Ctrl+K"))
        search_action.triggered.connect(self.focus_search)
        find_action = go_menu.addAction(self.tr("&Filter topics"))
        find_action.setShortcut(QKeySequence.StandardKey.Find)
        find_action.triggered.connect(self.focus_filter)

        self.bookmark_action = go_menu.addAction(self.tr("&Bookmark this topic"))
        self.bookmark_action.setShortcut(QKeySequence("Ctrl+D"))
        self.bookmark_action.triggered.connect(self.toggle_current_bookmark)
        self.bookmark_action.setEnabled(self.store is not None and not self.store.read_only)

        view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.notes_action = view_menu.addAction(self.tr("My &notes"))
        self.notes_action.setCheckable(True)
        self.notes_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.notes_action.triggered.connect(self.toggle_notes)
        self.notes_action.setEnabled(self.store is not None)
        view_menu.addSeparator()
        self.larger_action = view_menu.addAction(self.tr("&Larger text"))
        self.larger_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.ZoomIn), QKeySequence("Ctrl+=")])
        self.larger_action.triggered.connect(self.zoom.larger)
        self.smaller_action = view_menu.addAction(self.tr("&Smaller text"))
        self.smaller_action.setShortcut(QKeySequence.StandardKey.ZoomOut)
        self.smaller_action.triggered.connect(self.zoom.smaller)
        self.reset_zoom_action = view_menu.addAction(self.tr("&Reset text size"))
        self.reset_zoom_action.setShortcut(QKeySequence("Ctrl+0"))
        self.reset_zoom_action.triggered.connect(self.zoom.reset)
        view_menu.addSeparator()
        theme_menu = view_menu.addMenu(self.tr("&Theme"))
        self.theme_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        labels = {"system": self.tr("&System"), "light": self.tr("&Light"), "dark": self.tr("&Dark")}
        for theme in THEMES:
            action = theme_menu.addAction(labels[theme])
            action.setCheckable(True)
            action.setChecked(theme == self.theme.current)
            action.triggered.connect(lambda _checked=False, t=theme: self.set_theme(t))
            group.addAction(action)
            self.theme_actions[theme] = action
            action.setEnabled(self.policy.theme is None)  # an administrator's theme is fixed

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        sources_action = help_menu.addAction(self.tr("&Sources"))
        sources_action.triggered.connect(self.show_sources)
        about_action = help_menu.addAction(self.tr("&About %1").replace("%1", APP_NAME))
        about_action.setMenuRole(QAction.MenuRole.AboutRole)
        about_action.triggered.connect(self.show_about)

    def _build_search(self) -> None:
        toolbar = self.addToolBar(self.tr("Search"))
        toolbar.setObjectName("search-toolbar")
        toolbar.setMovable(False)
        toolbar.setFloatable(False)
        spacer = QWidget(toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        self.search_field = SearchField(toolbar)
        self.search_field.setAccessibleName(self.tr("Search"))
        self.search_field.setPlaceholderText(self.tr("Search everything (Ctrl+K or /)"))
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 42)
        toolbar.addWidget(self.search_field)
        self.search_field.textChanged.connect(lambda text: self.search_panel.update_results(text))
        self.search_field.cancelled.connect(self.close_search)
        self._focus_before_search: QWidget | None = None
        slash = QShortcut(QKeySequence("/"), self)  # text fields keep their "/": they take the key first
        slash.activated.connect(self.focus_search)

    @property
    def notes_dock(self) -> NotesDock | None:
        """The My notes dock (made on first use); None when notes are switched off."""
        if self._notes_dock is None and self.store is not None:
            from cma_desktop.views.notes_dock import NotesDock

            dock = NotesDock(self.store, self.content, self)
            dock.openRequested.connect(self.open_item)
            dock.bookmarksChanged.connect(self._refresh_bookmark_marks)
            dock.noteSaved.connect(self._note_saved)
            dock.visibilityChanged.connect(self.notes_action.setChecked)
            dock.visibilityChanged.connect(self._fit_notes_dock)
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            dock.hide()  # until the user opens it; its state is remembered after that
            self._notes_dock = dock
            self._sync_note_to_tab()
        return self._notes_dock

    @property
    def searcher(self) -> Searcher:
        if self._searcher is None:
            from cma_desktop.search.engine import NotesSearch, Searcher
            from cma_desktop.views.notes_dock import describe_note

            notes = None
            if self.store is not None:
                notes = NotesSearch(self.store, lambda key, title: describe_note(self.content, key, title))
            self._searcher = Searcher(self.content, notes)
        return self._searcher

    @property
    def search_panel(self) -> SearchResultsPanel:
        if self._search_panel is None:
            from cma_desktop.views.search_panel import SearchResultsPanel

            self._search_panel = SearchResultsPanel(self.searcher, self.search_field, self)
            self._search_panel.resultActivated.connect(self.open_search_result)
            application = QCoreApplication.instance()
            if isinstance(application, QApplication):
                application.focusChanged.connect(self._hide_search_when_left)
            if self.store is not None:
                self._search_panel.bookmarked = self.store.bookmarked_keys()
        return self._search_panel

    def _hide_search_when_left(self, _old: QWidget | None, now: QWidget | None) -> None:
        """Results close when the keyboard or a click moves elsewhere in the app (Tab, Ctrl+F, the
        list), not when another application takes the focus for a moment (now is None then)."""
        panel = self._search_panel
        if panel is None or not panel.isVisible() or now is None:
            return
        if now is not self.search_field and not panel.isAncestorOf(now) and now is not panel:
            panel.hide()

    def _note_saved(self, note: object) -> None:
        if self._searcher is not None and self._searcher.notes is not None:
            self._searcher.notes.note_saved(note)  # type: ignore[arg-type]

    def focus_search(self) -> None:
        focused = self.focusWidget()
        panel = self._search_panel
        if focused is not self.search_field and (panel is None or not panel.isAncestorOf(focused)):
            self._focus_before_search = focused
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()
        if self.search_field.text().strip():
            self.search_panel.update_results(self.search_field.text())

    def close_search(self) -> None:
        if self._search_panel is not None:
            self._search_panel.hide()
        target = self._focus_before_search
        if target is not None and target.isVisible():
            caret = target.cursorPosition() if isinstance(target, QLineEdit) else -1
            give_keyboard_focus(target)
            if isinstance(target, QLineEdit):  # a filter being typed in: caret back, text not selected for replacing
                target.deselect()
                target.setCursorPosition(caret)
        else:
            self.focus_current_tab()

    def open_search_result(self, key: str, words: list[str]) -> None:
        if key.startswith(NOTE_PREFIX):
            note_key = key.removeprefix(NOTE_PREFIX)
            if self.content.find(note_key) is not None:
                self.open_item(note_key)
            dock = self.notes_dock
            if dock is not None:
                note = self.store.note(note_key) if self.store else None
                dock.show()
                dock.show_note(note_key, note.title if note else note_key)
                give_keyboard_focus(dock.editor)
            return
        kind = key.partition("/")[0]
        if kind in (LOCAL_PROGRAM, LOCAL_CENTER, LOCAL_WAGE):
            if self.local_tab is None or not self.show_tab("local") or not self.local_tab.show_entry(key, words):
                self.statusBar().showMessage(self.tr("That entry is no longer in the content."), 5000)
            return
        self.go_to_item(key, words)

    @keeps_focus_ring
    def go_to_item(self, key: str, words: list[str] | None = None) -> bool:
        """Opens an item (a search result, a related link, a study card's topic) with the keyboard
        on it: its row in the topic list, or its place on the Overview; words found are marked."""
        if key == OVERVIEW_INTRO or key.startswith(QUICK_FACT + "/"):  # parts of the Overview, not topics
            return self.show_tab("overview") and self.overview_tab.show_item(key, words or [])
        if not self.open_item(key):
            return False
        tab = self.topic_tabs.get(key.partition("/")[0])
        if tab is not None:
            tab.highlight(words or [])
            give_keyboard_focus(tab.list_view)
            return True
        return self.overview_tab.show_item(key, words or [])  # steps, credentials, advancement paths

    def changeEvent(self, event: QEvent) -> None:
        dock = getattr(self, "_notes_dock", None)  # also called while __init__ builds the window
        if event.type() == QEvent.Type.FontChange and dock is not None and dock.isVisible():
            # A dock never resized by hand follows its content's size hint, which grows with the
            # text: at large sizes it took half the window and squeezed the topic filter to nothing.
            self.resizeDocks([dock], [dock.width()], Qt.Orientation.Horizontal)
        super().changeEvent(event)

    def _fit_notes_dock(self, shown: bool = True) -> None:
        """The dock takes at most a share of a narrow window (or what it cannot do without): at
        800 pixels its own wish left the topic's text a strip, narrower still at large text sizes."""
        dock = self._notes_dock
        if not shown or dock is None or not dock.isVisible() or dock.isFloating():
            return
        widest = max(dock.minimumSizeHint().width(), int(self.width() * _NOTES_DOCK_SHARE))
        if dock.width() > widest:
            self.resizeDocks([dock], [widest], Qt.Orientation.Horizontal)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() < event.oldSize().width():
            self._fit_notes_dock()
        if self._search_panel is not None and self._search_panel.isVisible():
            self._search_panel.place()

    def _notes_file_damaged(self) -> None:
        if not self.damage_notice.isVisible():
            self.damage_notice.tell()

    def _backups_failing(self, why: str) -> None:
        """Saving goes on; the copies that would restore the notes after damage do not."""
        if not why:
            self.backup_notice.hide()
            return
        keep = (self.tr("Free some room, or use File > Export notes to keep a copy.") if self.policy.allow_export
                else self.tr("Free some room, or ask whoever looks after this computer."))
        self.backup_notice.setText(fill(self.tr(
            "Backups of your notes cannot be written: %1. Your notes themselves are saved, but nothing could "
            "restore them if the file were damaged."), why) + " " + keep)
        self.backup_notice.tell()

    def _build_status_bar(self) -> None:
        meta = self.content.meta
        self.content_label = QLabel(
            fill(self.tr("Content %1, updated %2"), meta.version, meta.updated.strftime("%d %B %Y")),
            self,
        )
        self.content_label.setTextFormat(Qt.TextFormat.PlainText)
        self.content_label.setAccessibleName(self.tr("Content version"))
        self.statusBar().addPermanentWidget(self.content_label)
        self.read_only_label = QLabel(self)
        self.read_only_label.setTextFormat(Qt.TextFormat.PlainText)
        self.read_only_label.setAccessibleName(self.tr("Notes status"))
        if self.store is not None and self.store.read_only and not self.store.read_only_by_choice:
            self.read_only_label.setText(self.tr("Notes are read-only: %1").replace("%1", self.store.read_only_reason))
            self.statusBar().addWidget(self.read_only_label, 1)

    def _restore_state(self) -> None:
        geometry = self.settings.value(GEOMETRY_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            # The first start: a comfortable size, but never more than the screen has room for
            # (a 1024x700 laptop), with space left for the window's frame and the desktop's panels.
            room = self.screen().availableGeometry()
            self.resize(min(DEFAULT_SIZE.width(), room.width() * 95 // 100),
                        min(DEFAULT_SIZE.height(), room.height() * 90 // 100))
        state = self.settings.value(STATE_KEY)
        if state is not None:
            if str(self.settings.value(NOTES_OPEN_KEY, "false")).lower() == "true":
                _ = self.notes_dock  # restoreState only places docks that exist
            self.restoreState(state)
        self.show_tab(str(self.settings.value(TAB_KEY, "overview")))

    # -- actions ------------------------------------------------------------------------
    def switch_to_tab(self, index: int) -> None:
        """Ctrl+1..: the tab, with the keyboard in its list, so arrows and Enter work at once."""
        self.tabs.setCurrentIndex(index)
        focus_tab_start(self.tabs.currentWidget(), Qt.FocusReason.ShortcutFocusReason)

    def focus_current_tab(self) -> None:
        focus_tab_start(self.tabs.currentWidget(), Qt.FocusReason.OtherFocusReason)

    def show_tab(self, name: str) -> bool:
        if name not in self.tab_names:
            return False
        self.tabs.setCurrentIndex(self.tab_names.index(name))
        return True

    def open_item(self, key: str) -> bool:
        """Shows the item with this kind/id in its tab; False when the content has no such item."""
        kind, _, item_id = key.partition("/")
        if self.content.find(key) is None:
            self.statusBar().showMessage(self.tr("That topic is no longer in the content."), 5000)
            return False
        tab = self.topic_tabs.get(kind)
        if tab is None:  # steps, credentials and advancement paths live on the Overview
            return self.show_tab("overview")
        self.show_tab(kind)
        shown = tab.show_item(item_id)
        self._sync_note_to_tab()  # also when the item was on screen already: no change would say so
        return shown

    # -- notes and bookmarks -----------------------------------------------------------------
    def _current_topic(self) -> tuple[str, str] | None:
        tab = self.topic_tabs.get(self.current_tab_name())
        if tab is None or tab.current_key() is None or tab.current_item() is None:
            return None
        return str(tab.current_key()), tab.current_item().title  # type: ignore[union-attr]

    def _sync_note_to_tab(self) -> None:
        """The note editor follows the topic on screen; the Overview keeps the last one."""
        topic = self._current_topic()
        if self._notes_dock is not None and topic is not None:
            self._notes_dock.show_note(*topic)

    def _topic_shown(self, key: str) -> None:
        topic = self._current_topic()
        if self._notes_dock is not None and topic is not None and topic[0] == key:
            self._notes_dock.show_note(*topic)

    def toggle_notes(self) -> None:
        dock = self.notes_dock
        if dock is None:
            return
        if dock.isVisible() and dock.isAncestorOf(self.focusWidget()):
            dock.hide()
            focus_tab_start(self.tabs.currentWidget(), Qt.FocusReason.ShortcutFocusReason)  # back where the reader was
            return
        dock.show()
        topic = self._current_topic()
        if topic is not None:
            dock.show_note(*topic)
        dock.editor.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def set_bookmark(self, key: str, title: str, on: bool) -> None:
        if self.store is None:
            return
        try:
            self.store.set_bookmark(key, title, on)
        except StoreError as error:
            show_message(self, QMessageBox.Icon.Warning, self.tr("Bookmark not saved"), str(error))
        self._refresh_bookmark_marks()

    def toggle_current_bookmark(self) -> None:
        topic = self._current_topic()
        if topic is None or self.store is None:
            return
        self.set_bookmark(topic[0], topic[1], not self.store.is_bookmarked(topic[0]))
        state = self.tr("Bookmarked") if self.store.is_bookmarked(topic[0]) else self.tr("Bookmark removed")
        self.statusBar().showMessage(f"{state}: {topic[1]}", 4000)
        announce(self, f"{state}: {topic[1]}")  # the status bar is not where the keyboard is

    def _refresh_bookmark_marks(self) -> None:
        if self.store is None:
            return
        keys = self.store.bookmarked_keys()
        for tab in self.topic_tabs.values():
            tab.set_bookmarked(keys)
        if self._search_panel is not None:
            self._search_panel.bookmarked = keys
        if self._notes_dock is not None:
            self._notes_dock.refresh_bookmarks()

    def export_notes(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # the file dialogs load when first used

        with focus_ring_kept(self):
            path, chosen = QFileDialog.getSaveFileName(
                self, self.tr("Export notes"), str(Path.home() / "cma-notes.md"),
                self.tr("Markdown, readable (*.md);;JSON, complete, for importing (*.json)"))
        if path:
            kind = "json" if "json" in chosen.lower() or path.lower().endswith(".json") else "md"
            target = Path(path)
            if not target.suffix:  # typed without one: the Import dialog, and other programs, go by it
                target = target.with_name(f"{target.name}.{kind}")
            self.export_notes_to(target, kind)

    def export_notes_to(self, path: Path, kind: str) -> bool:
        from cma_desktop.store.transfer import TransferError, export_json, export_markdown, write_atomically

        assert self.store is not None
        # A note that cannot be saved (a full disk) does not stop the export: getting the saved notes
        # out, say to a USB stick, is what the user needs then. They are told what is missing.
        open_note_saved = self.flush_notes()
        try:
            text = export_json(self.store) if kind == "json" else export_markdown(self.store, self.content)
            write_atomically(path, text)
        except TransferError as error:
            show_message(self, QMessageBox.Icon.Warning, self.tr("Export failed"), str(error))
            return False
        done = self.tr("Notes exported to %1").replace("%1", str(path))
        self.statusBar().showMessage(done, 6000)
        announce(self, done)  # the status bar is not where the keyboard is
        if not open_note_saved:
            show_message(self, QMessageBox.Icon.Warning, self.tr("Your note is not in the export"), self.tr(
                "Your notes were exported to %1, but the note you are writing could not be saved, so its latest "
                "text is not in the export. It is still in the editor: copy it somewhere safe.").replace("%1", str(path)))
        return True

    def clear_my_data(self) -> bool:
        """Removes this user's notes, bookmarks, study progress and backups, after asking; the
        question offers an export first. True when the data was cleared."""
        if self.store is None:
            return False
        while True:
            choice = self._ask_clear()
            if choice == "export":
                self.export_notes()
                continue
            if choice != "clear":
                return False
            break
        if self._unsaved_note_blocks(self.tr("clearing your data")):
            return False
        if self.backups is not None:
            self.backups.wait()  # a backup being written must not outlive the clearing
        cleared = False
        try:
            self.store.clear_all()
            cleared = True
        except StoreError as error:
            show_message(self, QMessageBox.Icon.Warning, self.tr("Not everything was cleared"), str(error))
            return False
        finally:  # whatever happened, show what the store holds now
            if self.backups is not None:
                self.backups.resume(file_rewritten=cleared)
            self._after_store_changed()
        self.damage_notice.hide()  # the damaged file and the backups it spoke of are gone with the rest
        self.backup_notice.hide()
        done = self.tr("Your notes, bookmarks, study progress and backups were removed.")
        self.statusBar().showMessage(done, 8000)
        announce(self, done)
        return True

    def _after_store_changed(self) -> None:
        """Every view that shows stored data reads it again (after an import or a clear)."""
        self._refresh_bookmark_marks()
        if self._searcher is not None and self._searcher.notes is not None:
            self._searcher.notes.reset()
        if self._notes_dock is not None:
            self._notes_dock.reload()
        self.study_tab.reload()

    def _unsaved_note_blocks(self, doing: str) -> bool:
        """True (after telling the user) when the open note has typing that could not be saved."""
        if self.flush_notes():
            return False
        show_message(self, QMessageBox.Icon.Warning, self.tr("Your note is not saved"), self.tr(
            "Your note could not be saved, so %1 was not done. Your text is still in the editor; "
            "free some disk space or copy the text somewhere safe, then try again.").replace("%1", doing))
        return True

    def _ask_clear(self) -> str:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Clear my data"), self.tr(
            "Remove all your notes, bookmarks, study progress and their backups from this computer? "
            "This cannot be undone. You can export your notes first to take them with you."), parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        export = box.addButton(self.tr("Export first..."), QMessageBox.ButtonRole.ActionRole)
        export.setEnabled(self.policy.allow_export)
        clear = box.addButton(self.tr("Clear my data"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        with focus_ring_kept(self):
            box.exec()
        clicked = box.clickedButton()
        return "export" if clicked is export else "clear" if clicked is clear else "cancel"

    def import_notes(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        with focus_ring_kept(self):
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Import notes"), str(Path.home()),
                                                  self.tr("Notes export (*.json);;All files (*)"))
        if path:
            self.import_notes_from(Path(path))

    def import_notes_from(self, path: Path) -> bool:
        from cma_desktop.store.transfer import TransferError, import_export

        assert self.store is not None
        if self._unsaved_note_blocks(self.tr("the import")):
            return False
        try:
            summary = import_export(self.store, path)
        except (TransferError, StoreError) as error:
            show_message(self, QMessageBox.Icon.Warning, self.tr("Nothing was imported"), str(error))
            return False
        self._after_store_changed()
        show_message(self, QMessageBox.Icon.Information, self.tr("Notes imported"), summary.message())
        return True

    def current_tab_name(self) -> str:
        return self.tab_names[self.tabs.currentIndex()]

    def focus_filter(self) -> None:
        """Ctrl+F: the tab's topic filter; where a tab has none (Overview, Study), the search field."""
        tab = self.topic_tabs.get(self.current_tab_name())
        if tab is not None:
            tab.focus_filter()
        else:
            self.focus_search()

    def set_theme(self, theme: str) -> None:
        self.theme.apply(theme)
        self.settings.setValue(THEME_KEY, self.theme.current)
        self.theme_actions[self.theme.current].setChecked(True)

    def show_sources(self) -> None:
        from cma_desktop.views.sources_dialog import SourcesDialog

        with focus_ring_kept(self):
            SourcesDialog(self.content, self).exec()

    def show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("About %1").replace("%1", APP_NAME), self.about_text(),
                          QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        with focus_ring_kept(self):
            box.exec()

    def about_text(self) -> str:
        meta = self.content.meta
        text = fill(self.tr(
            "%1 %2\n\nAn offline study and career guide for Certified Medical Assistants.\n\n"
            "Content %3, updated %4.\nNothing is sent over the network: the app works fully offline."
        ), APP_NAME, __version__, meta.version, meta.updated.strftime("%d %B %Y"))
        if self.data_dir_text:
            text += "\n\n" + self.tr("Your data folder: %1").replace("%1", self.data_dir_text)
        return text

    def _tab_changed(self, index: int) -> None:
        self.settings.setValue(TAB_KEY, self.tab_names[index])
        self._sync_note_to_tab()

    def flush_notes(self) -> bool:
        """Saves the typing in the notes panel now; False when it could not be saved (it stays there)."""
        return self._notes_dock is None or self._notes_dock.flush()

    def save_state(self) -> None:
        self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self.settings.setValue(STATE_KEY, self.saveState())
        self.settings.setValue(NOTES_OPEN_KEY, self._notes_dock is not None and self._notes_dock.isVisible())
        self.settings.setValue(TAB_KEY, self.current_tab_name())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.flush_notes():
            answer = show_message(
                self, QMessageBox.Icon.Warning, self.tr("Your note is not saved"),
                self.tr("Your last changes to the note could not be saved. Close anyway and lose them?"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                event.ignore()
                return
            if self._notes_dock is not None:
                self._notes_dock.autosave.stop()  # no more tries once the user let the text go
        if self.store is not None:
            if self.backups is not None:
                self.backups.wait()
            if self.backups is None or not self.backups.damage_found:  # a copy of a damaged file is thrown away
                self.store.backup_if_changed()  # the last one, at once: the app is closing
        self.save_state()
        super().closeEvent(event)
