"""Bookmarks and notes in the window: they survive closing it, lead back to their topics, travel by export."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QApplication, QLabel, QListView, QMessageBox, QPlainTextEdit, QToolButton

from cma_desktop.store.notes_store import NOTEBOOK_KEY
from cma_desktop.views.notes_model import KeyRole


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Message boxes are recorded instead of waiting for a click."""
    shown: list[str] = []

    def record(box: QMessageBox) -> int:
        assert box.textFormat() == Qt.TextFormat.PlainText  # messages quote files, never read as HTML
        shown.append(box.text())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", record)
    return shown


def close(window: Any) -> None:
    window.close()
    window.store.close()


def active(window: Any, qtbot: Any) -> Any:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    return window


def test_ctrl_d_tells_a_screen_reader_what_it_did(make_window: Any, tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    spoken: list[str] = []
    monkeypatch.setattr("cma_desktop.views.main_window.announce", lambda _widget, text: spoken.append(text))
    window = active(make_window(data_dir=tmp_path), qtbot)
    window.show_tab("duties")
    title = window.topic_tabs["duties"].current_item().title
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert spoken == [f"Bookmarked: {title}", f"Bookmark removed: {title}"]


def test_damage_found_by_a_backup_is_shown_and_the_backups_kept(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    from tests.test_notes_store import damage_table

    window = make_window(data_dir=tmp_path)
    window.store.set_bookmark("faq/pay", "Pay", True)
    window.store.save_note(NOTEBOOK_KEY, "Notebook", "worth keeping")
    assert window.store.backup_if_changed() is not None
    good = window.store.backups()
    damage_table(window.store.path, "bookmarks")
    window.store.save_note(NOTEBOOK_KEY, "Notebook", "worth keeping, and more")
    assert not window.damage_notice.isVisibleTo(window)
    assert window.backups.start()
    qtbot.waitUntil(lambda: not window.backups.running, timeout=5000)
    assert window.damage_notice.isVisibleTo(window) and "restore your notes" in window.damage_notice.text()
    assert window.damage_notice.accessibleName() == "Notes file notice"
    assert window.store.backups() == good


def test_after_damage_is_found_no_more_copies_are_made_this_session(
        make_window: Any, tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every later copy of the damaged file would fail its check and be thrown away, after
    copying the whole file: once a minute for the rest of the session, and once more at closing."""
    from tests.test_notes_store import damage_table

    window = make_window(data_dir=tmp_path)
    window.store.save_note(NOTEBOOK_KEY, "Notebook", "worth keeping")
    assert window.store.backup_if_changed() is not None
    damage_table(window.store.path, "notes")
    window.store.set_bookmark("faq/pay", "Pay", True)
    window.backups.start_every(20)
    qtbot.waitUntil(lambda: window.damage_notice.isVisibleTo(window), timeout=5000)
    copies: list[object] = []
    real_prepare = window.store.prepare_backup
    monkeypatch.setattr(window.store, "prepare_backup", lambda: copies.append(1) or real_prepare())
    monkeypatch.setattr(window.store, "backup_if_changed", lambda: copies.append(1))
    window.store.set_bookmark("faq/exam", "Exam", True)
    qtbot.wait(200)
    assert not window.backups.start()
    window.close()
    assert copies == []


def test_backups_stay_stopped_after_damage_when_clearing_the_data_failed(
        make_window: Any, tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch, no_modal_boxes: list[str]) -> None:
    """Only a clear that rewrote the file makes the damage found before worth checking again."""
    from cma_desktop.store.notes_store import StoreError

    window = make_window(data_dir=tmp_path)
    window.store.save_note(NOTEBOOK_KEY, "Notebook", "worth keeping")
    window.backups.damage_found = True  # as after a copy found the file damaged
    monkeypatch.setattr(window, "_ask_clear", lambda: "clear")
    real_clear = window.store.clear_all

    def refuse() -> None:
        raise StoreError("a backup could not be removed; nothing else was cleared.")

    monkeypatch.setattr(window.store, "clear_all", refuse)
    assert not window.clear_my_data() and "could not be removed" in no_modal_boxes[-1]
    assert window.backups.damage_found and not window.backups.start()
    monkeypatch.setattr(window.store, "clear_all", real_clear)
    assert window.clear_my_data()
    assert not window.backups.damage_found


def test_backups_that_keep_failing_are_told_and_the_notice_goes_once_one_is_written(
        make_window: Any, tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk or an unwritable folder stopped every backup without a word: the notes were saved,
    but nothing could have restored them."""
    import shutil

    from cma_desktop.views.background_backup import FAILURES_TOLD

    window = make_window(data_dir=tmp_path)
    window.store.save_note(NOTEBOOK_KEY, "Notebook", "worth keeping")
    real_usage = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: shutil._ntuple_diskusage(10**9, 10**9 - 10**6, 10**6))
    for attempt in range(FAILURES_TOLD):
        assert not window.backup_notice.isVisibleTo(window), attempt  # a retry or two is no news
        assert window.backups.start()
        qtbot.waitUntil(lambda: not window.backups.running, timeout=5000)
    assert window.backup_notice.isVisibleTo(window)
    assert "the disk is nearly full" in window.backup_notice.text() and "File > Export notes" in window.backup_notice.text()
    assert window.store.backups() == []
    monkeypatch.setattr(shutil, "disk_usage", real_usage)
    assert window.backups.start()
    qtbot.waitUntil(lambda: not window.backups.running, timeout=5000)
    assert not window.backup_notice.isVisibleTo(window) and len(window.store.backups()) == 1


def test_my_notes_leaves_a_narrow_window_room_to_read(make_window: Any, tmp_path: Path, qtbot: Any, qapp: Any) -> None:
    """At 800 pixels the panel took what it wished for, and the topic's text got a strip."""
    window = make_window(data_dir=tmp_path)
    window.resize(800, 600)
    window.show_tab("faq")
    window.toggle_notes()
    dock = window.notes_dock
    qtbot.waitUntil(lambda: dock.width() <= 0.3 * 800 + 1, timeout=2000)
    window.zoom.larger()
    window.zoom.larger()
    window.resize(1400, 800)
    window.resizeDocks([dock], [500], Qt.Orientation.Horizontal)  # as if dragged wide
    qtbot.waitUntil(lambda: dock.width() >= 450, timeout=2000)
    wide = dock.width()
    window.resize(800, 600)  # narrowed again: the page keeps its room
    qtbot.waitUntil(lambda: dock.width() <= max(0.3 * 800 + 1, dock.minimumSizeHint().width()), timeout=2000)
    assert wide >= dock.width()
    assert window.centralWidget().width() >= 800 * 0.6


def test_the_notebooks_editor_does_not_ask_for_a_note_on_a_topic(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    window = make_window(data_dir=tmp_path)
    window.show_tab("duties")
    window.toggle_notes()
    dock = window.notes_dock
    assert "for this topic" in dock.editor.placeholderText()
    dock.notebook_button.click()
    assert "tied to no topic" in dock.editor.placeholderText() and "this topic" not in dock.editor.placeholderText()
    assert dock.editor.accessibleDescription() == "Note for: Notebook"
    window.open_item("duties/vital-signs")
    assert "for this topic" in dock.editor.placeholderText()


def test_bookmark_survives_closing_and_reopening(make_window: Any, tmp_path: Path, qtbot: Any, bundled_content: Any) -> None:
    window = active(make_window(data_dir=tmp_path), qtbot)
    window.show_tab("duties")
    tab = window.topic_tabs["duties"]
    button = tab.findChild(QToolButton)
    assert button.accessibleName() == "Bookmark" and not button.isChecked()
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    first = bundled_content.duties[0]
    assert button.isChecked()
    assert tab.proxy.index(0, 0).data(Qt.ItemDataRole.DecorationRole) is not None  # the mark in the list
    assert tab.proxy.index(1, 0).data(Qt.ItemDataRole.DecorationRole) is None
    close(window)

    again = make_window(data_dir=tmp_path)
    again.show_tab("duties")
    assert again.store.bookmarked_keys() == {f"duties/{first.id}"}
    assert again.topic_tabs["duties"].bookmark_button.isChecked()
    again.toggle_notes()
    bookmarks = again.notes_dock.findChild(QListView, "") and [
        v for v in again.notes_dock.findChildren(QListView) if v.accessibleName() == "Bookmarks"][0]
    assert bookmarks.model().rowCount() == 1


def test_typed_note_is_there_after_closing_and_reopening(make_window: Any, tmp_path: Path, qtbot: Any, bundled_content: Any) -> None:
    window = active(make_window(data_dir=tmp_path), qtbot)
    window.show_tab("faq")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    editor = window.notes_dock.findChild(QPlainTextEdit)
    assert editor.accessibleName() == "Note for this topic"
    assert window.focusWidget() is editor and window.notes_dock.accessibleName() == "My notes"
    qtbot.keyClicks(editor, "Ask the adviser about this")
    assert window.notes_dock.status_label.text() == "Unsaved changes"
    close(window)  # closing flushes what the autosave had not written yet

    again = make_window(data_dir=tmp_path)
    again.show_tab("faq")
    key = f"faq/{bundled_content.faq[0].id}"
    assert again.store.note(key).body == "Ask the adviser about this"
    again.notes_dock.show()
    assert again.notes_dock.editor.toPlainText() == "Ask the adviser about this"


def test_closing_the_notes_panel_by_keyboard_returns_to_the_list(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    window = active(make_window(data_dir=tmp_path), qtbot)
    window.show_tab("faq")
    shortcut = (Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window, *shortcut)
    assert window.focusWidget() is window.notes_dock.editor
    qtbot.keyClick(window.focusWidget(), *shortcut)
    assert not window.notes_dock.isVisible() and window.focusWidget() is window.topic_tabs["faq"].list_view


def test_tab_walks_the_notes_panel_in_reading_order(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    """Editor, then the tabs of the lists, then the list shown and its button: Tab never leaves the
    panel before reaching the bookmarks."""
    window = active(make_window(data_dir=tmp_path), qtbot)
    window.show_tab("faq")
    window.set_bookmark("faq/salary", "Pay", True)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dock = window.notes_dock
    dock.lists.setCurrentIndex(1)  # Bookmarks
    reached = []
    for _ in range(4):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        reached.append(window.focusWidget())
    assert reached[0] is dock.lists.tabBar()
    assert reached[1:3] == [dock.bookmarks_list, dock.remove_button]


def test_the_notebook_opens_with_its_saved_text_where_no_topic_is_shown(make_window: Any, tmp_path: Path) -> None:
    from cma_desktop.store.notes_store import NotesStore

    earlier = NotesStore(tmp_path)
    earlier.save_note(NOTEBOOK_KEY, "Notebook", "my saved notebook text")
    earlier.close()
    window = make_window(data_dir=tmp_path)
    window.show_tab("overview")
    window.toggle_notes()
    dock = window.notes_dock
    assert dock.key == NOTEBOOK_KEY and dock.editor.toPlainText() == "my saved notebook text"
    assert dock.topic_label.text() == "Note for: Notebook"


def test_the_notes_panel_tells_a_screen_reader_which_note_and_what_changed(make_window: Any, tmp_path: Path, qtbot: Any,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    spoken: list[str] = []
    monkeypatch.setattr("cma_desktop.views.notes_dock.announce", lambda _widget, text: spoken.append(text))
    window = make_window(data_dir=tmp_path)
    dock = window.notes_dock
    dock.show_note(NOTEBOOK_KEY, "Notebook")
    assert dock.editor.accessibleName() == "Note for this topic"
    assert dock.editor.accessibleDescription() == "Note for: Notebook"
    assert dock.versions_button.accessibleName() == dock.versions_button.text() == "Earlier versions (0)"  # with its count
    window.set_bookmark("faq/salary", "Pay", True)
    dock.lists.setCurrentIndex(1)
    dock.bookmarks_list.setCurrentIndex(dock.bookmarks_model.index(0, 0))
    shown_title = dock.bookmarks_model.index(0, 0).data()
    dock.remove_selected_bookmark()
    assert spoken == [f"Bookmark removed: {shown_title}"] and "$35,850" in shown_title


def test_autosave_after_a_pause_and_on_topic_change(make_window: Any, tmp_path: Path, qtbot: Any, bundled_content: Any) -> None:
    window = make_window(data_dir=tmp_path)
    window.show_tab("duties")
    window.toggle_notes()
    dock = window.notes_dock
    qtbot.keyClicks(dock.editor, "first")
    key0 = f"duties/{bundled_content.duties[0].id}"
    qtbot.waitUntil(lambda: window.store.note(key0) is not None, timeout=3000)  # about a second later
    assert dock.status_label.text() == "Saved"
    qtbot.keyClicks(dock.editor, " and more")
    window.open_item(f"duties/{bundled_content.duties[3].id}")  # moving on saves at once
    assert window.store.note(key0).body == "first and more"
    assert dock.editor.toPlainText() == ""
    assert bundled_content.duties[3].title in dock.topic_label.text()
    dock.editor.undo() if dock.editor.document().isUndoAvailable() else None


def test_steady_typing_is_saved_within_about_a_second(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    """A pause is not needed: someone who never stops typing has at most about a second at risk."""
    window = make_window(data_dir=tmp_path)
    window.toggle_notes()
    dock = window.notes_dock
    typed = ""
    for letter in "steady":  # a key every 300 ms, never a pause as long as the autosave delay
        qtbot.keyClicks(dock.editor, letter)
        typed += letter
        qtbot.wait(300)
    saved = window.store.note(NOTEBOOK_KEY)
    assert saved is not None and typed.startswith(saved.body) and len(saved.body) >= 3
    close(window)


def test_notes_and_bookmarks_lists_lead_to_their_topics(make_window: Any, tmp_path: Path, qtbot: Any, bundled_content: Any) -> None:
    window = make_window(data_dir=tmp_path)
    faq = bundled_content.faq[4]
    spec = bundled_content.specializations[2]
    window.store.save_note(f"faq/{faq.id}", faq.question, "remember this")
    window.store.save_note("duties/gone-topic", "A topic that was removed", "still here")
    window.set_bookmark(f"specializations/{spec.id}", spec.title, True)
    window.toggle_notes()
    dock = window.notes_dock
    dock.refresh_lists()

    rows = [dock.notes_model.index(r, 0) for r in range(dock.notes_model.rowCount())]
    gone = next(i for i in rows if i.data(KeyRole) == "duties/gone-topic")
    assert "(no longer in the content)" in gone.data()
    dock.notes_list.activated.emit(gone)  # the note of a removed topic opens in the editor
    assert dock.editor.toPlainText() == "still here"

    faq_row = next(i for i in rows if i.data(KeyRole) == f"faq/{faq.id}")
    dock.notes_list.activated.emit(faq_row)
    assert window.current_tab_name() == "faq" and window.topic_tabs["faq"].current_item() == faq
    assert dock.editor.toPlainText() == "remember this"

    dock.bookmarks_list.activated.emit(dock.bookmarks_model.index(0, 0))
    assert window.current_tab_name() == "specializations"
    assert window.topic_tabs["specializations"].current_item() == spec

    dock.bookmarks_list.setCurrentIndex(dock.bookmarks_model.index(0, 0))
    dock.bookmarks_list.setFocus()
    active(window, qtbot)
    qtbot.keyClick(dock.bookmarks_list, Qt.Key.Key_Delete)
    assert window.store.bookmarks() == [] and dock.bookmarks_model.rowCount() == 0
    assert not window.topic_tabs["specializations"].bookmark_button.isChecked()


def test_notebook_note_is_tied_to_no_topic(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    window = make_window(data_dir=tmp_path)
    window.toggle_notes()
    window.notes_dock.notebook_button.click()
    qtbot.keyClicks(window.notes_dock.editor, "open house Friday")
    window.notes_dock.flush()
    assert window.store.note(NOTEBOOK_KEY).body == "open house Friday"


def test_export_and_import_round_trip(make_window: Any, tmp_path: Path, bundled_content: Any, no_modal_boxes: list[str]) -> None:
    laptop = make_window(data_dir=tmp_path / "laptop")
    duty = bundled_content.duties[1]
    laptop.store.save_note(f"duties/{duty.id}", duty.title, "carried over")
    laptop.set_bookmark(f"duties/{duty.id}", duty.title, True)
    assert laptop.export_notes_to(tmp_path / "notes.json", "json")
    assert laptop.export_notes_to(tmp_path / "notes.md", "md")
    assert "carried over" in (tmp_path / "notes.md").read_text(encoding="utf-8")

    lab = make_window(data_dir=tmp_path / "lab")
    assert lab.import_notes_from(tmp_path / "notes.json")
    assert "1 note(s) added" in no_modal_boxes[-1]
    assert lab.store.note(f"duties/{duty.id}").body == "carried over"
    assert lab.topic_tabs["duties"].model.bookmarked_keys() == {f"duties/{duty.id}"}


def test_hostile_import_changes_nothing(make_window: Any, tmp_path: Path, no_modal_boxes: list[str]) -> None:
    window = make_window(data_dir=tmp_path / "mine")
    window.store.save_note("notebook", "Notebook", "mine")
    hostile = tmp_path / "evil.json"
    hostile.write_text('{"format": "cma-desktop-notes", "version": 1, "notes": [{"key": "../../.bashrc", '
                       '"title": "x", "body": "rm -rf ~", "updated_at": "2030-01-01T00:00:00+00:00"}]}', encoding="utf-8")
    assert not window.import_notes_from(hostile)
    assert "is not a topic key" in no_modal_boxes[-1]
    assert [n.body for n in window.store.notes()] == ["mine"]


def test_an_import_error_quoting_the_file_shows_its_text_as_written(make_window: Any, tmp_path: Path,
                                                                     no_modal_boxes: list[str]) -> None:
    """The message quotes a value from the file, which Qt's message helpers would render as HTML
    (a fake heading, a local image loaded); the recording fixture checks every box is plain text."""
    window = make_window(data_dir=tmp_path / "mine")
    hostile = tmp_path / "evil.json"
    hostile.write_text('{"format": "cma-desktop-notes", "version": 1, "notes": [{"key": "<h1>Your notes were deleted</h1>", '
                       '"title": "x", "body": "y", "updated_at": "2030-01-01T00:00:00+00:00"}]}', encoding="utf-8")
    assert not window.import_notes_from(hostile)
    assert "<h1>Your notes were deleted</h1>" in no_modal_boxes[-1]


def test_read_only_store_says_so_and_keeps_text_in_the_editor(make_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, m: False if m == os.W_OK and str(p).startswith(str(tmp_path)) else real_access(p, m))
    window = make_window(data_dir=tmp_path)
    assert "read-only" in window.read_only_label.text()
    assert window.notes_dock.editor.isReadOnly()
    assert not window.import_action.isEnabled() and not window.bookmark_action.isEnabled()


def test_notes_list_pages_through_many_notes(tmp_path: Path, qtmodeltester: Any) -> None:
    import sqlite3

    from cma_desktop.store.notes_store import NotesStore
    from cma_desktop.views.notes_model import PAGE_SIZE, NotesListModel

    store = NotesStore(tmp_path)
    total = PAGE_SIZE * 2 + 17
    with sqlite3.connect(store.path) as bulk:
        bulk.executemany("INSERT INTO notes VALUES (?, ?, ?, ?)",
                         [(f"duties/d-{n}", f"D {n}", f"body {n}", f"2026-01-01T00:{n // 60 % 60:02d}:{n % 60:02d}.000000+00:00")
                          for n in range(total)])
    model = NotesListModel(store, lambda key, title: title)
    model.reset()
    assert model.rowCount() == PAGE_SIZE
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == total
    keys = [model.index(r, 0).data(Qt.ItemDataRole.UserRole + 1) for r in range(total)]
    assert len(set(keys)) == total and keys[0] == f"duties/d-{total - 1}"  # newest first, none twice
    saved = store.save_note("duties/d-5", "D 5", "edited now")
    model.note_saved(saved)
    assert model.index(0, 0).data(Qt.ItemDataRole.UserRole + 1) == "duties/d-5" and model.rowCount() == total
    qtmodeltester.check(model)


def test_topic_model_passes_the_model_tester(bundled_content: Any, qtmodeltester: Any) -> None:
    from cma_desktop.views.topic_model import TopicFilterModel, TopicListModel

    model = TopicListModel("duties", bundled_content.duties)
    model.set_bookmarked({f"duties/{bundled_content.duties[0].id}"})
    proxy = TopicFilterModel()
    proxy.setSourceModel(model)
    proxy.set_filter_text("patient")
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)


def test_about_names_the_data_folder_in_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    from cma_desktop.views import application

    shown: list[str] = []

    def about_then_close(app: Any, window: Any, target: Any) -> int:
        shown.append(window.about_text())
        window.close()
        return 0

    monkeypatch.setattr(application, "_screenshot", about_then_close)
    monkeypatch.setenv("CMA_DESKTOP_DATA_DIR", str(tmp_path / "from-env"))
    args = argparse.Namespace(screenshot=str(tmp_path / "x.png"), content=[], data_dir=None, theme=None, tab=None, size=None)
    assert application.run(args) == 0
    assert f"Your data folder: {tmp_path / 'from-env'}" in shown[0]
    args.data_dir = str(tmp_path / "from-flag")
    assert application.run(args) == 0
    assert f"Your data folder: {tmp_path / 'from-flag'}" in shown[1]


def test_start_up_tells_of_recovery_and_refusal(tmp_path: Path) -> None:
    import sqlite3

    from cma_desktop.store.notes_store import DB_NAME, NotesStore
    from cma_desktop.store.schema import SCHEMA_VERSION
    from cma_desktop.views.application import _open_store

    store = NotesStore(tmp_path / "damaged")
    store.save_note("notebook", "Notebook", "keep me")
    store.backup_if_changed()
    store.close()
    (tmp_path / "damaged" / DB_NAME).write_bytes(b"\0" * 4096)
    recovered, message = _open_store(tmp_path / "damaged")
    assert recovered is not None and "was damaged" in message and "restored from the backup" in message
    assert recovered.note("notebook").body == "keep me"
    recovered.close()

    newer = NotesStore(tmp_path / "newer")
    newer.close()
    with sqlite3.connect(tmp_path / "newer" / DB_NAME) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    refused, message = _open_store(tmp_path / "newer")
    assert refused is None and "newer version" in message and "switched off" in message


def test_note_editor_has_undo(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    window = active(make_window(data_dir=tmp_path), qtbot)
    window.toggle_notes()
    editor = window.notes_dock.editor
    qtbot.keyClicks(editor, "oops")
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == ""


def test_a_note_that_cannot_be_saved_stays_in_the_editor(make_window: Any, tmp_path: Path, qtbot: Any,
                                                         bundled_content: Any, no_modal_boxes: list[str]) -> None:
    window = make_window(data_dir=tmp_path)
    window.show_tab("duties")
    window.toggle_notes()
    dock = window.notes_dock
    connection = window.store._connection
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full
    text = "x" * 200_000
    dock.editor.setPlainText(text)
    first_key = dock.key
    window.open_item(f"duties/{bundled_content.duties[5].id}")  # moving on must not drop the text
    assert dock.key == first_key and dock.editor.toPlainText() == text
    assert dock.status_label.text().startswith("Not saved: The disk is full")
    assert not window.import_notes_from(tmp_path / "whatever.json")
    assert "could not be saved" in no_modal_boxes[-1]
    connection.execute("PRAGMA max_page_count = 1073741823")  # space again
    assert dock.flush()  # the autosave's next try
    assert window.store.note(first_key).body == text


def test_a_paste_that_would_make_a_note_longer_than_an_export_carries_is_refused_and_said(
        make_window: Any, tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Such a note could be kept, but every JSON export would refuse it: it could never be moved."""
    monkeypatch.setattr("cma_desktop.views.notes_dock.MAX_BODY_CHARS", 50)  # 5,000,000 in the app
    window = active(make_window(data_dir=tmp_path), qtbot)
    window.toggle_notes()
    editor = window.notes_dock.editor
    editor.setFocus()
    qtbot.keyClicks(editor, "hello ")
    QApplication.clipboard().setText("x" * 45)
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == "hello "
    assert window.notes_dock.status_label.text().startswith("Not added: a note holds at most 50 characters")
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # replacing the text, it fits
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == "x" * 45
    assert window.notes_dock.flush() and window.store.note(window.notes_dock.key).body == "x" * 45


def test_export_goes_ahead_when_the_open_note_cannot_be_saved_and_says_so(make_window: Any, tmp_path: Path, qtbot: Any,
                                                                         no_modal_boxes: list[str],
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cma_desktop.views.notes_dock.AUTOSAVE_RETRY_MS", 300)  # ten seconds in the app
    window = make_window(data_dir=tmp_path / "data")
    window.toggle_notes()
    dock = window.notes_dock
    window.store.save_note("faq/pay", "Pay", "saved earlier")
    connection = window.store._connection
    connection.execute(f"PRAGMA max_page_count = {connection.execute('PRAGMA page_count').fetchone()[0]}")  # disk full
    dock.editor.setPlainText("y" * 200_000)
    target = tmp_path / "usb" / "notes.md"
    target.parent.mkdir()
    assert window.export_notes_to(target, "md")
    assert "saved earlier" in target.read_text(encoding="utf-8")
    assert "could not be saved" in no_modal_boxes[-1] and str(target) in no_modal_boxes[-1]
    connection.execute("PRAGMA max_page_count = 1073741823")  # room again: the retry saves it without a keystroke
    qtbot.waitUntil(lambda: window.store.note("notebook") is not None, timeout=3000)
    assert dock.status_label.text() == "Saved"


def test_typing_is_saved_when_the_app_is_ended_without_closing_the_window(make_window: Any, tmp_path: Path) -> None:
    """Logging out of the computer can quit the app while its window is still open."""
    window = make_window(data_dir=tmp_path)
    window.toggle_notes()
    window.notes_dock.editor.setPlainText("typed just before logging out")
    QApplication.instance().aboutToQuit.emit()
    assert window.store.note(NOTEBOOK_KEY).body == "typed just before logging out"


def test_tooltips_never_render_note_text_as_html(tmp_path: Path) -> None:
    from PySide6.QtGui import QTextDocument

    from cma_desktop.store.notes_store import NotesStore
    from cma_desktop.views.notes_model import NotesListModel

    store = NotesStore(tmp_path)
    store.save_note("notebook", "Notebook", '<img src="file:///etc/hostname"><b>bold</b>')
    model = NotesListModel(store, lambda key, title: title)
    model.reset()
    tip = model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "<img" not in tip and "<b>" not in tip
    shown = QTextDocument()
    shown.setHtml(tip)  # as the tooltip renders it: the note's text, as written
    assert shown.toPlainText() == '<img src="file:///etc/hostname"><b>bold</b>'


def test_bookmark_button_is_off_without_a_writable_store(make_window: Any) -> None:
    window = make_window()  # no store: notes and bookmarks are switched off
    assert not window.topic_tabs["duties"].bookmark_button.isEnabled()
    assert not window.bookmark_action.isEnabled()


def test_earlier_versions_kept_by_an_import_can_be_read(make_window: Any, tmp_path: Path, bundled_content: Any,
                                                        no_modal_boxes: list[str], qtbot: Any) -> None:
    from cma_desktop.store.notes_store import NotesStore
    from cma_desktop.store.transfer import export_json, write_atomically
    from cma_desktop.views.versions_dialog import VersionsDialog

    duty = bundled_content.duties[0]
    key = f"duties/{duty.id}"
    other = NotesStore(tmp_path / "other")
    other.save_note(key, duty.title, "the laptop's older text")
    write_atomically(tmp_path / "other.json", export_json(other))
    window = make_window(data_dir=tmp_path / "mine")
    window.show_tab("duties")
    window.toggle_notes()
    qtbot.keyClicks(window.notes_dock.editor, "my newer text")
    assert window.import_notes_from(tmp_path / "other.json")
    dock = window.notes_dock
    assert dock.editor.toPlainText() == "my newer text"
    assert dock.versions_button.isVisible() and dock.versions_button.text() == "Earlier versions (1)"
    dialog = VersionsDialog(dock.title, window.store.note_versions(key), dock)
    qtbot.addWidget(dialog)
    assert dialog.text.toPlainText() == "the laptop's older text"
    import datetime

    version = window.store.note_versions(key)[0][0]
    local = datetime.datetime.fromisoformat(version.updated_at).astimezone().strftime("%d %b %Y, %H:%M")
    assert dialog.list.item(0).text().startswith(local) and "UTC" not in dialog.list.item(0).text()  # the user's clock
    dialog.copy_version()
    assert QApplication.clipboard().text() == "the laptop's older text" and "Copied" in dialog.status.text()
    dialog.list.setCurrentRow(-1)  # another version chosen: "copied" was about the one before
    assert dialog.status.text() == ""
    marked_up = VersionsDialog("<b>Bold</b> <img src='file:///etc/hosts'>", window.store.note_versions(key), dock)
    qtbot.addWidget(marked_up)  # a title from a content pack or an imported file is text, never markup
    heading = marked_up.findChild(QLabel)
    assert heading.textFormat() == Qt.TextFormat.PlainText and "<b>Bold</b>" in heading.text()


def test_a_bookmark_made_before_its_tab_was_ever_opened_is_marked_there(make_window: Any, tmp_path: Path,
                                                                         bundled_content: Any) -> None:
    window = make_window(data_dir=tmp_path)
    window.show_tab("overview")
    window.set_bookmark("faq/salary", "How much do medical assistants earn?", True)  # from search, say
    window.show_tab("faq")  # the FAQ list is made now
    from cma_desktop.views.topic_model import KeyRole as TopicKeyRole

    tab = window.topic_tabs["faq"]
    row = next(r for r in range(tab.model.rowCount()) if tab.model.index(r).data(TopicKeyRole) == "faq/salary")
    assert tab.model.index(row).data(Qt.ItemDataRole.DecorationRole) is not None  # the mark beside it
    assert tab.bookmark_button.isEnabled()  # the store can save, and a topic is selected


def test_larger_text_with_my_notes_open_keeps_the_topics_usable(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    """A laptop screen: My notes open, then the text made much larger. The panel kept growing with
    the text until the topic filter was a few pixels wide."""
    from cma_desktop.views.theme import ZOOM_RANGE

    window = make_window(data_dir=tmp_path)
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    window.show_tab("duties")
    window.toggle_notes()
    qtbot.wait(20)
    dock, tab = window.notes_dock, window.topic_tabs["duties"]
    opened_at = dock.width()
    for steps in range(1, ZOOM_RANGE[1] + 1):
        window.zoom.set_steps(steps)
        qtbot.wait(10)
        field = tab.filter_field
        assert dock.width() <= max(opened_at, dock.minimumSizeHint().width()), steps
        assert field.width() >= 10 * field.fontMetrics().averageCharWidth(), (steps, field.width())
    window.zoom.set_steps(0)


def test_long_bookmark_titles_wrap_instead_of_being_cut_off(make_window: Any, tmp_path: Path, qtbot: Any,
                                                            bundled_content: Any) -> None:
    window = make_window(data_dir=tmp_path)
    window.resize(1000, 700)
    window.show()
    longest = max(bundled_content.duties, key=lambda d: len(d.title))
    window.set_bookmark(f"duties/{longest.id}", longest.title, True)
    window.toggle_notes()
    dock = window.notes_dock
    dock.lists.setCurrentWidget(dock.bookmarks_list.parentWidget())
    window.resizeDocks([dock], [dock.minimumSizeHint().width()], Qt.Orientation.Horizontal)
    qtbot.wait(20)
    view = dock.bookmarks_list
    index = view.model().index(0, 0)
    text = str(index.data())
    assert view.fontMetrics().horizontalAdvance(text) > view.viewport().width()  # too long for one line here
    assert view.horizontalScrollBar().maximum() == 0
    assert view.visualRect(index).height() >= 2 * view.fontMetrics().lineSpacing()  # on two lines, all of it


def test_the_bookmark_mark_grows_with_the_text(make_window: Any, tmp_path: Path, qtbot: Any, bundled_content: Any) -> None:
    window = make_window(data_dir=tmp_path)
    window.show_tab("duties")
    tab = window.topic_tabs["duties"]
    for steps in (0, 6):
        window.zoom.set_steps(steps)
        qtbot.waitUntil(lambda: tab.font().pointSizeF() == QApplication.font().pointSizeF())
        assert tab.list_view.iconSize().height() == tab.list_view.fontMetrics().height(), steps
    window.zoom.set_steps(0)


def test_a_note_that_is_one_long_line_wraps_anywhere(make_window: Any, tmp_path: Path) -> None:
    """Wrapping by words looks along the whole line for a space: 500,000 characters without one
    (pasted data, an import) kept the window frozen for 18 seconds as the note opened, and again as
    it was left. Such a note wraps anywhere; ordinary notes still wrap between words."""
    window = make_window(data_dir=tmp_path)
    window.store.save_note(NOTEBOOK_KEY, "Notebook", "a" * 500_000)
    window.store.save_note("faq/pay", "Pay", "ordinary words " * 100)
    window.toggle_notes()
    dock = window.notes_dock
    dock.show_note(NOTEBOOK_KEY, "Notebook")
    assert dock.editor.toPlainText() == "a" * 500_000
    assert dock.editor.wordWrapMode() == QTextOption.WrapMode.WrapAnywhere
    dock.show_note("faq/pay", "Pay")
    assert dock.editor.wordWrapMode() == QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere


def test_a_note_opened_from_all_notes_is_the_one_typed_into(make_window: Any, tmp_path: Path, qtbot: Any,
                                                            bundled_content: Any) -> None:
    """With its topic already on screen and the Notebook in the editor, opening the topic's note
    changed nothing, and what was typed next went into the Notebook."""
    duty = bundled_content.duties[0]
    key = f"duties/{duty.id}"
    window = make_window(data_dir=tmp_path)
    window.show_tab("duties")
    window.store.save_note(key, duty.title, "my note")
    window.toggle_notes()
    dock = window.notes_dock
    dock.show_note(NOTEBOOK_KEY, "Notebook")
    dock.notes_model.reset()
    row = next(r for r in range(dock.notes_model.rowCount()) if dock.notes_model.index(r, 0).data(KeyRole) == key)
    dock.notes_list.activated.emit(dock.notes_model.index(row, 0))
    assert dock.key == key and dock.editor.toPlainText() == "my note"


def test_delete_goes_on_removing_bookmarks_one_after_another(make_window: Any, tmp_path: Path, qtbot: Any,
                                                            bundled_content: Any) -> None:
    window = make_window(data_dir=tmp_path)
    for duty in bundled_content.duties[:3]:
        window.set_bookmark(f"duties/{duty.id}", duty.title, True)
    window.toggle_notes()
    dock = window.notes_dock
    dock.bookmarks_list.setCurrentIndex(dock.bookmarks_model.index(0, 0))
    dock.remove_selected_bookmark()
    assert dock.bookmarks_list.currentIndex().isValid()  # the next one, ready for the next Delete
    dock.remove_selected_bookmark()
    assert len(window.store.bookmarks()) == 1


def test_the_notes_list_shows_the_users_own_clock(make_window: Any, tmp_path: Path) -> None:
    import time

    from cma_desktop.views.notes_model import local_time

    if not hasattr(time, "tzset"):
        pytest.skip("time zones are set through TZ on POSIX only")
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    try:
        assert local_time("2026-11-28T21:48:00+00:00", "%Y-%m-%d %H:%M") == "2026-11-28 16:48"
        window = make_window(data_dir=tmp_path)
        window.store.save_note(NOTEBOOK_KEY, "Notebook", "hello")
        window.toggle_notes()
        shown = window.notes_dock.notes_model.index(0, 0).data()
        saved = window.store.note(NOTEBOOK_KEY).updated_at
        assert local_time(saved, "%Y-%m-%d %H:%M") in shown and saved[:16].replace("T", " ") not in shown
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


def test_an_export_named_without_an_ending_gets_one_and_clear_my_data_takes_the_damage_notice(
        make_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_modal_boxes: list[str]) -> None:
    from PySide6.QtWidgets import QFileDialog

    window = make_window(data_dir=tmp_path / "data")
    window.store.save_note(NOTEBOOK_KEY, "Notebook", "hello")
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *_args, **_kw: (str(tmp_path / "mynotes"), "JSON, complete, for importing (*.json)"))
    window.export_notes()
    assert (tmp_path / "mynotes.json").is_file() and not (tmp_path / "mynotes").exists()
    window._notes_file_damaged()
    assert window.damage_notice.isVisibleTo(window)
    monkeypatch.setattr(window, "_ask_clear", lambda: "clear")
    assert window.clear_my_data()
    assert not window.damage_notice.isVisibleTo(window)  # the damaged file and backups it spoke of are gone


def test_notices_read_at_4_5_to_1_and_keep_their_text_for_screen_readers(make_window: Any, tmp_path: Path) -> None:
    """White on Fusion's light highlight is 3.7:1; and a notice's name replaced its text for a
    screen reader, which heard the text once, when it appeared, or (a guest session) never."""
    from PySide6.QtGui import QPalette

    from cma_desktop.views.colors import contrast

    window = make_window(data_dir=tmp_path)
    window._notes_file_damaged()
    window._backups_failing("the disk is nearly full")
    for notice in (window.notice, window.damage_notice, window.backup_notice):
        text = notice.palette().color(QPalette.ColorRole.HighlightedText)
        assert contrast(text, notice.background()) >= 4.5, notice.accessibleName()
        assert notice.accessibleDescription() == notice.text() != ""
    image = window.damage_notice.grab().toImage()
    assert image.pixelColor(2, 2).rgb() == window.damage_notice.background().rgb()  # drawn in it
