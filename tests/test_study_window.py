"""Study mode in the window, keyboard only: flashcards, a quiz, a timed mock, and progress."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from cma_desktop.views.colors import contrast as _contrast
from tests.test_study import Clock


def active(window: Any, qtbot: Any) -> Any:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    return window


def key(qtbot: Any, window: Any, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window.focusWidget() or window, k, modifier)


def open_quiz_setup(window: Any) -> Any:
    """The Study tab's quiz, on its setup page."""
    window.show_tab("study")
    window.study_tab.sections.setCurrentIndex(1)
    quiz = window.study_tab.quiz
    quiz.show_setup()
    return quiz


def test_study_tab_is_ctrl_6_with_three_sections(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    window = active(make_window(data_dir=tmp_path), qtbot)
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.current_tab_name() == "study" and window.tabs.tabText(window.tabs.currentIndex()) == "Study"
    sections = window.study_tab.sections
    assert [sections.tabText(i) for i in range(sections.count())] == ["Flashcards", "Quiz", "Progress"]


def test_ctrl_tab_to_the_quiz_shows_where_the_keyboard_is(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    """Only the Start button's default frame showed, so the user thought it had the keyboard."""
    window = active(make_window(data_dir=tmp_path), qtbot)
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert window.study_tab.sections.currentIndex() == 1
    assert window.focusWidget() is window.study_tab.quiz.mode_box
    assert window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)  # its ring is drawn


def test_keyboard_only_flashcard_session_survives_a_restart(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    clock = Clock()
    window = active(make_window(data_dir=tmp_path, clock=clock), qtbot)
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    cards = window.study_tab.flashcards
    assert window.focusWidget() is cards.deck_list  # Ctrl+6 puts the keyboard in the deck list
    key(qtbot, window, Qt.Key.Key_Down)  # the second deck
    deck = str(cards.deck_list.currentItem().data(Qt.ItemDataRole.UserRole))
    assert "0 due" in cards.deck_list.currentItem().text()
    key(qtbot, window, Qt.Key.Key_Return)
    first = cards.card
    assert first is not None and cards.front.text() == first.front and not cards.back.isVisible()
    key(qtbot, window, Qt.Key.Key_3)  # rating before the answer is shown does nothing
    assert cards.card == first
    cards.topic_button.setFocus(Qt.FocusReason.ShortcutFocusReason)
    key(qtbot, window, Qt.Key.Key_Space)  # Space on a focused button presses it: the topic opens
    assert window.current_tab_name() != "study" and not cards.back.isVisible()
    window.show_tab("study")
    cards.review_page.setFocus(Qt.FocusReason.ShortcutFocusReason)
    cards.show_button.setFocus(Qt.FocusReason.ShortcutFocusReason)
    key(qtbot, window, Qt.Key.Key_Return)  # Enter presses the focused Show answer
    assert cards.back.isVisible() and cards.back.text() == first.back
    # focus moved to the ratings for the keyboard user: its ring stays drawn
    assert window.focusWidget() is cards.rating_buttons[2]
    assert window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
    key(qtbot, window, Qt.Key.Key_1)  # Again
    assert cards.card != first
    key(qtbot, window, Qt.Key.Key_Space)
    key(qtbot, window, Qt.Key.Key_4)  # Easy
    key(qtbot, window, Qt.Key.Key_Escape)
    assert window.focusWidget() is cards.deck_list
    assert window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)  # back in the list, its ring drawn
    window.close()
    window.store.close()

    clock.advance(minutes=5)
    again = make_window(data_dir=tmp_path, clock=clock)
    again.show_tab("study")
    reviewer = again.study_tab.flashcards.reviewer
    assert reviewer.counts(deck).due == 1  # the card rated Again is due again in minutes
    assert reviewer.next_card(deck) == first


def test_a_deck_past_the_days_new_cards_says_the_rest_start_tomorrow(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    from cma_desktop.study.flashcards import NEW_CARDS_PER_DAY

    clock = Clock()
    window = make_window(data_dir=tmp_path, clock=clock)
    window.show_tab("study")
    cards = window.study_tab.flashcards
    deck = "Duties: clinical or administrative?"
    left = len(cards.reviewer.decks[deck]) - NEW_CARDS_PER_DAY
    assert left > 0
    cards.start(deck)
    for _ in range(NEW_CARDS_PER_DAY):
        cards.reveal()
        cards.rate(4)  # Easy: none comes back today
    assert cards.card is None
    assert cards.front.text() == (f"You have started today's {NEW_CARDS_PER_DAY} new cards (all decks together). "
                                  f"The {left} new cards left in this deck start tomorrow.")  # not "nothing more"
    assert "the card just rated comes back in" in cards.status.text()


def test_keyboard_only_quiz_with_feedback_flag_and_topic_link(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    window = active(make_window(data_dir=tmp_path), qtbot)
    quiz = open_quiz_setup(window)
    key(qtbot, window, Qt.Key.Key_Return)  # the default mode: a quick quiz of ten
    assert quiz.session is not None and len(quiz.session.questions) == 10
    question = quiz.session.current
    wrong = next(i for i, c in enumerate(question.choices) if c != question.answer)
    key(qtbot, window, Qt.Key(Qt.Key.Key_1 + wrong), Qt.KeyboardModifier.AltModifier)  # Alt+digit is not a choice
    assert not any(button.isChecked() for button in quiz.choice_buttons)
    key(qtbot, window, Qt.Key(Qt.Key.Key_1 + wrong))
    key(qtbot, window, Qt.Key.Key_F)  # flag it
    key(qtbot, window, Qt.Key.Key_Return)
    assert quiz.feedback.text().startswith(f"Not quite. The answer is: {question.answer}.")
    assert question.explanation in quiz.feedback.text()
    assert quiz.progress.flagged() == {question.id}
    # the choices stay readable (not greyed out) yet keep the answer given
    shown_choices = [b for b in quiz.choice_buttons if b.isVisibleTo(quiz)]
    assert all(b.isEnabled() for b in shown_choices) and any(b.text().startswith("✓ ") for b in shown_choices)
    other = next(i for i, b in enumerate(shown_choices) if i != wrong)
    qtbot.mouseClick(shown_choices[other], Qt.MouseButton.LeftButton)
    key(qtbot, window, Qt.Key(Qt.Key.Key_1 + other))
    assert quiz.choice_group.checkedId() == wrong
    if question.topics:  # Enter on the focused "Open the topic" opens it, not the next question
        quiz.topic_button.setFocus(Qt.FocusReason.TabFocusReason)
        key(qtbot, window, Qt.Key.Key_Return)
        assert window.current_tab_name() != "study" and quiz.session.current is question
        opened = window.topic_tabs.get(window.current_tab_name())
        if opened is not None:  # the keyboard is on the topic's row, ready to read on
            assert window.focusWidget() is opened.list_view and opened.current_key() == question.topics[0]
        window.show_tab("study")
        quiz.next_button.setFocus(Qt.FocusReason.TabFocusReason)
    key(qtbot, window, Qt.Key.Key_Return)  # next
    second = quiz.session.current
    # with Shift, as AZERTY keyboards type digits
    key(qtbot, window, Qt.Key(Qt.Key.Key_1 + second.choices.index(second.answer)), Qt.KeyboardModifier.ShiftModifier)
    key(qtbot, window, Qt.Key.Key_Return)
    assert quiz.feedback.text().startswith("Right.")
    quiz.end_button.setFocus(Qt.FocusReason.TabFocusReason)
    key(qtbot, window, Qt.Key.Key_Return)  # Enter on the focused End quiz ends it
    assert quiz.result_label.text() == "1 of 2 right (50%); 8 not answered"
    assert quiz.progress.last_results() == {question.id: False, second.id: True}


def test_review_wrong_and_flagged_modes_from_the_window(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    window = make_window(data_dir=tmp_path)
    window.show_tab("study")
    window.study_tab.sections.setCurrentIndex(1)
    quiz = window.study_tab.quiz
    quiz.mode_box.setCurrentIndex(quiz.mode_box.findData("wrong"))
    quiz.start()
    assert quiz.session is None and "No wrong answers" in quiz.setup_note.text()
    bank_question = quiz.bank[0]
    session = quiz.progress.start_session("quick")
    quiz.progress.record_answer(session, bank_question.id, bank_question.domain, "x", False)
    quiz.start()
    assert quiz.session is not None and [q.id for q in quiz.session.questions] == [bank_question.id]
    quiz.finish()
    quiz.mode_box.setCurrentIndex(quiz.mode_box.findData("flagged"))
    quiz.start()
    assert "No flagged questions" in quiz.setup_note.text()


def test_timed_mock_ends_when_time_is_up(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    clock = Clock()
    window = make_window(data_dir=tmp_path, clock=clock)
    window.show_tab("study")
    window.study_tab.sections.setCurrentIndex(1)
    quiz = window.study_tab.quiz
    quiz.mode_box.setCurrentIndex(quiz.mode_box.findData("mock"))
    quiz.length_box.setValue(20)
    quiz.minutes_box.setValue(2)
    quiz.start()
    assert quiz.timer.isActive() and quiz.timer_label.text() == "Time left 2:00"
    clock.advance(minutes=1, seconds=30)
    qtbot.waitUntil(lambda: quiz.timer_label.text() == "Time left 0:30", timeout=3000)
    clock.advance(seconds=31)
    qtbot.waitUntil(lambda: quiz.stack.currentIndex() == 2, timeout=3000)
    assert quiz.result_label.text() == "Time is up. 0 of 20 right (0%)"


def test_a_mock_exam_ending_while_the_user_is_elsewhere_leaves_the_keyboard_there(make_window: Any, tmp_path: Path,
                                                                                   qtbot: Any) -> None:
    clock = Clock()
    window = active(make_window(data_dir=tmp_path, clock=clock), qtbot)
    quiz = open_quiz_setup(window)
    quiz.mode_box.setCurrentIndex(quiz.mode_box.findData("mock"))
    quiz.minutes_box.setValue(1)
    quiz.start()
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # to Duties, typing in its filter
    filter_field = window.topic_tabs["duties"].filter_field
    filter_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
    qtbot.keyClicks(filter_field, "vit")
    clock.advance(minutes=1, seconds=1)
    qtbot.waitUntil(lambda: quiz.stack.currentIndex() == 2, timeout=3000)
    assert quiz.result_label.text().startswith("Time is up.")
    assert window.focusWidget() is filter_field
    qtbot.keyClicks(filter_field, "al")
    assert filter_field.text() == "vital"


def test_the_largest_text_in_a_small_window_never_scrolls_a_question_sideways(make_window: Any, tmp_path: Path,
                                                                             qtbot: Any) -> None:
    from cma_desktop.views.theme import ZOOM_RANGE

    window = active(make_window(data_dir=tmp_path), qtbot)
    window.resize(800, 600)
    for _ in range(ZOOM_RANGE[1]):
        qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    quiz = open_quiz_setup(window)
    qtbot.waitUntil(lambda: quiz.font().pointSizeF() == QApplication.font().pointSizeF())
    quiz.start()
    qtbot.wait(10)
    area = quiz.parentWidget().parentWidget()  # the section's scroll area (page, viewport, area)
    assert area.horizontalScrollBar().maximum() == 0  # the question's number and start are in view
    for button in (quiz.submit_button, quiz.next_button, quiz.end_button):  # (a page may scroll down to them)
        assert button.mapTo(area.viewport(), button.rect().bottomRight()).x() <= area.viewport().width()
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)


def test_progress_shows_domains_and_cards(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    window = make_window(data_dir=tmp_path)
    window.show_tab("study")
    study = window.study_tab
    question = study.quiz.bank[0]
    session = study.quiz.progress.start_session("quick")
    study.quiz.progress.record_answer(session, question.id, question.domain, question.answer, True)
    reviewer = study.flashcards.reviewer
    card = reviewer.next_card("Key figures")
    for rating in (1, 1, 3):  # missed twice, then known: one card studied
        reviewer.rate(card, rating)
    study.sections.setCurrentIndex(2)
    page = study.progress_page
    assert "100% of 1" in page.summary.text() and "Cards studied today: 1" in page.summary.text()
    assert page.accessibleName() == "Progress" and page.accessibleDescription() == page.summary.text()
    chart = page.chart
    assert chart.accessibleName() == "Progress chart"
    normal = chart.minimumHeight()
    larger = chart.font()
    larger.setPointSizeF(larger.pointSizeF() * 2)
    chart.setFont(larger)  # View > Larger text reaches the chart as a font change
    assert chart.minimumHeight() > normal
    chart.setFont(window.font())
    assert chart.minimumHeight() == normal  # and back: the window can shrink again
    assert sum(chart.studied.values()) == 1 and sum(len(v) for v in chart.accuracy.values()) == 1
    image = chart.grab().toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 3  # something was drawn


def test_ctrl_6_on_the_progress_section_focuses_the_named_page(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    window = active(make_window(data_dir=tmp_path), qtbot)
    window.show_tab("study")
    window.study_tab.sections.setCurrentIndex(2)
    window.show_tab("overview")
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    page = window.study_tab.progress_page
    assert window.focusWidget() is page and page.accessibleName() == "Progress" and page.accessibleDescription()


def test_clear_my_data_from_study_leaves_the_keyboard_in_its_section(make_window: Any, tmp_path: Path, qtbot: Any,
                                                                    monkeypatch: Any) -> None:
    window = active(make_window(data_dir=tmp_path), qtbot)
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    window.study_tab.sections.setCurrentIndex(1)  # the quiz
    window.study_tab.focus_start(Qt.FocusReason.TabFocusReason)
    monkeypatch.setattr(window, "_ask_clear", lambda: "clear")
    assert window.clear_my_data()
    qtbot.wait(10)  # the old sections are deleted at the next turn of the event loop
    assert window.study_tab.sections.currentIndex() == 1
    focused = window.focusWidget()
    assert focused is not None and window.study_tab.quiz.isAncestorOf(focused)


def test_clear_my_data_from_the_mouse_brings_no_focus_ring(make_window: Any, tmp_path: Path, qtbot: Any,
                                                           monkeypatch: Any) -> None:
    """The sections made again after clearing return to the quiz by code, not by a key."""
    window = active(make_window(data_dir=tmp_path), qtbot)
    window.show_tab("study")
    window.study_tab.sections.setCurrentIndex(1)
    window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, False)  # a mouse user
    monkeypatch.setattr(window, "_ask_clear", lambda: "clear")
    assert window.clear_my_data()
    qtbot.wait(10)
    assert window.study_tab.sections.currentIndex() == 1
    assert not window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)


def test_a_long_answer_wraps_instead_of_widening_the_window(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    from cma_desktop.study.quiz import QuizSession

    window = make_window(data_dir=tmp_path)
    window.resize(800, 600)
    window.show_tab("study")
    window.study_tab.sections.setCurrentIndex(1)
    quiz = window.study_tab.quiz
    longest = max(quiz.bank, key=lambda q: max(len(c) for c in q.choices))
    quiz.show_setup()
    quiz.start()
    quiz.session = QuizSession([longest], "quick", clock=quiz.progress.store.now)
    quiz._show_question()
    qtbot.wait(10)
    button = max((b for b in quiz.choice_buttons if b.isVisibleTo(quiz)), key=lambda b: len(b.text()))
    assert window.minimumSizeHint().width() <= 800 and window.width() == 800
    area = quiz.parentWidget().parentWidget()  # the section's scroll area (page, viewport, area)
    assert area.verticalScrollBar().maximum() == 0  # at the normal text size everything fits: no scrolling
    shortest = min((b for b in quiz.choice_buttons if b.isVisibleTo(quiz)), key=lambda b: len(b.text()))
    qtbot.mouseClick(shortest, Qt.MouseButton.LeftButton, pos=QPoint(shortest.width() - 3, 3))
    assert not shortest.isChecked()  # the empty end of its row is no part of it
    assert button.height() >= 2 * button.fontMetrics().height()  # on two lines or more, all of it shown
    assert button.width() <= quiz.width()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(button.width() // 2, button.height() - 3))
    assert button.isChecked()  # its second line picks it too


def test_large_text_on_a_small_screen_scrolls_study_instead_of_growing_the_window(make_window: Any, tmp_path: Path,
                                                                                  qtbot: Any) -> None:
    window = active(make_window(data_dir=tmp_path), qtbot)
    window.resize(800, 600)
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    for _ in range(6):
        qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    for section in range(3):
        window.study_tab.sections.setCurrentIndex(section)
        qtbot.wait(10)
        hint = window.minimumSizeHint()
        assert hint.width() <= 800 and hint.height() <= 600, (section, hint)
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)


def test_a_question_page_with_the_keyboard_shows_a_focus_ring(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    from PySide6.QtGui import QPalette

    window = active(make_window(data_dir=tmp_path), qtbot)
    quiz = open_quiz_setup(window)
    window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, False)  # as moving between sections leaves it
    key(qtbot, window, Qt.Key.Key_Return)  # started from the keyboard: the question page takes it, ring shown
    page = quiz.ask_page
    assert window.focusWidget() is page
    image = page.grab().toImage()
    ring = page.palette().color(QPalette.ColorRole.Highlight)
    assert image.pixelColor(1, image.height() // 2) == ring and image.pixelColor(image.width() // 2, 1) == ring
    quiz.flag_box.setFocus(Qt.FocusReason.TabFocusReason)
    image = page.grab().toImage()
    assert image.pixelColor(1, image.height() // 2) != ring  # gone with the focus
    # a mouse user's click on End quiz and then on New quiz brings up no ring
    quiz.end_button.click()
    window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, False)  # as a click leaves it
    qtbot.mouseClick(quiz.again_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(quiz.start_button, Qt.MouseButton.LeftButton)
    assert window.focusWidget() is page and not window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
    image = page.grab().toImage()
    assert image.pixelColor(1, image.height() // 2) != ring


def test_the_progress_legends_never_cover_a_title_or_leave_the_chart(qapp: Any) -> None:
    import datetime

    from PySide6.QtCore import QRect

    from cma_desktop.views.progress_chart import ProgressChart

    chart = ProgressChart()
    font = chart.font()
    font.setPointSizeF(font.pointSizeF() * 1.6)  # large text ...
    chart.setFont(font)
    chart.resize(420, chart.minimumHeight())  # ... in a narrow window
    today = datetime.date(2026, 11, 28)
    chart.set_data({}, {today: 3}, {today: 5}, today)
    metrics = chart.fontMetrics()
    area = QRect(0, 0, chart.width(), chart.height() // 2)
    plot = QRect(40, area.top() + 2 * metrics.height(), chart.width() - 60, area.height() - 4 * metrics.height())
    title = QRect(4, area.top(), metrics.horizontalAdvance(chart.days_title()), metrics.height())
    days = chart.days_legend_places(area, plot, *chart.day_series())
    assert not any(place.intersects(title) for place, _series in days)
    domains = chart.legend_places(chart.domain_series(), plot.left(), plot.right(), plot.bottom() + 8)
    assert all(place.right() <= chart.width() for place, _series in [*days, *domains])
    assert len({place.top() for place, _series in domains}) > 1  # wrapped onto a second row


def test_a_single_days_accuracy_is_a_clear_point_inside_the_chart(qapp: Any) -> None:
    """After one day of answers, today's 100% sat on the frame's corner as a hollow speck."""
    import datetime

    from PySide6.QtCore import QRect

    from cma_desktop.views.progress_chart import ProgressChart

    chart = ProgressChart()
    chart.resize(600, chart.minimumHeight())
    today = datetime.date(2026, 11, 28)
    chart.set_data({"general": [(today, 1.0)], "clinical": [(today, 0.0)]}, {}, {}, today)
    plot = QRect(40, 40, 500, 200)
    points = chart.accuracy_points(plot)
    radius = chart.point_radius()
    assert radius >= chart.fontMetrics().height() / 4
    for point in (points["general"][0], points["clinical"][0]):
        assert plot.left() + radius < point.x() < plot.right() - radius
        assert plot.top() + radius < point.y() < plot.bottom() - radius
    image = chart.grab().toImage()  # drawn filled: its centre has the domain's colour
    centre = chart.accuracy_points(chart.accuracy_plot())["general"][0].toPoint()
    assert image.pixelColor(centre).rgb() == chart.domain_color(0).rgb()


def _progress_with(window: Any, qtbot: Any, results: dict[str, bool], rate_a_card: bool = False) -> Any:
    """Study > Progress after one answer today in each of results' domains (right or wrong), and
    with rate_a_card, a card studied today and, missed, due again today."""
    study = window.study_tab
    window.show_tab("study")
    session = study.quiz.progress.start_session("quick")
    for domain, right in results.items():
        question = next(q for q in study.quiz.bank if q.domain == domain)
        study.quiz.progress.record_answer(session, question.id, domain, question.answer if right else "x", right)
    if rate_a_card:
        reviewer = study.flashcards.reviewer
        reviewer.rate(reviewer.next_card("Key figures"), 1)
    study.sections.setCurrentIndex(2)
    qtbot.waitUntil(lambda: study.progress_page.chart.width() > 400)  # laid out, as the user sees it
    return study.progress_page


def _pixels(image: Any, color: Any, box: Any) -> int:
    """How many of box's pixels have exactly this colour (a mark's fill is drawn in it, unblended)."""
    return sum(image.pixel(x, y) == color.rgb() for x in range(max(0, box.left()), min(image.width(), box.right() + 1))
               for y in range(max(0, box.top()), min(image.height(), box.bottom() + 1)))


def test_equal_quiz_results_on_a_day_stay_visible_side_by_side(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    """Administrative's 100% was drawn exactly under Clinical's 100% (and General's under both): the
    walk-through saw one point where three results were."""
    from PySide6.QtCore import QRect

    window = make_window(data_dir=tmp_path, clock=Clock())
    page = _progress_with(window, qtbot, {"general": True, "administrative": True, "clinical": True, "career": False})
    chart = page.chart
    assert "Administrative: 100% of 1" in page.accessibleDescription()  # what a screen reader hears stays right
    points = chart.accuracy_points(chart.accuracy_plot())
    tied = [points[domain][0] for domain in ("general", "administrative", "clinical")]
    centre = tied[1].toPoint()
    near = chart.fontMetrics().height() * 3
    image = chart.grab().toImage()
    for index in range(3):  # each of the three 100%s shows in its own colour where the day's results are
        assert _pixels(image, chart.domain_color(index), QRect(centre.x() - near, centre.y() - near, 2 * near, 2 * near)) >= 12
    assert len({point.y() for point in tied}) == 1  # side by side: each still at its own value, 100% ...
    assert min(abs(a.x() - b.x()) for a, b in itertools.combinations(tied, 2)) >= chart.point_radius()  # ... apart
    assert points["career"][0].y() > tied[0].y() + chart.fontMetrics().height()  # 0% stays on its day, alone
    marks = [series.mark for series in chart.domain_series()]
    assert len(set(marks)) == len(marks)  # and each domain has its own shape, told apart without colour


def test_progress_marks_are_drawn_whole_inside_the_plot(qapp: Any) -> None:
    """Today's points, and those at 0% and 100%, stay whole inside the frame, even four side by side,
    with large text in a narrow window."""
    import datetime

    from PySide6.QtCore import QRect, QRectF

    from cma_desktop.content.model import DOMAIN_LABELS
    from cma_desktop.views.progress_chart import ProgressChart

    today = datetime.date(2026, 11, 28)
    first = today - datetime.timedelta(days=ProgressChart.DAYS - 1)
    for scale, width in ((1.0, 700), (1.6, 420)):
        chart = ProgressChart()
        font = chart.font()
        font.setPointSizeF(font.pointSizeF() * scale)
        chart.setFont(font)
        chart.resize(width, chart.minimumHeight())
        chart.set_data({domain: [(first, 0.0), (today, 1.0)] for domain in DOMAIN_LABELS}, {}, {}, today)
        plot = chart.accuracy_plot()
        inside = QRectF(plot).adjusted(1, 1, -1, -1)  # within the frame's line
        marks = chart.accuracy_marks(plot)
        assert sum(len(each) for each in marks.values()) == 2 * len(DOMAIN_LABELS)
        for domain, rects in marks.items():
            for rect in rects:
                assert inside.contains(rect), (scale, domain, rect, inside)
        image = chart.grab().toImage()
        reach = int(chart.mark_reach()) + 2
        for index in range(len(DOMAIN_LABELS)):  # and drawn: none of a mark outside the frame
            color = chart.domain_color(index)
            assert _pixels(image, color, QRect(plot.right() + 1, plot.top() - reach, reach, plot.height() + 2 * reach)) == 0
            assert _pixels(image, color, QRect(plot.left() - reach, plot.top() - reach, reach, plot.height() + 2 * reach)) == 0
            assert _pixels(image, color, QRect(plot.left(), plot.top() - reach, plot.width(), reach)) == 0
            assert _pixels(image, color, plot) > 0


def test_progress_series_each_have_their_own_colour_in_light_and_dark(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    """The cards due were drawn in Clinical's orange, and cards studied in General's blue: the legends
    named one colour twice."""
    from PySide6.QtCore import QRect

    window = make_window(data_dir=tmp_path, clock=Clock())
    page = _progress_with(window, qtbot, {"general": True, "clinical": False}, rate_a_card=True)
    chart = page.chart
    assert sum(chart.studied.values()) == 1 and sum(chart.due.values()) == 1
    for theme in ("light", "dark"):
        window.theme_actions[theme].trigger()
        qtbot.wait(10)
        image = chart.grab().toImage()
        days_chart = QRect(0, chart.height() // 2, chart.width(), chart.height() - chart.height() // 2)
        for index in range(4):  # no domain's colour among the bars of cards studied and due
            assert _pixels(image, chart.domain_color(index), days_chart) == 0, (theme, index)
        studied, due = chart.day_series()
        series = [*chart.domain_series(), studied, due]
        assert _pixels(image, studied.color, days_chart) > 0 and _pixels(image, due.color, days_chart) > 0
        for one, other in itertools.combinations(series, 2):  # told apart at a glance, and by shape or fill
            assert _lab_distance(one.color, other.color) >= 25 and one.mark != other.mark, (theme, one.label, other.label)
        background = chart.plot_background()
        assert (background.lightness() < 128) == (theme == "dark")
        for each in series:  # each reads against the plot (WCAG's 3:1 for graphics)
            assert _contrast(each.color, background) >= 3, (theme, each.label)
    window.theme.apply("system")


def _linear(color: Any) -> list[float]:
    return [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in (color.redF(), color.greenF(), color.blueF())]


def _lab_distance(one: Any, other: Any) -> float:
    """How different two colours look: their distance in CIELAB (D65), about 2 for a difference just seen."""
    def lab(color: Any) -> tuple[float, float, float]:
        r, g, b = _linear(color)
        xyz = ((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b,
               (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)
        x, y, z = (t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz)
        return 116 * y - 16, 500 * (x - y), 200 * (y - z)
    return sum((a - b) ** 2 for a, b in zip(lab(one), lab(other), strict=True)) ** 0.5


def test_coming_back_to_study_focuses_the_section_on_show(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    """Not the deck list hidden behind the quiz, where Enter would start cards out of sight."""
    window = active(make_window(data_dir=tmp_path), qtbot)
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    window.study_tab.sections.setCurrentIndex(1)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    focused = window.focusWidget()
    assert focused is not None and focused.isVisible() and window.study_tab.quiz.isAncestorOf(focused)


def test_card_and_question_text_grow_with_view_larger_text(make_window: Any, tmp_path: Path, qtbot: Any, qapp: Any) -> None:
    window = active(make_window(data_dir=tmp_path), qtbot)
    window.show_tab("study")
    study = window.study_tab
    front, stem = study.flashcards.front, study.quiz.stem
    ratio = front.font().pointSizeF() / qapp.font().pointSizeF()
    for _ in range(4):
        qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: abs(front.font().pointSizeF() - qapp.font().pointSizeF() * ratio) < 0.01, timeout=2000)
    assert stem.font().pointSizeF() > qapp.font().pointSizeF() and stem.font().bold()  # still larger than the choices
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: abs(front.font().pointSizeF() - qapp.font().pointSizeF() * ratio) < 0.01, timeout=2000)


def test_a_screen_reader_hears_each_card_question_answer_and_score(make_window: Any, tmp_path: Path, qtbot: Any,
                                                                  monkeypatch: Any) -> None:
    spoken: list[str] = []
    monkeypatch.setattr("cma_desktop.views.study_pages.announce", lambda _widget, text: spoken.append(text))
    window = active(make_window(data_dir=tmp_path), qtbot)
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    cards = window.study_tab.flashcards
    key(qtbot, window, Qt.Key.Key_Return)
    focused = window.focusWidget()
    assert focused.accessibleName() == "Flashcard" and cards.card.front in focused.accessibleDescription()
    key(qtbot, window, Qt.Key.Key_Space)
    assert cards.card.back in spoken[-1]

    window.study_tab.sections.setCurrentIndex(1)
    quiz = window.study_tab.quiz
    quiz.show_setup()
    quiz.start()
    question = quiz.session.current
    page = window.focusWidget()
    assert page.accessibleName().startswith("Question 1 of 10")
    assert question.stem in page.accessibleDescription() and question.choices[0] in page.accessibleDescription()
    key(qtbot, window, Qt.Key.Key_Return)  # no choice yet
    assert spoken[-1].startswith("Choose an answer first")
    key(qtbot, window, Qt.Key.Key_F)
    assert spoken[-1] == "Flagged to review later"
    key(qtbot, window, Qt.Key(Qt.Key.Key_1 + question.choices.index(question.answer)))
    assert spoken[-1].startswith("Chosen: ") and question.answer in spoken[-1]
    key(qtbot, window, Qt.Key.Key_Return)
    assert spoken[-1].startswith("Right.")
    quiz.end_button.click()
    assert spoken[-1].startswith("1 of 1 right") or spoken[-1].startswith("1 of 10 right")
    assert window.focusWidget() is quiz.again_button
    key(qtbot, window, Qt.Key.Key_Return)  # Enter starts over, as Space does
    assert quiz.stack.currentIndex() == 0


def test_an_answer_that_could_not_be_saved_says_so(make_window: Any, tmp_path: Path, qtbot: Any, monkeypatch: Any) -> None:
    from cma_desktop.store.notes_store import StoreError

    window = active(make_window(data_dir=tmp_path), qtbot)
    window.show_tab("study")
    window.study_tab.sections.setCurrentIndex(1)
    quiz = window.study_tab.quiz
    quiz.start()
    question = quiz.session.current

    def disk_full(*_args: Any) -> None:
        raise StoreError("The disk is full.")

    monkeypatch.setattr(quiz.progress, "record_answer", disk_full)
    quiz.choose(question.choices.index(question.answer))
    quiz.submit()
    assert quiz.feedback.text().startswith("Right.") and "could not be saved: The disk is full." in quiz.feedback.text()


def test_the_keyboard_goes_straight_to_each_named_question_and_card(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    """A screen reader heard the page unnamed, then buttons the keyboard passed on its way, and never
    the line saying when a rated card comes back."""
    window = active(make_window(data_dir=tmp_path), qtbot)
    quiz = open_quiz_setup(window)
    reached: list[tuple[str, str]] = []

    def focus_moved(_old: Any, new: Any) -> None:
        if new is not None:
            reached.append((type(new).__name__, new.accessibleName() or new.text() if hasattr(new, "text") else new.accessibleName()))

    QApplication.instance().focusChanged.connect(focus_moved)
    try:
        key(qtbot, window, Qt.Key.Key_Return)  # start
        assert reached and reached[-1][1].startswith("Question 1 of 10")  # named when it takes the keyboard
        assert not any(kind == "QPushButton" for kind, _name in reached)
        question = quiz.session.current
        key(qtbot, window, Qt.Key(Qt.Key.Key_1 + question.choices.index(question.answer)))
        key(qtbot, window, Qt.Key.Key_Return)  # check: the keyboard on Next
        assert quiz.feedback.accessibleDescription() == quiz.feedback.text() != ""
        reached.clear()
        key(qtbot, window, Qt.Key.Key_Return)  # next question
        assert [name for _kind, name in reached] == [quiz.position_label.text()]  # straight there
        quiz.finish()
        assert quiz.result_label.accessibleDescription() == quiz.result_label.text()

        window.study_tab.sections.setCurrentIndex(0)
        cards = window.study_tab.flashcards
        cards.start(next(iter(cards.reviewer.decks)))
        cards.reveal()
        reached.clear()
        cards.rate(3)
        assert [kind for kind, _name in reached] == ["FocusRingPage"]
        assert "the card just rated comes back" in cards.review_page.accessibleDescription()
    finally:
        QApplication.instance().focusChanged.disconnect(focus_moved)


def test_starting_a_quiz_takes_the_keyboard_straight_to_the_question(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    """A screen reader speaks every widget the keyboard passes through: on the way from Start to
    the question it read out the Study sections' tab bar."""
    window = active(make_window(data_dir=tmp_path), qtbot)
    quiz = open_quiz_setup(window)
    quiz.start_button.setFocus(Qt.FocusReason.TabFocusReason)
    passed: list[Any] = []
    QApplication.instance().focusChanged.connect(lambda _old, new: passed.append(new))
    key(qtbot, window, Qt.Key.Key_Return)
    assert quiz.stack.currentIndex() == 1
    assert [type(w).__name__ for w in passed if w is not None] == [type(quiz.ask_page).__name__], passed
    assert window.focusWidget() is quiz.ask_page


def test_a_flashcard_deck_opens_with_the_keyboard_on_the_card(make_window: Any, tmp_path: Path, qtbot: Any) -> None:
    """As with the quiz: nothing between the deck list and the card is spoken."""
    window = active(make_window(data_dir=tmp_path), qtbot)
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    cards = window.study_tab.flashcards
    passed: list[Any] = []
    QApplication.instance().focusChanged.connect(lambda _old, new: passed.append(new))
    key(qtbot, window, Qt.Key.Key_Return)
    assert [w for w in passed if w is not None] == [cards.review_page], passed


def test_the_mock_exam_setup_says_what_it_asks_and_offers_as_many_questions_as_it_has(
        make_window: Any, tmp_path: Path, qtbot: Any, bundled_content: Any) -> None:
    from cma_desktop.study.quiz import question_bank

    window = active(make_window(data_dir=tmp_path), qtbot)
    quiz = open_quiz_setup(window)
    quiz.mode_box.setCurrentIndex(quiz.mode_box.findData("mock"))
    assert "general, administrative and clinical" in quiz.setup_note.text()
    assert quiz.length_box.maximum() == sum(q.domain != "career" for q in question_bank(bundled_content))
    quiz.mode_box.setCurrentIndex(quiz.mode_box.findData("quick"))
    assert quiz.setup_note.text() == ""


def test_progress_colours_are_chosen_against_the_plot_they_are_drawn_on(qtbot: Any) -> None:
    """A style may paint its windows dark and its fields light: the marks go on the light plot."""
    from PySide6.QtGui import QColor, QPalette

    from cma_desktop.views.progress_chart import ProgressChart

    chart = ProgressChart()
    qtbot.addWidget(chart)
    palette = chart.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    chart.setPalette(palette)
    for series in [*chart.domain_series(), *chart.day_series()]:
        assert _contrast(series.color, chart.plot_background()) >= 3, series.label
