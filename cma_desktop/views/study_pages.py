"""The Study tab's pages: flashcards (FSRS), practice quizzes and progress."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cma_desktop.content.model import DOMAIN_LABELS, KIND_LABELS, MAX_CHOICES, Content
from cma_desktop.placeholders import fill
from cma_desktop.views.choice_button import WrappingRadioButton
from cma_desktop.store.notes_store import StoreError
from cma_desktop.views.announce import announce
from cma_desktop.views.progress_chart import ProgressChart
from cma_desktop.views.focus import (
    FocusRingPage,
    give_keyboard_focus,
    keeps_focus_ring,
    note_keyboard_use,
    switch_page,
)


class _ScaledLabel(QLabel):
    """Text a size and weight relative to the app's text size, so View > text size scales it too."""

    def __init__(self, text: str, parent: QWidget | None, scale: float, bold: bool) -> None:
        super().__init__(text, parent)
        self._scale, self._bold = scale, bold
        self._apply_font(QApplication.font())
        # A font set on the label stops the new text size reaching it, so it follows the app's font itself.
        application = QApplication.instance()
        if isinstance(application, QApplication):
            application.fontChanged.connect(self._apply_font)

    def _apply_font(self, base: QFont) -> None:
        font = QFont(base)
        font.setPointSizeF(base.pointSizeF() * self._scale)
        font.setBold(self._bold)
        self.setFont(font)


def plain_label(text: str = "", parent: QWidget | None = None, scale: float = 1.0, bold: bool = False) -> QLabel:
    label = _ScaledLabel(text, parent, scale, bold) if scale != 1.0 or bold else QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)  # content is never read as HTML
    label.setWordWrap(True)
    return label


def _when(moment: datetime.datetime, now: datetime.datetime) -> str:
    delta = moment - now
    if delta <= datetime.timedelta(0):
        return "now"
    if delta < datetime.timedelta(hours=1):
        return f"in {max(1, int(delta.total_seconds() // 60))} min"
    if delta < datetime.timedelta(days=1):
        return f"in {int(delta.total_seconds() // 3600)} h"
    return f"in {delta.days} day(s), on {moment.astimezone().strftime('%d %b')}"


class FlashcardsPage(QWidget):
    openTopic = Signal(str)

    def __init__(self, reviewer: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from cma_desktop.study.flashcards import RATING_LABELS, Flashcard, Reviewer

        assert isinstance(reviewer, Reviewer)
        self.reviewer = reviewer
        self.card: Flashcard | None = None
        self.deck = ""
        self.stack = QStackedWidget(self)

        decks_page = QWidget(self)
        self.deck_list = QListWidget(decks_page)
        self.deck_list.setAccessibleName(self.tr("Decks"))
        self.deck_list.itemActivated.connect(lambda item: self.start(str(item.data(Qt.ItemDataRole.UserRole))))
        decks_layout = QVBoxLayout(decks_page)
        decks_layout.addWidget(plain_label(self.tr("Choose a deck and press Enter. Cards you know come back later; "
                                              "cards you miss come back soon."), decks_page))
        decks_layout.addWidget(self.deck_list)

        review_page = FocusRingPage(self)
        self.deck_label = plain_label("", review_page, bold=True)
        self.front = plain_label("", review_page, scale=1.4, bold=True)
        self.front.setAccessibleName(self.tr("Card front"))
        self.back = plain_label("", review_page, scale=1.15)
        self.back.setAccessibleName(self.tr("Card back"))
        self.show_button = QPushButton(self.tr("Show answer (Space)"), review_page)
        self.show_button.clicked.connect(self.reveal)
        self.rating_buttons: list[QPushButton] = []
        ratings = QHBoxLayout()
        for value, name in RATING_LABELS.items():
            button = QPushButton(f"{value} {self.tr(name)}", review_page)
            button.setAccessibleName(self.tr(name))
            button.clicked.connect(lambda _checked=False, v=value: self.rate(v))
            ratings.addWidget(button)
            self.rating_buttons.append(button)
        self.topic_button = QPushButton(self.tr("Open the topic"), review_page)
        self.topic_button.clicked.connect(lambda: self.card and self.openTopic.emit(self.card.topic))
        self.status = plain_label("", review_page)
        back_button = QPushButton(self.tr("Back to decks (Esc)"), review_page)
        back_button.clicked.connect(self.show_decks)
        review_layout = QVBoxLayout(review_page)
        review_layout.addWidget(self.deck_label)
        review_layout.addSpacing(12)
        review_layout.addWidget(self.front)
        review_layout.addSpacing(12)
        review_layout.addWidget(self.back)
        review_layout.addStretch(1)
        review_layout.addWidget(self.show_button)
        review_layout.addLayout(ratings)
        review_layout.addWidget(self.status)
        bottom = QHBoxLayout()
        bottom.addWidget(self.topic_button)
        bottom.addStretch(1)
        bottom.addWidget(back_button)
        review_layout.addLayout(bottom)
        self.review_page = review_page

        self.stack.addWidget(decks_page)
        self.stack.addWidget(review_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        review_page.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        review_page.setAccessibleName(self.tr("Flashcard"))  # its description is the card: read when it takes the focus
        review_page.installEventFilter(self)
        for widget in (self.show_button, *self.rating_buttons, self.topic_button, back_button):
            widget.installEventFilter(self)
        self.refresh_decks()

    def refresh_decks(self) -> None:
        current = self.deck_list.currentRow()
        self.deck_list.clear()
        for deck in self.reviewer.decks:
            counts = self.reviewer.counts(deck)
            item = QListWidgetItem(fill(self.tr("%1 — %2 due · %3 new"), deck, str(counts.due), str(counts.new)))
            item.setData(Qt.ItemDataRole.UserRole, deck)
            self.deck_list.addItem(item)
        self.deck_list.setCurrentRow(max(0, current))

    @keeps_focus_ring
    def show_decks(self) -> None:
        self.refresh_decks()
        switch_page(self.stack, 0)
        give_keyboard_focus(self.deck_list)

    @keeps_focus_ring
    def start(self, deck: str) -> None:
        self.deck = deck
        switch_page(self.stack, 1)
        self.show_next()

    @keeps_focus_ring
    def show_next(self, after: str = "") -> None:
        """The next card of the deck, or why there is none; after: what became of the card just rated."""
        self.card = self.reviewer.next_card(self.deck)
        self.deck_label.setText(self.deck)
        if self.card is None:
            upcoming, now = self.reviewer.next_due(self.deck), self.reviewer.now()
            waiting = self.reviewer.not_started(self.deck)
            if waiting:  # the day's new cards are used up: the rest are not gone
                from cma_desktop.study.flashcards import NEW_CARDS_PER_DAY

                left = (self.tr("The 1 new card left in this deck starts tomorrow.") if waiting == 1 else
                        fill(self.tr("The %1 new cards left in this deck start tomorrow."), str(waiting)))
                message = fill(self.tr("You have started today's %1 new cards (all decks together)."),
                               str(NEW_CARDS_PER_DAY)) + " " + left
            else:
                message = self.tr("Nothing more to study in this deck for now.")
            if upcoming is not None and (not waiting or upcoming.astimezone().date() == now.astimezone().date()):
                message += " " + self.tr("The next card is due %1.").replace("%1", _when(upcoming, now))
            self.front.setText(message)
        else:
            self.front.setText(self.card.front)
            self.back.setText(self.card.back)
        counts = self.reviewer.counts(self.deck)
        self.status.setText(" · ".join(filter(None, (fill(self.tr("%1 due · %2 new"), str(counts.due), str(counts.new)), after))))
        hint = self.tr("Space shows the answer.") if self.card is not None else ""
        self.review_page.setAccessibleDescription(" ".join(filter(None, (self.front.text(), hint, self.status.text()))))
        # Read when the page takes the keyboard; said, when it had it already. It takes it before the
        # buttons that may have it are switched off: Qt would move it along them, read one by one.
        if self.review_page.hasFocus():
            announce(self.review_page, self.review_page.accessibleDescription())
        give_keyboard_focus(self.review_page)
        self.back.hide()
        for button in self.rating_buttons:
            button.setEnabled(False)
        self.show_button.setEnabled(self.card is not None)
        self.topic_button.setEnabled(self.card is not None and bool(self.card.topic))

    @keeps_focus_ring
    def reveal(self) -> None:
        if self.card is None:
            return
        self.back.show()
        self.show_button.setEnabled(False)
        for button in self.rating_buttons:
            button.setEnabled(True)
        give_keyboard_focus(self.rating_buttons[2])
        announce(self.back, self.tr("Answer: %1 How well did you know it? 1 Again, 2 Hard, 3 Good, 4 Easy.")
                 .replace("%1", self.back.text()))

    def rate(self, rating: int) -> None:
        if self.card is None or not self.back.isVisible():
            return
        try:
            due = self.reviewer.rate(self.card, rating)
        except StoreError as error:
            self.status.setText(str(error))
            return
        self.show_next(after=self.tr("the card just rated comes back %1").replace("%1", _when(due, self.reviewer.now())))

    def eventFilter(self, watched: object, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            note_keyboard_use(self)
        if self.stack.currentIndex() == 1 and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            key = _unmodified_key(event)
            # Space on a focused button presses that button, as everywhere else
            if key == Qt.Key.Key_Space and not self.back.isVisible() and not isinstance(watched, QAbstractButton):
                self.reveal()
                return True
            if Qt.Key.Key_1 <= key <= Qt.Key.Key_4:
                self.rate(int(key) - int(Qt.Key.Key_0))
                return True
            if key == Qt.Key.Key_Escape:
                self.show_decks()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(watched, QPushButton) and watched.isEnabled():
                watched.click()  # Enter presses the focused button (Show answer, a rating, Open the topic)
                return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]


def _set_readable(label: QLabel, text: str) -> None:
    """A label named for what it is ("Answer feedback") shows its text, and gives it to screen
    readers as its description, to be read again after it was announced."""
    label.setText(text)
    label.setAccessibleDescription(text)


_CLICK_EVENTS = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick)


def _lock_choice(button: QRadioButton, locked: bool) -> None:
    """An answered question's choices stay as they were picked (clicks on them are dropped by the
    page's event filter). They are not disabled: disabled text is too faint to read the answer
    marked right."""
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus if locked else Qt.FocusPolicy.StrongFocus)


def _unmodified_key(event: QKeyEvent) -> int:
    """The key pressed, or 0 when Ctrl, Alt or Meta is held: Alt+1 is a menu's, not a choice. Shift
    counts as no modifier: on AZERTY keyboards the digits need it."""
    held = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
    if event.modifiers() & held:
        return 0
    return int(event.key())


class QuizPage(QWidget):
    openTopic = Signal(str)

    def __init__(self, content: Content, progress: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from cma_desktop.study.progress import StudyProgress
        from cma_desktop.study.quiz import MODES, QuizSession, mock_exam_pool, question_bank

        assert isinstance(progress, StudyProgress)
        self.content = content
        self.progress = progress
        self.bank = question_bank(content)
        self.session: QuizSession | None = None
        self.session_id = ""
        self.rng = random.Random()
        self.stack = QStackedWidget(self)

        # -- setup -------------------------------------------------------------------------
        setup = QWidget(self)
        self.mode_box = QComboBox(setup)
        self.mode_box.setAccessibleName(self.tr("Quiz mode"))
        for key, label in MODES.items():
            self.mode_box.addItem(self.tr(label), key)
        self.domain_box = QComboBox(setup)
        self.domain_box.setAccessibleName(self.tr("Domain"))
        for key, label in DOMAIN_LABELS.items():
            self.domain_box.addItem(self.tr(label), key)
        self.topic_box = QComboBox(setup)
        self.topic_box.setAccessibleName(self.tr("Topic"))
        for kind in ("duties", "specializations", "settings", "faq", "credentials", "steps", "advancement"):
            if any(t.startswith(kind + "/") for q in self.bank for t in q.topics):
                self.topic_box.addItem(self.tr(KIND_LABELS[kind]), kind)
        self.length_box = QSpinBox(setup)
        self.length_box.setAccessibleName(self.tr("Number of questions"))
        mock_questions = len(mock_exam_pool(self.bank))
        self.length_box.setRange(5, max(5, mock_questions))
        self.length_box.setValue(min(50, mock_questions))
        self.minutes_box = QSpinBox(setup)
        self.minutes_box.setAccessibleName(self.tr("Time limit in minutes"))
        self.minutes_box.setRange(1, 240)
        self.minutes_box.setValue(40)
        self.start_button = QPushButton(self.tr("Start"), setup)
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.setup_note = plain_label("", setup)
        form = QFormLayout(setup)
        form.addRow(self.tr("Mode"), self.mode_box)
        form.addRow(self.tr("Domain"), self.domain_box)
        form.addRow(self.tr("Topic"), self.topic_box)
        form.addRow(self.tr("Questions (mock exam)"), self.length_box)
        form.addRow(self.tr("Minutes (mock exam)"), self.minutes_box)
        form.addRow("", self.start_button)
        form.addRow("", self.setup_note)
        self.mode_box.currentIndexChanged.connect(self._mode_changed)

        # -- a question ----------------------------------------------------------------------
        ask = FocusRingPage(self)
        self.position_label = plain_label("", ask)
        self.timer_label = plain_label("", ask, bold=True)
        self.timer_label.setAccessibleName(self.tr("Time left"))
        self.stem = plain_label("", ask, scale=1.25, bold=True)
        self.stem.setAccessibleName(self.tr("Question"))
        self.choice_group = QButtonGroup(self)
        self.choice_buttons: list[QRadioButton] = []
        choices_box = QVBoxLayout()
        for index in range(MAX_CHOICES):
            button = WrappingRadioButton(ask)  # a long answer wraps instead of widening the window
            self.choice_group.addButton(button, index)
            choices_box.addWidget(button)
            self.choice_buttons.append(button)
        self.flag_box = QCheckBox(self.tr("Flag this question to review later (F)"), ask)
        self.flag_box.toggled.connect(self._flag_toggled)
        self.feedback = plain_label("", ask)
        self.feedback.setAccessibleName(self.tr("Answer feedback"))
        self.submit_button = QPushButton(self.tr("Check answer (Enter)"), ask)
        self.submit_button.clicked.connect(self.submit)
        self.next_button = QPushButton(self.tr("Next question (Enter)"), ask)
        self.next_button.clicked.connect(self.next_question)
        self.topic_button = QPushButton(self.tr("Open the topic"), ask)
        self.topic_button.clicked.connect(self._open_topic)
        self.end_button = QPushButton(self.tr("End quiz"), ask)
        self.end_button.clicked.connect(self.finish)
        top = QHBoxLayout()
        top.addWidget(self.position_label, 1)
        top.addWidget(self.timer_label)
        # Two rows, the steps of a question above the way out of it: one row was wider than an
        # 800-pixel window at the largest text size.
        steps, way_out = QHBoxLayout(), QHBoxLayout()
        steps.addWidget(self.submit_button)
        steps.addWidget(self.next_button)
        steps.addStretch(1)
        way_out.addWidget(self.topic_button)
        way_out.addStretch(1)
        way_out.addWidget(self.end_button)
        ask_layout = QVBoxLayout(ask)
        ask_layout.addLayout(top)
        ask_layout.addWidget(self.stem)
        ask_layout.addLayout(choices_box)
        ask_layout.addWidget(self.flag_box)
        ask_layout.addWidget(self.feedback)
        ask_layout.addStretch(1)
        ask_layout.addLayout(steps)
        ask_layout.addLayout(way_out)
        self.ask_page = ask

        # -- results ---------------------------------------------------------------------------
        results = QWidget(self)
        self.result_label = plain_label("", results, scale=1.2, bold=True)
        self.result_label.setAccessibleName(self.tr("Quiz result"))
        self.breakdown = plain_label("", results)
        again = QPushButton(self.tr("New quiz"), results)
        again.setAutoDefault(True)  # Enter as well as Space, like the other steps of a quiz
        again.clicked.connect(self.show_setup)
        results_layout = QVBoxLayout(results)
        results_layout.addWidget(self.result_label)
        results_layout.addWidget(self.breakdown)
        results_layout.addStretch(1)
        results_layout.addWidget(again)
        self.again_button = again

        for page in (setup, ask, results):
            self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        ask.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        ask.installEventFilter(self)
        for widget in (self.mode_box, self.domain_box, self.topic_box, self.length_box, self.minutes_box, setup):
            widget.installEventFilter(self)
        self.setup_page = setup
        for widget in (*self.choice_buttons, self.flag_box, self.submit_button, self.next_button, self.topic_button,
                       self.end_button):
            widget.installEventFilter(self)
        self._mode_changed()

    # -- flow ----------------------------------------------------------------------------------
    def _mode_changed(self, *_args: object) -> None:
        mode = str(self.mode_box.currentData())
        self.domain_box.setEnabled(mode == "domain")
        self.topic_box.setEnabled(mode == "topic")
        self.length_box.setEnabled(mode == "mock")
        self.minutes_box.setEnabled(mode == "mock")
        self.setup_note.setText(self.tr(
            "Questions from the exam's three areas: general, administrative and clinical. Questions on the "
            "credential itself and the career are left out: the exam does not ask them.") if mode == "mock" else "")

    @keeps_focus_ring
    def show_setup(self) -> None:
        switch_page(self.stack, 0)
        give_keyboard_focus(self.mode_box)

    @keeps_focus_ring
    def start(self) -> None:
        from cma_desktop.study.quiz import QUICK_QUIZ_LENGTH, QuizSession, select

        mode = str(self.mode_box.currentData())
        length = self.length_box.value() if mode == "mock" else QUICK_QUIZ_LENGTH
        questions = select(self.bank, mode, self.rng, length=length, domain=str(self.domain_box.currentData()),
                           topic=str(self.topic_box.currentData()), last_results=self.progress.last_results(),
                           flagged=self.progress.flagged())
        if not questions:
            empty = {"wrong": self.tr("No wrong answers to review: well done, or take a quiz first."),
                     "flagged": self.tr("No flagged questions yet: press F during a quiz to flag one.")}
            self.setup_note.setText(empty.get(mode, self.tr("No questions for that choice.")))
            announce(self.setup_note, self.setup_note.text())
            return
        limit = datetime.timedelta(minutes=self.minutes_box.value()) if mode == "mock" else None
        self.session = QuizSession(questions, mode, time_limit=limit, clock=self.progress.store.now)
        try:
            self.session_id = self.progress.start_session(mode)
        except StoreError as error:
            self.setup_note.setText(str(error))
            announce(self.setup_note, self.setup_note.text())
            return
        if limit is not None:
            self.timer.start()
        self._show_question()

    @keeps_focus_ring
    def _show_question(self) -> None:
        assert self.session is not None
        question = self.session.current
        if question is None:
            self.finish()
            return
        self.position_label.setText(fill(self.tr("Question %1 of %2 · %3"), self.session.position + 1,
                                         len(self.session.questions), self.tr(DOMAIN_LABELS[question.domain])))
        self.stem.setText(question.stem)
        self.choice_group.setExclusive(False)
        for index, button in enumerate(self.choice_buttons):
            button.setChecked(False)
            button.setVisible(index < len(question.choices))
            _lock_choice(button, False)
            if index < len(question.choices):
                button.setText(f"{index + 1}. {question.choices[index]}")
        self.choice_group.setExclusive(True)
        with_flag = question.id in self.progress.flagged()
        self.flag_box.blockSignals(True)
        self.flag_box.setChecked(with_flag)
        self.flag_box.blockSignals(False)
        _set_readable(self.feedback, "")
        self._tick()
        # Read when the page takes the focus: where the quiz is, the question and its choices. So
        # these come first, then the page (shown only now) takes the keyboard, and only then is
        # the Next button it may come from switched off: Qt would move the keyboard along others.
        self.ask_page.setAccessibleName(self.position_label.text())
        self.ask_page.setAccessibleDescription(" ".join([question.stem, *(b.text() for b in self.choice_buttons if b.isVisibleTo(self.ask_page))]))
        if self.stack.currentIndex() != 1:
            switch_page(self.stack, 1)
        give_keyboard_focus(self.ask_page)
        self.submit_button.setEnabled(True)
        self.next_button.setEnabled(False)
        self.topic_button.setEnabled(False)

    def choose(self, index: int) -> None:
        if 0 <= index < len(self.choice_buttons) and self.choice_buttons[index].isVisible() and self.submit_button.isEnabled():
            self.choice_buttons[index].setChecked(True)
            announce(self.choice_buttons[index], self.tr("Chosen: %1").replace("%1", self.choice_buttons[index].text()))

    @keeps_focus_ring
    def submit(self) -> None:
        if self.session is None or self.session.current is None or not self.submit_button.isEnabled():
            return
        index = self.choice_group.checkedId()
        if index < 0:
            _set_readable(self.feedback, self.tr("Choose an answer first (1-%1).").replace("%1", str(len(self.session.current.choices))))
            announce(self.feedback, self.feedback.text())
            return
        question = self.session.current
        result = self.session.answer(question.choices[index])
        not_saved = ""
        try:
            self.progress.record_answer(self.session_id, question.id, question.domain, question.choices[index], result.correct)
        except StoreError as error:  # the quiz goes on; the user is told this answer will not count later
            not_saved = " " + self.tr("(This answer could not be saved: %1)").replace("%1", str(error))
        verdict = self.tr("Right.") if result.correct else self.tr("Not quite. The answer is: %1.").replace("%1", result.answer)
        _set_readable(self.feedback, f"{verdict} {result.explanation}{not_saved}")
        for choice_index, button in enumerate(self.choice_buttons):
            _lock_choice(button, True)
            if choice_index < len(question.choices) and question.choices[choice_index] == result.answer:
                button.setText("✓ " + button.text())
            elif choice_index == index:
                button.setText("✗ " + button.text())
        self.submit_button.setEnabled(False)
        self.next_button.setEnabled(True)
        self.topic_button.setEnabled(bool(result.topics))
        give_keyboard_focus(self.next_button)
        announce(self.feedback, self.feedback.text())

    def next_question(self) -> None:
        if self.session is None:
            return
        self.session.next()
        self._show_question()

    @keeps_focus_ring
    def finish(self) -> None:
        self.timer.stop()
        if self.session is None:
            return
        right, total = self.session.score()
        try:
            self.progress.finish_session(self.session_id)
        except StoreError:
            pass  # the answers themselves were saved one by one
        if total:
            heading = fill(self.tr("%1 of %2 right (%3%)"), str(right), str(total), str(round(100 * right / total)))
        else:
            heading = self.tr("The quiz ended before any answer")
        if self.session.not_reached():
            heading += fill(self.tr("; %1 not answered"), str(self.session.not_reached()))
        if self.session.timed_out:
            heading = self.tr("Time is up. ") + heading
        _set_readable(self.result_label, heading)
        lines = [f"{self.tr(DOMAIN_LABELS[d])}: {r} of {t}" for d, (r, t) in sorted(self.session.score_by_domain().items())]
        _set_readable(self.breakdown, "\n".join(lines))
        self.session = None
        # The clock can end a mock exam while the user is elsewhere in the app: the keyboard stays there.
        focused = QApplication.focusWidget()
        was_here = self.isVisible() and focused is not None and self.isAncestorOf(focused)
        switch_page(self.stack, 2)
        if was_here:
            give_keyboard_focus(self.again_button)
        announce(self.result_label, f"{heading}. {'; '.join(lines)}")

    def _tick(self) -> None:
        if self.session is None:
            return
        left = self.session.time_left()
        if left is None:
            self.timer_label.setText("")
            return
        minutes, seconds = divmod(int(left.total_seconds()), 60)
        self.timer_label.setText(fill(self.tr("Time left %1:%2"), str(minutes), f"{seconds:02d}"))
        if self.session.timed_out:
            self.finish()

    def _flag_toggled(self, on: bool) -> None:
        if self.session is not None and self.session.current is not None:
            try:
                self.progress.set_flag(self.session.current.id, on)
            except StoreError as error:
                _set_readable(self.feedback, str(error))
                announce(self.feedback, self.feedback.text())
                return
            announce(self.flag_box, self.tr("Flagged to review later") if on else self.tr("No longer flagged"))

    def _open_topic(self) -> None:
        if self.session is not None:
            answered = [q for q in self.session.questions if q.id in self.session.answers]
            if answered and answered[-1].topics:
                self.openTopic.emit(answered[-1].topics[0])

    def eventFilter(self, watched: object, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            note_keyboard_use(self)
        if self.stack.currentIndex() == 0 and event.type() == QEvent.Type.KeyPress:
            popup_open = isinstance(watched, QComboBox) and watched.view().isVisible()
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not popup_open:  # type: ignore[attr-defined]
                self.start()
                return True
        answered = not self.submit_button.isEnabled()
        if answered and watched in self.choice_buttons and event.type() in _CLICK_EVENTS:
            return True
        if self.stack.currentIndex() == 1 and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            key = _unmodified_key(event)
            if Qt.Key.Key_1 <= key <= Qt.Key.Key_6:
                self.choose(int(key) - int(Qt.Key.Key_1))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(watched, QPushButton) \
                    and watched not in (self.submit_button, self.next_button):
                watched.click()  # Enter on a focused button (Open the topic, End quiz) presses it
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                (self.submit if self.submit_button.isEnabled() else self.next_question)()
                return True
            if key == Qt.Key.Key_F:
                self.flag_box.toggle()
                return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]


class ProgressPage(FocusRingPage):
    def __init__(self, progress: object, card_ids: Callable[[], set[str]] | None = None,
                 parent: QWidget | None = None) -> None:
        """card_ids: the flashcards the content has now; others are not counted as due."""
        super().__init__(parent)
        from cma_desktop.study.progress import StudyProgress

        assert isinstance(progress, StudyProgress)
        self.progress = progress
        self.card_ids: Callable[[], set[str] | None] = card_ids or (lambda: None)
        self.summary = plain_label("", self)
        self.summary.setAccessibleName(self.tr("Progress summary"))
        # The page itself takes the focus (nothing on it is a control): named, and read with its summary.
        self.setAccessibleName(self.tr("Progress"))
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.chart = ProgressChart(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.chart, 1)

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        today = self.progress.store.now().astimezone().date()  # the user's own day
        since = today - datetime.timedelta(days=ProgressChart.DAYS - 1)
        accuracy: dict[str, list[tuple[datetime.date, float]]] = {}
        for row in self.progress.domain_accuracy_per_day(since):
            accuracy.setdefault(row.domain, []).append((row.day, row.correct / row.total if row.total else 0.0))
        studied = {c.day: c.count for c in self.progress.cards_studied_per_day(since)}
        due = {c.day: c.count for c in self.progress.due_per_day(today + datetime.timedelta(days=ProgressChart.DAYS),
                                                                 self.card_ids())}
        if due:  # everything overdue counts as due today
            overdue = sum(count for day, count in due.items() if day < today)
            due = {day: count for day, count in due.items() if day >= today}
            due[today] = due.get(today, 0) + overdue
        self.chart.set_data(accuracy, studied, due, today)
        totals = self.progress.domain_totals()
        parts = [f"{self.tr(DOMAIN_LABELS[d])}: {round(100 * r / t)}% of {t}" for d, (r, t) in totals.items() if t and d in DOMAIN_LABELS]
        quiz = self.tr("Quiz accuracy so far: %1.").replace("%1", "; ".join(parts)) if parts else self.tr("No quiz answers yet.")
        cards = fill(self.tr("Cards studied today: %1; due today: %2."), str(studied.get(today, 0)), str(due.get(today, 0)))
        self.summary.setText(f"{quiz} {cards}")
        self.setAccessibleDescription(self.summary.text())
