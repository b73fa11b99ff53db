"""Flashcard decks built from the content, scheduled with FSRS (the ``fsrs`` package)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from fsrs import Card, Rating, Scheduler

from cma_desktop.content.model import DUTY_CATEGORY_LABELS, Content, Figure
from cma_desktop.search.text import plain_text, readable_text
from cma_desktop.study.progress import StudyProgress

NEW_CARDS_PER_DAY = 20
RATINGS = {1: Rating.Again, 2: Rating.Hard, 3: Rating.Good, 4: Rating.Easy}
RATING_LABELS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


@dataclass(frozen=True)
class Flashcard:
    id: str  # stable, so review history survives content updates
    deck: str
    front: str
    back: str
    topic: str = ""  # kind/id of the topic it comes from, if any


def _mid_sentence(title: str) -> str:
    """A title as it reads inside a sentence: "Family medicine" -> "family medicine"; "EKG work" stays."""
    return title[:1].lower() + title[1:] if title[1:2].islower() else title


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _cited(figure: Figure, content: Content) -> str:
    """Who published a figure and for when, as every figure the app shows says."""
    source = content.source(figure.source)
    return f" ({source.publisher if source else figure.source}, {figure.as_of})"


def build_decks(content: Content) -> dict[str, list[Flashcard]]:
    """Decks in the order they are offered, each with its cards in a stable order."""
    decks: dict[str, list[Flashcard]] = {}

    def add(card: Flashcard) -> None:
        decks.setdefault(card.deck, []).append(card)

    for duty in content.duties:
        add(Flashcard(f"duty-kind/{duty.id}", "Duties: clinical or administrative?",
                      f"Is “{duty.title}” a clinical or an administrative duty?",
                      f"{DUTY_CATEGORY_LABELS[duty.category]}. {readable_text(duty.summary)}", f"duties/{duty.id}"))
    for spec in content.specializations:
        # Without one named, the content says nothing either way: the card claims no absence.
        own = f" Credential of its own: {_sentence(plain_text(spec.credential))}" if spec.credential else ""
        add(Flashcard(f"specialization/{spec.id}", "Specializations",
                      f"What does working in {_mid_sentence(spec.title)} involve?",
                      _sentence(readable_text(spec.summary)) + own, f"specializations/{spec.id}"))
    for setting in content.settings:
        # Asked by the figure's own label: a share where BLS gives one, a count of jobs where it gives that.
        measure = _mid_sentence(setting.share.label)
        add(Flashcard(f"setting/{setting.id}", "Work settings", f"{setting.title}: {measure} ({setting.share.as_of})?",
                      f"{setting.share.value}{_cited(setting.share, content)}. {readable_text(setting.summary)}",
                      f"settings/{setting.id}"))
    for credential in content.credentials:
        add(Flashcard(f"credential/{credential.id}", "Credentials and exam",
                      f"{credential.name}: who issues it, and how is it kept current?",
                      f"{_sentence(plain_text(credential.issuer))} Renewal: {_sentence(plain_text(credential.renewal))}"))
    for fact in content.quick_facts:
        add(Flashcard(f"figure/{fact.id}", "Key figures", f"{fact.label} ({fact.as_of})?",
                      f"{fact.value}{_cited(fact, content)}" + (f". {readable_text(fact.note)}" if fact.note else "")))
    for entry in content.faq:
        add(Flashcard(f"faq/{entry.id}", "FAQ", entry.question, readable_text(entry.answer), f"faq/{entry.id}"))
    for card in content.cards:
        add(Flashcard(f"card/{card.id}", card.deck, card.front, card.back, card.topics[0] if card.topics else ""))
    return decks


@dataclass(frozen=True)
class DeckCounts:
    due: int
    new: int


class Reviewer:
    """Chooses the next card and records ratings; scheduling is FSRS's, not ours."""

    def __init__(self, content: Content, progress: StudyProgress, scheduler: Scheduler | None = None,
                 clock: Callable[[], datetime.datetime] | None = None) -> None:
        self.decks = build_decks(content)
        self.progress = progress
        self.scheduler = scheduler or Scheduler()
        self._clock = clock or progress.store.now

    def now(self) -> datetime.datetime:
        return self._clock()

    def _states(self) -> dict[str, tuple[str, str]]:
        return self.progress.card_states()

    def _new_allowance(self) -> int:
        return max(0, NEW_CARDS_PER_DAY - self.progress.new_cards_started_today(self.now()))

    def counts(self, deck: str) -> DeckCounts:
        states, now = self._states(), self.now()
        due = sum(1 for card in self.decks[deck] if card.id in states and datetime.datetime.fromisoformat(states[card.id][1]) <= now)
        new = sum(1 for card in self.decks[deck] if card.id not in states)
        return DeckCounts(due, min(new, self._new_allowance()))

    def next_card(self, deck: str) -> Flashcard | None:
        """The most overdue card first, then new cards in deck order (up to the daily allowance)."""
        states, now = self._states(), self.now()
        due = [(datetime.datetime.fromisoformat(states[c.id][1]), c) for c in self.decks[deck] if c.id in states]
        due = [(when, c) for when, c in due if when <= now]
        if due:
            return min(due, key=lambda pair: pair[0])[1]
        if self._new_allowance() > 0:
            return next((c for c in self.decks[deck] if c.id not in states), None)
        return None

    def not_started(self, deck: str) -> int:
        """New cards in the deck, whether or not today's allowance lets them start."""
        states = self._states()
        return sum(1 for card in self.decks[deck] if card.id not in states)

    def next_due(self, deck: str) -> datetime.datetime | None:
        states = self._states()
        times = [datetime.datetime.fromisoformat(states[c.id][1]) for c in self.decks[deck] if c.id in states]
        return min(times, default=None)

    def rate(self, card: Flashcard, rating: int) -> datetime.datetime:
        """Records a rating (1 Again, 2 Hard, 3 Good, 4 Easy) and returns when the card is due next."""
        now = self.now()
        stored = self.progress.card_state(card.id)
        try:
            state = Card.from_json(stored) if stored else Card(due=now)
            updated, _log = self.scheduler.review_card(state, RATINGS[rating], now)
        except Exception:  # noqa: BLE001 - a schedule the scheduler cannot use: the card starts afresh, never stuck
            updated, _log = self.scheduler.review_card(Card(due=now), RATINGS[rating], now)
        self.progress.save_review(card.id, updated.to_json(), updated.due, rating, now)
        return updated.due
