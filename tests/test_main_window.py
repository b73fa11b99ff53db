"""The main window as a user meets it: tabs, lists, details, filters, keyboard, remembered state."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QListView, QProxyStyle, QTableView, QTextBrowser

TAB_TITLES = ["Overview", "Duties", "Specializations", "Work Settings", "FAQ", "Study"]


def shown(window: Any, qtbot: Any) -> Any:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    return window


def visible_titles(tab: Any) -> list[str]:
    proxy = tab.list_view.model()
    return [proxy.index(row, 0).data() for row in range(proxy.rowCount())]


def test_tabs_are_titled_as_the_design_says(make_window: Any) -> None:
    window = make_window()
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == TAB_TITLES
    for index, title in enumerate(TAB_TITLES):
        assert window.tabs.widget(index).accessibleName() == title


def test_each_topic_tab_lists_its_items_from_the_content(make_window: Any, bundled_content: Any) -> None:
    window = make_window()
    for kind, tab in window.topic_tabs.items():
        assert visible_titles(tab) == [item.title for item in bundled_content.items(kind)]


def test_overview_shows_facts_steps_and_credentials(make_window: Any, bundled_content: Any) -> None:
    window = make_window()
    overview = window.overview_tab
    assert len(overview.cards) == len(bundled_content.quick_facts)
    values = [card.value_label.text() for card in overview.cards]
    assert "$44,200" in values and "$35,850" in values
    for card, fact in zip(overview.cards, bundled_content.quick_facts, strict=True):
        assert fact.as_of in card.source_label.text()
    table = overview.findChild(QTableView, "")
    model = overview.credential_table.model()
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == [
        c.name for c in bundled_content.credentials
    ]
    assert table is not None
    steps_text = overview.steps.toPlainText()
    for step in bundled_content.steps:
        assert step.title in steps_text


def _contrast(text: Any, background: Any) -> float:
    """WCAG contrast ratio of text (drawn with its alpha over the background) against the background."""
    alpha = text.alphaF()
    drawn = [alpha * t + (1 - alpha) * b for t, b in ((text.redF(), background.redF()), (text.greenF(), background.greenF()),
                                                      (text.blueF(), background.blueF()))]

    def luminance(channels: list[float]) -> float:
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    lighter, darker = sorted((luminance(drawn), luminance([background.redF(), background.greenF(), background.blueF()])),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_content_points_only_at_tabs_and_sections_the_window_has(make_window: Any) -> None:
    """An answer that says "see the Credentials tab" sends the reader looking for nothing."""
    import re

    from cma_desktop.locations import bundled_content_path

    window = make_window()
    window.show_tab("overview")
    overview = window.overview_tab
    headings = {label.text() for label in overview.findChildren(QLabel)}
    headings |= set(re.findall(r"^#+ (.+)$", overview.steps.markdown() + "\n" + overview.advancement.markdown(), re.MULTILINE))
    text = bundled_content_path().read_text(encoding="utf-8")
    tabs_named = re.findall(r"(?:[Tt]he )?\*?([A-Z][A-Za-z ]+?)\*? tab\b", text)
    assert tabs_named and set(tabs_named) <= set(TAB_TITLES), tabs_named
    for section in re.findall(r"\*([^*]+)\* on the Overview", text):
        assert section in headings, section


def test_the_first_start_fits_a_small_screen(make_window: Any, qtbot: Any) -> None:
    """With nothing remembered, the window takes a comfortable size, but no more than the screen
    has room for: on a 1024x700 laptop its edge and status bar were off the screen."""
    window = make_window()
    room = window.screen().availableGeometry()
    assert room.width() < 1180 or room.height() < 780  # the test platform's screen is a small one
    assert window.width() <= room.width() and window.height() <= room.height()
    assert window.width() >= room.width() * 0.9  # as much of it as makes sense, not a postage stamp


def test_every_figures_source_and_year_reads_clearly_in_both_schemes(make_window: Any, qtbot: Any) -> None:
    window = make_window()
    window.show_tab("overview")
    for theme in ("light", "dark"):
        window.theme.apply(theme)
        qtbot.wait(10)  # the palette change reaches the cards
        for card in window.overview_tab.cards:
            label = card.source_label
            shown_in = label.palette().color(label.foregroundRole())  # the colour the text is drawn in
            ratio = _contrast(shown_in, card.palette().color(QPalette.ColorRole.Window))
            assert ratio >= 4.5, (theme, card.objectName(), ratio)
    window.theme.apply("system")


def test_focus_rings_and_selections_stand_out_in_the_apps_own_dark_palette(qapp: Any) -> None:
    """The palette used where the platform cannot switch to dark itself (a bare X11 session).
    Fusion draws a focused button's ring in the highlight colour made 25% darker: at least 3:1
    against the button, as a focus indicator needs; selected rows keep their text at 4.5:1 or more."""
    from cma_desktop.views.theme import _dark_palette

    palette = _dark_palette()
    ring = palette.color(QPalette.ColorRole.Highlight).darker(125)
    assert _contrast(ring, palette.color(QPalette.ColorRole.Button)) >= 3
    assert _contrast(ring, palette.color(QPalette.ColorRole.Window)) >= 3
    selected = (palette.color(QPalette.ColorRole.HighlightedText), palette.color(QPalette.ColorRole.Highlight))
    assert _contrast(*selected) >= 4.5


def test_fields_lists_and_buttons_are_outlined_visibly_in_the_apps_own_dark_palette(make_window: Any, qtbot: Any) -> None:
    """Fusion outlines controls in the window colour made darker: on the dark palette's window that
    is 1.1:1, and a text field or list could not be told from the window around it. Non-text
    contrast asks for 3:1; switching back to the system scheme gives the platform's style back."""
    window = make_window()
    window.theme.apply("system")
    platform_style = QApplication.style().name()
    window.show_tab("duties")
    window.resize(1000, 700)
    window.show()
    window.theme.apply("dark")
    tab = window.topic_tabs["duties"]
    qtbot.waitUntil(lambda: tab.filter_field.isVisible() and window.palette().color(QPalette.ColorRole.Window).lightness() < 128)
    window.tabs.setFocus()  # none of the controls below shows a focus ring instead of its outline
    background = window.palette().color(QPalette.ColorRole.Window)
    image = window.grab().toImage()
    for control in (tab.filter_field, tab.list_view, tab.category_box):
        left_edge = control.mapTo(window, control.rect().topLeft()) + QPoint(0, control.height() // 2)
        outline = image.pixelColor(left_edge)
        assert _contrast(outline, background) >= 3, (control.accessibleName(), outline.name())
    tab.list_view.setFocus(Qt.FocusReason.TabFocusReason)  # with the keyboard in it, the list still shows its edge
    image = window.grab().toImage()
    left_edge = tab.list_view.mapTo(window, tab.list_view.rect().topLeft()) + QPoint(0, tab.list_view.height() // 2)
    assert _contrast(image.pixelColor(left_edge), background) >= 3
    window.theme.apply("system")
    assert QApplication.style().name() == platform_style and not isinstance(QApplication.style(), QProxyStyle)


def test_check_boxes_and_radio_buttons_are_outlined_visibly_in_the_apps_own_dark_palette(make_window: Any,
                                                                                          qtbot: Any) -> None:
    """The quiz's choices and its flag: dark boxes on a dark page, at about 1.6:1, before."""
    from PySide6.QtWidgets import QCheckBox, QRadioButton, QStyle, QStyleOptionButton, QVBoxLayout, QWidget

    window = make_window()
    window.theme.apply("dark")
    page = QWidget()
    qtbot.addWidget(page)
    layout = QVBoxLayout(page)
    boxes = [(QCheckBox("Flag"), QStyle.SubElement.SE_CheckBoxIndicator),
             (QRadioButton("Choice"), QStyle.SubElement.SE_RadioButtonIndicator)]
    for box, _element in boxes:
        layout.addWidget(box)
    page.show()
    qtbot.waitUntil(lambda: page.palette().color(QPalette.ColorRole.Window).lightness() < 128)
    image = page.grab().toImage()
    background = page.palette().color(QPalette.ColorRole.Window)
    for box, element in boxes:
        option = QStyleOptionButton()
        option.initFrom(box)
        indicator = box.style().subElementRect(element, option, box)
        edge = box.mapTo(page, indicator.topLeft()) + QPoint(0, indicator.height() // 2)
        assert _contrast(image.pixelColor(edge), background) >= 3, type(box).__name__
    window.theme.apply("system")


def test_selecting_a_topic_shows_its_details_with_sources_and_years(make_window: Any, bundled_content: Any, qtbot: Any) -> None:
    window = make_window()
    window.show_tab("settings")
    tab = window.topic_tabs["settings"]
    setting = bundled_content.settings[1]
    rect = tab.list_view.visualRect(tab.proxy.index(1, 0))
    qtbot.mouseClick(tab.list_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    text = tab.detail.toPlainText()
    assert setting.title in text
    assert setting.share.value in text and setting.share.as_of in text
    assert "Sources" in text
    source = bundled_content.source(setting.sources[0])
    assert source.title in text and str(source.year) in text


def test_a_figures_note_reads_as_a_sentence_after_its_label(make_window: Any, bundled_content: Any) -> None:
    """It was put in brackets: "Projected job growth (Much faster than ... occupations.)"."""
    window = make_window()
    window.open_item("faq/job-prospects")
    shown = window.topic_tabs["faq"].detail.toPlainText()
    figure = next(f for f in bundled_content.find("faq/job-prospects").figures if f.note)
    assert f"{figure.label}: {figure.note}" in shown and f"({figure.note})" not in shown


def test_filter_narrows_the_list(make_window: Any, qtbot: Any, tmp_path: Any) -> None:
    window = make_window(data_dir=tmp_path)
    tab = window.topic_tabs["duties"]
    total = len(visible_titles(tab))
    qtbot.keyClicks(tab.filter_field, "vital")
    titles = visible_titles(tab)
    assert 0 < len(titles) < total
    assert any("vital" in t.lower() for t in titles)
    assert tab.count_label.text() == f"{len(titles)} of {total} topics"
    tab.filter_field.clear()
    qtbot.keyClicks(tab.filter_field, "zzzz no such words")
    assert visible_titles(tab) == []
    assert "No topic matches" in tab.detail.toPlainText()
    assert not tab.bookmark_button.isEnabled() and not tab.bookmark_button.isChecked()  # no topic to bookmark
    tab.filter_field.clear()
    assert tab.bookmark_button.isEnabled()


def test_duties_can_be_narrowed_to_clinical_or_administrative(make_window: Any, bundled_content: Any) -> None:
    window = make_window()
    tab = window.topic_tabs["duties"]
    assert tab.category_box is not None
    for category in ("clinical", "administrative"):
        tab.category_box.setCurrentIndex(tab.category_box.findData(category))
        expected = [d.title for d in bundled_content.duties if d.category == category]
        assert visible_titles(tab) == expected and expected


def test_keyboard_switches_tabs_and_focuses_the_filter(make_window: Any, qtbot: Any) -> None:
    window = shown(make_window(), qtbot)
    for number in range(5, 0, -1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        assert window.tabs.currentIndex() == number - 1
        if number > 1:  # a topic tab: the keyboard lands in its list
            assert window.focusWidget() is window.tabs.currentWidget().list_view
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.focusWidget() is window.topic_tabs["duties"].filter_field


def test_tab_moves_on_out_of_a_topic_tab(make_window: Any, qtbot: Any, tmp_path: Any) -> None:
    """Tab from the list goes through the tab's controls and on to the rest of the window, never round in a loop."""
    window = shown(make_window(data_dir=tmp_path), qtbot)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    tab = window.topic_tabs["duties"]
    reached = []
    for _ in range(12):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        reached.append(window.focusWidget())
    assert tab.bookmark_button in reached and tab.detail in reached
    assert reached.index(tab.bookmark_button) < reached.index(tab.detail)  # the button above the text comes first
    assert any(not tab.isAncestorOf(widget) for widget in reached)  # the search field, the tab bar...
    assert tab.filter_field in reached and tab.category_box in reached
    assert all(widget.isVisible() for widget in reached)


def test_tab_passes_the_credential_table_in_one_step(make_window: Any, qtbot: Any) -> None:
    window = shown(make_window(), qtbot)
    window.show_tab("overview")
    table = window.overview_tab.credential_table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert window.focusWidget() is not table


def test_the_overview_reads_from_the_keyboard_alone(make_window: Any, qtbot: Any) -> None:
    """Reading keys in a text block scroll the page, and Tab stops on each quick-fact card."""
    window = shown(make_window(), qtbot)
    window.resize(800, 600)
    window.show_tab("overview")
    overview = window.overview_tab
    scroll = overview.verticalScrollBar()
    overview.intro.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(overview.intro, Qt.Key.Key_PageDown)
    assert scroll.value() == scroll.pageStep()
    qtbot.keyClick(overview.intro, Qt.Key.Key_Down)
    assert scroll.value() == scroll.pageStep() + scroll.singleStep()
    qtbot.keyClick(overview.intro, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert scroll.value() == scroll.maximum() > 0
    qtbot.keyClick(overview.intro, Qt.Key.Key_Home)
    assert scroll.value() == 0

    reached = []
    for _ in range(len(overview.cards)):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        reached.append(window.focusWidget())
    assert reached == overview.cards  # from the introduction, card by card
    image = reached[-1].grab().toImage()  # the card with the keyboard draws a ring in the highlight colour
    assert image.pixelColor(1, image.height() // 2) == reached[-1].palette().color(QPalette.ColorRole.Highlight)
    assert reached[-1].accessibleName().startswith(window.content.quick_facts[-1].label)
    last = reached[-1]
    top = last.mapTo(overview.widget(), last.rect().topLeft()).y()
    assert scroll.value() <= top <= scroll.value() + overview.viewport().height()  # scrolled into view

    # On past the cards: each text block, then each link in the sources, is shown as Tab reaches it
    def keyboard_in_view() -> bool:
        focused = window.focusWidget()
        # a text block's caret (its start, or the link chosen); another control's top
        where = focused.cursorRect().center() if hasattr(focused, "cursorRect") else focused.rect().topLeft()
        y = focused.mapTo(overview.widget(), where).y()
        return scroll.value() <= y <= scroll.value() + overview.viewport().height()

    stops, ring_checked = 0, False
    while window.focusWidget() is not overview.footer and stops < 60:
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        stops += 1
        assert overview.isAncestorOf(window.focusWidget()), window.focusWidget()
        assert keyboard_in_view(), (window.focusWidget().accessibleName(), stops)
        if window.focusWidget() is overview.steps and not overview.steps.textCursor().hasSelection():
            image = overview.steps.grab().toImage()  # the block itself has the keyboard: a ring says so
            assert image.pixelColor(1, image.height() // 2) == overview.steps.palette().color(QPalette.ColorRole.Highlight)
            ring_checked = True
    for _ in range(3):  # the footer's source links, below the first screen
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        if window.focusWidget() is not overview.footer:
            break
        assert overview.footer.textCursor().hasSelection() and keyboard_in_view()
    assert ring_checked  # a block Tab reached showed it has the keyboard


def test_the_topic_details_show_when_they_have_the_keyboard(make_window: Any, qtbot: Any) -> None:
    window = shown(make_window(), qtbot)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    tab = window.topic_tabs["duties"]
    qtbot.waitUntil(lambda: tab.detail.height() > 100)
    while window.focusWidget() is not tab.detail:
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
    viewport = tab.detail.viewport()
    image = tab.detail.grab().toImage()
    inside = viewport.mapTo(tab.detail, viewport.rect().topLeft())
    ring = tab.detail.palette().color(QPalette.ColorRole.Highlight)
    assert image.pixelColor(inside.x() + 1, inside.y() + viewport.height() // 2) == ring
    # scrolled, the ring stays at the edges: no copy of its lines is left across the text
    window.resize(700, 380)  # the details scroll
    qtbot.waitUntil(lambda: tab.detail.verticalScrollBar().maximum() > 40)
    window.repaint()
    tab.detail.verticalScrollBar().setValue(tab.detail.verticalScrollBar().value() + 40)
    QApplication.processEvents()
    on_screen = window.screen().grabWindow(window.winId()).toImage()  # as shown, not drawn afresh
    origin = viewport.mapTo(window, viewport.rect().topLeft())
    across = [y for y in range(4, viewport.height() - 4)
              if sum(on_screen.pixelColor(origin.x() + x, origin.y() + y) == ring for x in range(4, viewport.width() - 4, 8))
              > (viewport.width() - 8) // 8 * 0.9]
    assert across == []
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # to the filter
    assert window.focusWidget() is tab.filter_field
    image = tab.detail.grab().toImage()
    assert image.pixelColor(inside.x() + 1, inside.y() + viewport.height() // 2) != ring  # gone with the keyboard


def test_escape_clears_the_filter_and_ctrl_f_finds_where_there_is_no_filter(make_window: Any, qtbot: Any) -> None:
    window = shown(make_window(), qtbot)
    window.show_tab("duties")
    tab = window.topic_tabs["duties"]
    tab.focus_filter()
    qtbot.keyClicks(tab.filter_field, "xyz")
    assert tab.proxy.rowCount() == 0
    qtbot.keyClick(tab.filter_field, Qt.Key.Key_Escape)
    assert tab.filter_field.text() == "" and tab.proxy.rowCount() == tab.model.rowCount()
    window.show_tab("overview")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.focusWidget() is window.search_field  # the Overview has no filter: Ctrl+F searches


def test_arrows_walk_the_list_and_the_detail_follows(make_window: Any, bundled_content: Any, qtbot: Any) -> None:
    window = shown(make_window(), qtbot)
    window.show_tab("faq")
    tab = window.topic_tabs["faq"]
    tab.focus_filter()
    qtbot.keyClick(tab.filter_field, Qt.Key.Key_Down)  # from the filter into the list
    assert window.focusWidget() is tab.list_view
    qtbot.keyClick(tab.list_view, Qt.Key.Key_Down)
    qtbot.keyClick(tab.list_view, Qt.Key.Key_Down)
    assert tab.current_item() == bundled_content.faq[2]
    assert bundled_content.faq[2].question in tab.detail.toPlainText()


def test_accessible_names(make_window: Any) -> None:
    window = make_window()
    for name, tab in window.topic_tabs.items():
        window.show_tab(name)  # as a screen reader meets it: the tab on screen
        names = {w.accessibleName() for w in tab.findChildren(QListView)} | {w.accessibleName() for w in tab.findChildren(QTextBrowser)}
        assert {"Topics", "Topic details"} <= names
        assert tab.findChild(QLineEdit).accessibleName() == "Filter topics"
        if tab.category_box is not None:  # Linux screen readers take a combo box's name from its label
            labels = [label for label in tab.findChildren(QLabel) if label.buddy() is tab.category_box]
            assert [label.text() for label in labels] == ["C&ategory:"]


def test_a_screen_reader_hears_how_many_topics_the_filter_left(make_window: Any, qtbot: Any, monkeypatch: Any) -> None:
    spoken: list[str] = []
    monkeypatch.setattr("cma_desktop.views.topic_tab.announce", lambda _widget, text: spoken.append(text))
    window = make_window()
    window.show_tab("faq")
    tab = window.topic_tabs["faq"]
    for letter in "cma":
        qtbot.keyClick(tab.filter_field, letter)
    assert spoken == []  # not while typing
    qtbot.waitUntil(lambda: len(spoken) == 1, timeout=3000)
    assert spoken == [tab.count_label.text()] and " of " in spoken[0]


def test_text_size_changes_and_is_remembered(make_window: Any, qtbot: Any, qapp: Any) -> None:
    window = shown(make_window(), qtbot)
    base = qapp.font().pointSizeF()
    qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert qapp.font().pointSizeF() == base + 2
    qtbot.waitUntil(lambda: window.topic_tabs["duties"].detail.font().pointSizeF() == base + 2, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert qapp.font().pointSizeF() == base + 1
    window.close()
    make_window()  # a new session reads the saved size
    assert qapp.font().pointSizeF() == base + 1
    window2 = shown(make_window(), qtbot)
    qtbot.keyClick(window2, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert qapp.font().pointSizeF() == base


def test_last_tab_and_geometry_are_remembered(make_window: Any, qtbot: Any) -> None:
    window = shown(make_window(), qtbot)
    window.resize(700, 520)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == (700, 520), timeout=2000)
    window.show_tab("specializations")
    window.close()
    again = make_window()
    assert again.current_tab_name() == "specializations"
    assert (again.width(), again.height()) == (700, 520)


def test_theme_choice_applies_and_is_remembered(make_window: Any, qapp: Any) -> None:
    window = make_window()
    window.theme_actions["dark"].trigger()
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() < 128
    assert qapp.palette().color(QPalette.ColorRole.WindowText).lightness() > 128
    window.close()
    again = make_window()
    assert again.theme.current == "dark" and again.theme_actions["dark"].isChecked()
    again.theme_actions["light"].trigger()
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 128
    assert qapp.palette().color(QPalette.ColorRole.WindowText).lightness() < 128


def test_links_already_shown_take_the_new_themes_colour(make_window: Any, qapp: Any, qtbot: Any) -> None:
    """Qt writes the link colour into the text as it reads it: after switching to Dark, links
    shown before stayed pure blue on the dark background, at about 2:1."""
    from cma_desktop.views.markdown_view import MarkdownView

    window = make_window()
    window.theme_actions["light"].trigger()
    window.show_tab("duties")
    views = [v for v in window.findChildren(MarkdownView) if not v.document().isEmpty()]

    def link_colours() -> set[str]:
        colours = set()
        for view in views:
            block = view.document().begin()
            while block.isValid():
                iterator = block.begin()
                while not iterator.atEnd():
                    look = iterator.fragment().charFormat()
                    if look.isAnchor():
                        colours.add(look.foreground().color().name())
                    iterator += 1
                block = block.next()
        return colours

    light_links = link_colours()
    assert light_links and len(views) >= 2  # the topic's text, the Overview's (shown first)
    window.theme_actions["dark"].trigger()
    dark_link = qapp.palette().color(QPalette.ColorRole.Link).name()
    assert dark_link not in light_links
    qtbot.waitUntil(lambda: link_colours() == {dark_link}, timeout=3000)  # widgets hear of a new palette from the event loop
    window.theme_actions["light"].trigger()
    qtbot.waitUntil(lambda: link_colours() == light_links, timeout=3000)


def test_status_bar_shows_content_version_and_date(make_window: Any, bundled_content: Any) -> None:
    window = make_window()
    text = window.content_label.text()
    assert bundled_content.meta.version in text
    assert bundled_content.meta.updated.strftime("%d %B %Y") in text


def test_the_overviews_headings_and_table_follow_the_keyboard_and_text_size(make_window: Any, qtbot: Any, qapp: Any) -> None:
    window = shown(make_window(), qtbot)
    window.resize(800, 600)
    window.show_tab("overview")
    overview = window.overview_tab
    assert overview.focusPolicy() == Qt.FocusPolicy.NoFocus  # no invisible Tab stop on the page itself
    heading = next(label for label in overview.findChildren(QLabel) if label.text() == "Quick facts")
    body = overview.font().pointSizeF()
    assert heading.font().pointSizeF() > body
    for _ in range(4):
        qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: overview.font().pointSizeF() == body + 4, timeout=2000)
    assert heading.font().pointSizeF() == (body + 4) * 1.3  # still larger than the text it heads
    table = overview.credential_table
    table.setFocus(Qt.FocusReason.TabFocusReason)
    overview.verticalScrollBar().setValue(0)
    last = table.model().index(table.model().rowCount() - 1, 0)
    table.setCurrentIndex(last)  # as arrows reach the last row
    cell = table.visualRect(last)
    top = table.viewport().mapTo(overview.widget(), cell.topLeft()).y()
    shown_from = overview.verticalScrollBar().value()
    assert shown_from <= top and top + cell.height() <= shown_from + overview.viewport().height()
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)


def test_a_keyboard_users_focus_ring_comes_back_after_a_dialog(make_window: Any, qtbot: Any, monkeypatch: Any) -> None:
    from PySide6.QtWidgets import QMessageBox

    window = shown(make_window(), qtbot)
    window.show_tab("duties")
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # by keyboard: the ring shows
    assert window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)

    def closed_by_keyboard(box: QMessageBox) -> int:  # as Qt leaves it: focus back for a reason that hides the ring
        window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, False)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", closed_by_keyboard)
    window.show_about()
    assert window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
    # on a desktop the window is activated again only after the dialog has gone, which hides it once more
    window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, False)
    QApplication.sendEvent(window, QEvent(QEvent.Type.WindowActivate))
    assert window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)


def test_help_sources_lists_every_source(make_window: Any, bundled_content: Any, qtbot: Any) -> None:
    from cma_desktop.views.sources_dialog import SourcesDialog

    dialog = SourcesDialog(bundled_content, make_window())
    qtbot.addWidget(dialog)
    text = dialog.view.toPlainText()
    for source in bundled_content.sources:
        assert source.title in text and source.url in text and str(source.year) in text
    listed = []  # one bullet for each source, its address with it
    block = dialog.view.document().begin()
    while block.isValid():
        if block.textList() is not None:
            listed.append(block.text())
        block = block.next()
    assert len(listed) == len(bundled_content.sources)
    assert all(any(s.title in entry and s.url in entry for s in bundled_content.sources) for entry in listed)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.view.verticalScrollBar().maximum() > 0  # a long list, which opens at its top
    assert dialog.view.verticalScrollBar().value() == 0 and dialog.view.textCursor().position() == 0


def test_related_links_open_the_linked_topic(make_window: Any, bundled_content: Any) -> None:
    from PySide6.QtCore import QUrl

    window = make_window()
    duty = next(d for d in bundled_content.duties if any(k.split("/")[0] in window.topic_tabs for k in d.related))
    key = next(k for k in duty.related if k.split("/")[0] in window.topic_tabs)
    window.open_item(f"duties/{duty.id}")
    detail = window.topic_tabs["duties"].detail
    assert f"cma:{key}" in detail.markdown()
    detail.anchorClicked.emit(QUrl(f"cma:{key}"))  # what a click on the link sends
    kind, _, item_id = key.partition("/")
    assert window.current_tab_name() == kind
    assert window.topic_tabs[kind].current_item().id == item_id


def test_opening_a_missing_topic_says_so(make_window: Any) -> None:
    window = make_window()
    assert window.open_item("duties/no-longer-here") is False
    assert "no longer" in window.statusBar().currentMessage()
