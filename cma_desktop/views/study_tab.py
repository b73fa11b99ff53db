"""The Study tab (Ctrl+6): built when first shown, so study code and FSRS stay out of start-up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from cma_desktop.content.model import Content
from cma_desktop.store.notes_store import NotesStore
from cma_desktop.views.focus import FOCUS_MOVED_FOR_USER, focus_first_control, note_keyboard_use

if TYPE_CHECKING:
    from cma_desktop.views.study_pages import FlashcardsPage, ProgressPage, QuizPage


class StudyTab(QWidget):
    """Built when first shown: study code and the FSRS library stay out of start-up."""

    openTopic = Signal(str)

    def __init__(self, content: Content, store: NotesStore | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tab-study")
        self.setAccessibleName(self.tr("Study"))
        self.content = content
        self.store = store
        self.sections: QTabWidget | None = None
        self.flashcards: FlashcardsPage | None = None
        self.quiz: QuizPage | None = None
        self.progress_page: ProgressPage | None = None
        self.page_layout = QVBoxLayout(self)

    def showEvent(self, event: QShowEvent) -> None:
        self.ensure_built()
        super().showEvent(event)

    def ensure_built(self) -> None:
        if self.sections is not None or (self.page_layout.count() and self.store is None):
            return
        if self.store is None:
            from cma_desktop.views.study_pages import plain_label

            self.page_layout.addWidget(plain_label(self.tr("Study progress is kept with your notes, which are switched off for "
                                                   "this session, so study mode is not available."), self))
            return
        from cma_desktop.study.flashcards import Reviewer
        from cma_desktop.study.progress import StudyProgress
        from cma_desktop.views.study_pages import FlashcardsPage, ProgressPage, QuizPage

        progress = StudyProgress(self.store)
        self.sections = QTabWidget(self)
        self.sections.setAccessibleName(self.tr("Study sections"))
        self.flashcards = FlashcardsPage(Reviewer(self.content, progress), self.sections)
        self.quiz = QuizPage(self.content, progress, self.sections)
        reviewer = self.flashcards.reviewer
        self.progress_page = ProgressPage(progress, lambda: {c.id for deck in reviewer.decks.values() for c in deck},
                                          self.sections)
        for page, title in ((self.flashcards, self.tr("Flashcards")), (self.quiz, self.tr("Quiz")),
                            (self.progress_page, self.tr("Progress"))):
            self.sections.addTab(_scrolling(page), title)
        self.flashcards.openTopic.connect(self.openTopic)
        self.quiz.openTopic.connect(self.openTopic)
        self.sections.currentChanged.connect(self._section_changed)
        self.page_layout.addWidget(self.sections)
        self.sections.show()  # at once: a widget added to a visible parent would show only later

    def focus_start(self, reason: Qt.FocusReason) -> None:
        """The first control of the section on show (the deck list, the quiz setup, a card's buttons)."""
        self.ensure_built()
        area = self.sections.currentWidget() if self.sections is not None else None
        page = area.widget() if isinstance(area, QScrollArea) else area
        if page is None:
            self.setFocus(reason)
        elif not focus_first_control(page, reason):
            page.setFocus(reason)  # a page with no control of its own (Progress) takes it, with its name and summary

    def reload(self) -> None:
        """After the store changed underneath (clear my data): rebuild from what it holds now."""
        if self.sections is None:
            return
        focused = self.window().focusWidget()  # the window's, also while a dialog still has the application's
        had_focus = focused is not None and self.sections.isAncestorOf(focused)
        section = self.sections.currentIndex()
        self.sections.hide()  # its focus moves on now, not when it is deleted
        self.page_layout.removeWidget(self.sections)
        self.sections.deleteLater()
        self.sections = self.flashcards = self.quiz = self.progress_page = None
        if self.isVisible():
            self.ensure_built()
            assert self.sections is not None
            with QSignalBlocker(self.sections):  # not a user's switch: no focus ring for it, and nothing to refresh
                self.sections.setCurrentIndex(section)  # the section the user was in
            if had_focus:  # the keyboard stays in the section, not nowhere
                self.focus_start(FOCUS_MOVED_FOR_USER)

    def _section_changed(self, index: int) -> None:
        if self.flashcards is not None and index == 0:
            self.flashcards.refresh_decks()
        if not QGuiApplication.mouseButtons():  # Ctrl+Tab: Qt's own focus move hid the keyboard user's ring
            note_keyboard_use(self)
            focused = QApplication.focusWidget()
            if focused is not None:
                focused.update()


def _scrolling(page: QWidget) -> QScrollArea:
    """A study section that scrolls when the window is smaller than it (large text on a small
    screen) rather than forcing the window past the screen's edge."""
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.viewport().setAutoFillBackground(False)  # the section's tab pane shows through, joined to its tab
    page.setAutoFillBackground(False)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the page's own controls take the focus
    return area
