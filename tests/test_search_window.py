"""Search in the window, keyboard only: Ctrl+K, type, arrows, Enter opens the topic with matches marked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QListView


def active(window: Any, qtbot: Any) -> Any:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    return window


def result_rows(window: Any) -> list[str]:
    model = window.search_panel.model
    return [str(model.index(r, 0).data()) for r in range(model.rowCount())]


def test_search_widgets_have_their_accessible_names(make_window: Any, qtbot: Any) -> None:
    window = make_window()
    assert window.search_field.accessibleName() == "Search"
    assert isinstance(window.search_field, QLineEdit)
    window.focus_search()
    qtbot.keyClicks(window.search_field, "exam")  # the results list appears with the first letter
    assert [v for v in window.findChildren(QListView) if v.accessibleName() == "Search results" and v.isVisible()]


def test_keyboard_only_from_ctrl_k_to_the_opened_topic(make_window: Any, qtbot: Any, bundled_content: Any) -> None:
    window = active(make_window(), qtbot)
    window.show_tab("overview")
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.focusWidget() is window.search_field
    qtbot.keyClicks(window.search_field, "sterilizing")
    assert window.search_panel.isVisible()
    rows = result_rows(window)
    assert rows[0] == "Duties" and rows[1] == "Cleaning and sterilizing instruments"  # grouped, with a heading
    qtbot.keyClick(window.search_field, Qt.Key.Key_Down)  # the first result is already current; move to the next
    qtbot.keyClick(window.search_field, Qt.Key.Key_Up)
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert not window.search_panel.isVisible()
    assert window.current_tab_name() == "duties"
    tab = window.topic_tabs["duties"]
    assert tab.current_item().id == "instrument-sterilization"
    marked = tab.highlighted_words()
    assert marked and all(word.lower().startswith("steriliz") for word in marked)
    assert window.focusWidget() is tab.list_view


def test_enter_opens_the_best_result_whatever_its_group(make_window: Any, qtbot: Any) -> None:
    """The duty named "Billing and coding basics" beats a passing mention on the Overview, though
    the Overview's group comes first in tab order."""
    window = active(make_window(), qtbot)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search_field, "billing")
    rows = result_rows(window)
    assert rows[:2] == ["Duties", "Billing and coding basics"]
    assert "Overview" in rows  # still there, further down
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert window.current_tab_name() == "duties"
    assert window.topic_tabs["duties"].current_item().title == "Billing and coding basics"


def test_results_never_overlap_at_a_large_text_size(make_window: Any, qtbot: Any) -> None:
    """A title that wraps at a large text size must push its snippet and the next result down."""
    from PySide6.QtWidgets import QStyleOptionViewItem

    window = active(make_window(), qtbot)
    window.resize(900, 700)
    for _ in range(6):
        qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.search_field.font().pointSizeF() == QApplication.font().pointSizeF())
    qtbot.keyClicks(window.search_field, "exam")
    view = window.search_panel.list_view
    delegate = view.itemDelegate()
    model = view.model()
    checked = 0
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if index.data(Qt.ItemDataRole.UserRole + 2) is None:  # a group heading
            continue
        option = QStyleOptionViewItem()
        option.font, option.palette, option.rect = view.font(), view.palette(), view.visualRect(index)
        drawn = delegate.document(option, index).size().height()
        assert drawn <= option.rect.height(), (index.data(), drawn, option.rect.height())
        checked += 1
    assert checked >= 5
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)


def test_slash_opens_search_unless_typing_in_a_text_field(make_window: Any, qtbot: Any) -> None:
    window = active(make_window(), qtbot)
    window.show_tab("duties")
    tab = window.topic_tabs["duties"]
    tab.list_view.setFocus()
    qtbot.keyClick(tab.list_view, Qt.Key.Key_Slash)
    assert window.focusWidget() is window.search_field
    tab.filter_field.setFocus()
    qtbot.keyClick(tab.filter_field, Qt.Key.Key_Slash)
    assert tab.filter_field.text() == "/" and window.focusWidget() is tab.filter_field


def test_a_screen_reader_hears_the_result_count_and_the_result_the_arrows_reach(make_window: Any, qtbot: Any,
                                                                              monkeypatch: Any) -> None:
    spoken: list[str] = []
    monkeypatch.setattr("cma_desktop.views.search_panel.announce", lambda _widget, text: spoken.append(text))
    window = active(make_window(), qtbot)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search_field, "pay")
    assert spoken == []  # not at every key
    qtbot.waitUntil(lambda: len(spoken) == 1, timeout=3000)
    assert spoken == [f"{window.search_panel.result_count()} results"]
    qtbot.keyClick(window.search_field, Qt.Key.Key_Down)
    current = window.search_panel.list_view.currentIndex()
    assert spoken[-1] == current.data(Qt.ItemDataRole.AccessibleTextRole) and "pay" in spoken[-1].lower()
    window.search_field.clear()
    qtbot.keyClicks(window.search_field, "zzqqxx")
    qtbot.waitUntil(lambda: spoken[-1].startswith("No results"), timeout=3000)
    heard = len(spoken)
    qtbot.keyClicks(window.search_field, "y")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Escape)  # gone before typing paused: nothing more is said
    qtbot.wait(1000)
    assert len(spoken) == heard


def test_escape_closes_the_results_and_returns_focus(make_window: Any, qtbot: Any) -> None:
    window = active(make_window(), qtbot)
    window.show_tab("faq")
    tab = window.topic_tabs["faq"]
    tab.list_view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search_field, "pay")
    assert window.search_panel.isVisible()
    qtbot.keyClick(window.search_field, Qt.Key.Key_Escape)
    assert not window.search_panel.isVisible()
    assert window.focusWidget() is tab.list_view
    assert window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)  # its focus ring still shows
    # a filter being typed in gets its caret back, with its text kept rather than selected for replacing
    tab.focus_filter()
    qtbot.keyClicks(tab.filter_field, "vit")
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.search_field, Qt.Key.Key_Escape)
    assert window.focusWidget() is tab.filter_field
    qtbot.keyClicks(tab.filter_field, "al")
    assert tab.filter_field.text() == "vital"


def test_results_close_when_the_keyboard_moves_elsewhere(make_window: Any, qtbot: Any) -> None:
    """Leaving the search by Ctrl+F, Tab or a click must not leave the results over the page."""
    window = active(make_window(), qtbot)
    window.show_tab("duties")
    tab = window.topic_tabs["duties"]
    for leave in (lambda: qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier),
                  lambda: qtbot.keyClick(window.search_field, Qt.Key.Key_Tab),
                  lambda: tab.list_view.setFocus(Qt.FocusReason.MouseFocusReason)):
        qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(window.search_field, "vital")
        assert window.search_panel.isVisible()
        leave()
        assert window.focusWidget() is not window.search_field and not window.search_panel.isVisible()
        window.search_field.clear()


def test_no_results_says_so_and_what_it_tried(make_window: Any, qtbot: Any) -> None:
    window = active(make_window(), qtbot)
    window.focus_search()
    qtbot.keyClicks(window.search_field, "vital qwxyz")
    message = window.search_panel.message_text()
    assert message.startswith("No results for “vital qwxyz”.")
    assert "“qwxyz” (the word itself, words starting with it, one-letter slips)" in message
    assert "These find results on their own: vital." in message
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)  # nothing to open: nothing happens
    assert window.search_panel.isVisible()


def test_notes_and_bookmarks_are_found(make_window: Any, tmp_path: Path, qtbot: Any, bundled_content: Any) -> None:
    window = active(make_window(data_dir=tmp_path), qtbot)
    window.set_bookmark("duties/vital-signs", "Taking vital signs and measurements", True)
    window.store.save_note("faq/salary", "How much do medical assistants earn?", "Compare hourly wages in Tacoma")
    window.focus_search()
    qtbot.keyClicks(window.search_field, "tacoma")
    rows = result_rows(window)
    assert rows[0] == "My notes" and rows[1].startswith("How much do medical assistants earn?")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert window.current_tab_name() == "faq" and window.topic_tabs["faq"].current_item().id == "salary"
    assert window.notes_dock.isVisible() and "Tacoma" in window.notes_dock.editor.toPlainText()
    window.focus_search()
    window.search_field.clear()
    qtbot.keyClicks(window.search_field, "vital signs")
    assert "★ Taking vital signs and measurements" in result_rows(window)


def test_a_note_typed_now_is_found_at_once(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    window = active(make_window(data_dir=tmp_path), qtbot)
    window.show_tab("duties")
    window.toggle_notes()
    qtbot.keyClicks(window.notes_dock.editor, "zygomatic question")
    window.notes_dock.flush()
    window.focus_search()
    qtbot.keyClicks(window.search_field, "zygomat")
    assert result_rows(window)[0] == "My notes"


def test_a_career_centers_programs_contacts_and_pay_are_found_and_shown(make_window: Any, qtbot: Any,
                                                                        tmp_path: Path) -> None:
    from cma_desktop.content.loader import load_with_packs
    from cma_desktop.locations import bundled_content_path
    from tests.conftest import write
    from tests.test_career_centers import LOCAL_PACK

    content, _ = load_with_packs(bundled_content_path(), [write(tmp_path / "local.toml", LOCAL_PACK)])
    window = active(make_window(content), qtbot)
    for query, title in (("practicum", "Medical Assisting Certificate, Lakeside Community College"),
                         ("careers lakeside", "Lakeside Career Center"),
                         ("hourly pay lakeside", "Median hourly pay for medical assistants, Lakeside County")):
        window.show_tab("overview")
        window.focus_search()
        window.search_field.clear()
        qtbot.keyClicks(window.search_field, query)
        rows = result_rows(window)
        assert "Local" in rows and title in rows, (query, rows)
        window.search_panel.list_view.setCurrentIndex(window.search_panel.model.index(rows.index(title), 0))
        qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
        assert window.current_tab_name() == "local"
        view = window.local_tab.view
        assert view.textCursor().block().text().startswith(title)  # the caret (and view) is at that entry
        assert view.marked_words() and window.focusWidget() is view


def test_an_overview_part_opens_scrolled_to_it_with_the_matches_marked(make_window: Any, qtbot: Any,
                                                                       bundled_content: Any) -> None:
    window = active(make_window(), qtbot)
    window.resize(1000, 600)
    path = bundled_content.advancement[-1]
    window.focus_search()
    qtbot.keyClicks(window.search_field, path.title)
    rows = result_rows(window)
    window.search_panel.list_view.setCurrentIndex(window.search_panel.model.index(rows.index(path.title), 0))
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    overview = window.overview_tab
    assert window.current_tab_name() == "overview"
    assert overview.verticalScrollBar().value() > 0  # the advancement paths are far down the page
    block = overview.advancement
    assert block.textCursor().block().text().startswith(path.title) and block.marked_words()
    top = block.mapTo(overview.widget(), block.cursorRect().topLeft()).y() - overview.verticalScrollBar().value()
    assert 0 <= top < overview.viewport().height()  # on screen


def test_a_quick_figure_or_the_introduction_is_found_and_opens_on_the_overview(make_window: Any, qtbot: Any) -> None:
    """The figures a student looks for first were on no search's list: "44,200" found nothing."""
    window = active(make_window(), qtbot)
    window.resize(1000, 600)
    window.show_tab("faq")
    window.focus_search()
    qtbot.keyClicks(window.search_field, "44,200")
    assert result_rows(window)[:2] == ["Overview", "Median annual pay"]
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert window.current_tab_name() == "overview"
    card = window.focusWidget()
    assert card is window.overview_tab.cards[0] and card.objectName() == "fact-median-pay-2024"
    window.show_tab("faq")
    window.focus_search()
    qtbot.keyClicks(window.search_field, "anxious")  # only the introduction says it
    assert result_rows(window)[:2] == ["Overview", "The Certified Medical Assistant at work"]
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    intro = window.overview_tab.intro
    assert window.focusWidget() is intro and intro.marked_words() == ["anxious"]
    assert intro.textCursor().selectedText() == "anxious" or "anxious" in intro.textCursor().block().text()


def test_a_lone_letter_marks_only_itself_as_a_word(make_window: Any, qtbot: Any) -> None:
    from PySide6.QtGui import QTextCursor

    """"x-ray" marked every x in the text (the x in "exam", "exists"), and the caret went to the first."""
    window = active(make_window(), qtbot)
    window.focus_search()
    qtbot.keyClicks(window.search_field, "x-ray")
    rows = result_rows(window)
    window.search_panel.list_view.setCurrentIndex(window.search_panel.model.index(rows.index("The Certified Medical Assistant at work"), 0))
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    intro = window.overview_tab.intro
    marked = [QTextCursor(s.cursor) for s in intro.extraSelections()]
    assert marked and all(c.selectedText().lower() in ("x", "rays", "ray") for c in marked)
    for cursor in marked:  # each a word of its own
        text = cursor.block().text()
        start, end = cursor.selectionStart() - cursor.block().position(), cursor.selectionEnd() - cursor.block().position()
        assert (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())


def test_a_credential_opens_with_its_column_selected(make_window: Any, qtbot: Any, bundled_content: Any) -> None:
    window = active(make_window(), qtbot)
    credential = bundled_content.credentials[1]
    assert window.open_search_result(f"credentials/{credential.id}", [credential.name]) is None
    table = window.overview_tab.credential_table
    assert [i.column() for i in table.selectionModel().selectedColumns()] == [1]
    assert window.focusWidget() is table


TRICKY_PACK = '''
[center]
name = "Medical Assisting at Lakeside"
contact = "Room 114. Ask for the *Medical Assisting* adviser."

[[programs]]
id = "evening"
name = "St. Mary's *Evening* Program"
place = "Downtown"
accreditation = "ABHES"
length = "14 months"
cost = "About $6,000"
contact = "evening@stmarys.example"

[[programs]]
id = "short-name"
name = "Medical Assisting"
place = "North campus"
accreditation = "CAAHEP"
length = "10 months"
cost = "About $4,000"
contact = "north@lakeside.example"
'''


def test_local_results_open_the_entry_they_name_even_with_similar_or_marked_up_names(
        make_window: Any, qtbot: Any, tmp_path: Path) -> None:
    from cma_desktop.content.loader import load_with_packs
    from cma_desktop.locations import bundled_content_path
    from tests.conftest import write

    content, skipped = load_with_packs(bundled_content_path(), [write(tmp_path / "site.toml", TRICKY_PACK)])
    assert not skipped
    window = active(make_window(content), qtbot)
    view = window.local_tab.view
    window.open_search_result("programs/short-name", ["North"])
    assert view.textCursor().block().text() == "Medical Assisting"  # not the center's longer heading
    window.open_search_result("programs/evening", ["Evening"])
    assert view.textCursor().block().text() == "St. Mary's Evening Program"  # as shown, without the asterisks
    window.open_search_result("center", ["adviser"])
    assert view.textCursor().block().text() == "Medical Assisting at Lakeside"


def test_a_pack_with_only_local_pay_gets_a_local_tab_its_results_open(make_window: Any, qtbot: Any,
                                                                      tmp_path: Path) -> None:
    from cma_desktop.content.loader import load_with_packs
    from cma_desktop.locations import bundled_content_path
    from tests.conftest import write
    from tests.test_career_centers import LOCAL_PACK

    wages_only = LOCAL_PACK[LOCAL_PACK.index("[[sources]]"):LOCAL_PACK.index("[[duties]]")]
    content, skipped = load_with_packs(bundled_content_path(), [write(tmp_path / "pay.toml", wages_only)])
    assert not skipped and not content.programs and content.center is None
    window = active(make_window(content), qtbot)
    window.focus_search()
    qtbot.keyClicks(window.search_field, "hourly lakeside")
    assert "Median hourly pay for medical assistants, Lakeside County" in result_rows(window)
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert window.current_tab_name() == "local"
    assert window.local_tab.view.textCursor().block().text().startswith("Median hourly pay")
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)  # the keyboard lands in the page
    assert window.current_tab_name() == "local" and window.focusWidget() is window.local_tab.view


def test_a_step_opens_the_overview_at_its_heading(make_window: Any, qtbot: Any, bundled_content: Any) -> None:
    window = active(make_window(), qtbot)
    window.resize(1000, 600)
    step = bundled_content.steps[-1]
    window.open_search_result(f"steps/{step.id}", [step.title.split()[0]])
    block = window.overview_tab.steps
    assert block.textCursor().block().text() == f"{len(bundled_content.steps)}. {step.title}"
    assert window.overview_tab.verticalScrollBar().value() > 0 and block.marked_words()
