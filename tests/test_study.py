"""Study mode core: FSRS scheduling, quiz modes and scoring, the timer, and progress that persists."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fsrs import Card, Rating, Scheduler

from cma_desktop.store.notes_store import NotesStore
from cma_desktop.study.flashcards import NEW_CARDS_PER_DAY, Reviewer, build_decks
from cma_desktop.study.progress import DayCount, StudyProgress
from cma_desktop.study.quiz import QuizSession, question_bank, select
from tests.conftest import write
from tests.samples import MINIMAL


class Clock:
    def __init__(self) -> None:
        self.now = datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.timezone.utc)

    def __call__(self) -> datetime.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += datetime.timedelta(**delta)


def reviewer(tmp_path: Path, content: Any, clock: Clock) -> Reviewer:
    store = NotesStore(tmp_path, clock=clock)
    return Reviewer(content, StudyProgress(store), Scheduler(enable_fuzzing=False), clock)


def test_decks_come_from_the_content(bundled_content: Any) -> None:
    decks = build_decks(bundled_content)
    duty_cards = decks["Duties: clinical or administrative?"]
    assert len(duty_cards) == len(bundled_content.duties)
    first = bundled_content.duties[0]
    assert first.title in duty_cards[0].front and duty_cards[0].back.startswith(first.category.capitalize())
    assert {"Specializations", "Work settings", "Credentials and exam", "Key figures", "FAQ"} <= set(decks)
    assert any("$44,200 (U.S. Bureau of Labor Statistics, May 2024)" in c.back for c in decks["Key figures"])  # source and date
    for card, setting in zip(decks["Work settings"], bundled_content.settings, strict=True):
        # a count of jobs is asked as a count, never as a share
        assert ("share" in card.front.lower()) == ("share" in setting.share.label.lower()), card.front
    authored = {c.deck for c in bundled_content.cards}
    assert authored <= set(decks)


def test_faq_cards_give_the_whole_answer_in_readable_lines(bundled_content: Any) -> None:
    """The back of an FAQ card answers the question on its front: every paragraph, lines joined
    where the source wrapped them, list items on lines of their own."""
    import re

    cards = {c.id: c for c in build_decks(bundled_content)["FAQ"]}
    for entry in bundled_content.faq:
        back = cards[f"faq/{entry.id}"].back
        assert "…" not in back and "**" not in back
        last_paragraph = entry.answer.strip().split("\n\n")[-1].split()
        assert " ".join(last_paragraph[-4:]).replace("*", "") in back, entry.id
        for line in back.splitlines():
            assert not re.match(r"[a-z]", line), (entry.id, line)  # no sentence broken where the source wrapped
    listing = cards["faq/job-prospects"].back
    assert "\n• an aging population needs more preventive and ongoing care;\n" in listing


def test_specialization_cards_claim_no_credential_the_content_does_not_name(bundled_content: Any) -> None:
    cards = {c.id: c for c in build_decks(bundled_content)["Specializations"]}
    for spec in bundled_content.specializations:
        card = cards[f"specialization/{spec.id}"]
        assert ("Credential of its own" in card.back) == bool(spec.credential)
        assert "No separate" not in card.back and card.back.endswith(".")
        assert f"working in {spec.title[0].lower()}" in card.front  # the title reads as part of the question


@pytest.mark.parametrize("rating", [1, 2, 3, 4])
def test_each_rating_moves_the_due_date_as_fsrs_says(tmp_path: Path, bundled_content: Any, rating: int) -> None:
    clock = Clock()
    study = reviewer(tmp_path, bundled_content, clock)
    card = study.next_card("Key figures")
    assert card is not None
    due = study.rate(card, rating)
    expected, _ = Scheduler(enable_fuzzing=False).review_card(Card(due=clock.now), Rating(rating), clock.now)
    assert due == expected.due
    clock.advance(days=1)  # a second review, from the stored state
    again = study.rate(card, 3)
    expected2, _ = Scheduler(enable_fuzzing=False).review_card(expected, Rating.Good, clock.now)
    assert again == expected2.due


def test_due_and_new_counts_and_persistence_across_restarts(tmp_path: Path, bundled_content: Any) -> None:
    clock = Clock()
    study = reviewer(tmp_path, bundled_content, clock)
    deck = "Work settings"
    total = len(study.decks[deck])
    assert study.counts(deck).new == total and study.counts(deck).due == 0
    card = study.next_card(deck)
    assert card is not None
    study.rate(card, 4)  # Easy: days away
    assert study.counts(deck).new == total - 1 and study.counts(deck).due == 0
    study.progress.store.close()

    clock.advance(days=60)
    later = reviewer(tmp_path, bundled_content, clock)  # a restart, two months on
    assert later.counts(deck).due == 1
    assert later.next_card(deck) == card  # what is due comes before anything new


def test_new_cards_are_limited_per_day(tmp_path: Path, bundled_content: Any) -> None:
    clock = Clock()
    study = reviewer(tmp_path, bundled_content, clock)
    deck = "Duties: clinical or administrative?"
    for _ in range(20):
        card = study.next_card(deck)
        assert card is not None
        study.rate(card, 4)
    assert study.counts(deck).new == 0 and study.next_card(deck) is None
    clock.advance(days=1)
    assert study.counts(deck).new == len(study.decks[deck]) - 20


def test_question_bank_has_authored_and_generated_questions(bundled_content: Any) -> None:
    bank = question_bank(bundled_content)
    authored = [q for q in bank if not q.generated]
    generated = [q for q in bank if q.generated]
    assert len(authored) >= 60
    assert {q.domain for q in authored} == {"general", "administrative", "clinical", "career"}
    admin = next(q for q in generated if q.id.startswith("gen-administrative-duty/"))
    answer_duty = next(d for d in bundled_content.duties if d.title == admin.answer)
    assert answer_duty.category == "administrative"
    others = [d for d in bundled_content.duties if d.title in admin.choices and d.title != admin.answer]
    assert len(others) == 3 and all(d.category == "clinical" for d in others)
    assert question_bank(bundled_content) == bank  # stable: the same choices every time
    for question in bank:
        assert question.answer in question.choices and len(set(question.choices)) == len(question.choices)


def test_a_quiz_shuffles_the_choices_so_the_answer_is_not_always_in_one_place(bundled_content: Any) -> None:
    """Authors write the answer first; pressing 1 every time must not score 100%."""
    bank = question_bank(bundled_content)
    authored = [q for q in bank if not q.generated]
    asked = select(authored, "quick", random.Random(5), length=len(authored))
    positions = Counter(q.choices.index(q.answer) for q in asked)
    assert len(positions) >= 3 and max(positions.values()) < len(asked) / 2, positions
    by_id = {q.id: q for q in authored}
    for question in asked:  # the same choices, the same answer key
        assert sorted(question.choices) == sorted(by_id[question.id].choices) and question.answer == by_id[question.id].answer
    again = select(authored, "quick", random.Random(6), length=len(authored))
    assert [q.choices for q in sorted(again, key=lambda q: q.id)] != [q.choices for q in sorted(asked, key=lambda q: q.id)]


def test_no_answer_stands_out_as_by_far_the_longest_choice(bundled_content: Any) -> None:
    """Test-wise students pick the longest choice; an answer half as long again as every other
    choice gives itself away."""
    giveaways = [q.id for q in bundled_content.questions
                 if len(q.answer) > 1.5 * max(len(c) for c in q.choices if c != q.answer)]
    assert giveaways == []


def test_the_answer_is_not_usually_the_longest_choice(bundled_content: Any) -> None:
    """With four choices the answer is the longest about one time in four by chance; far more
    often than that, picking the longest choice pays, and shuffling the choices does not help."""
    questions = bundled_content.questions
    longest = [q.id for q in questions
               if len(q.answer) > max(len(c) for c in q.choices if c != q.answer)]
    assert len(longest) / len(questions) <= 0.3, f"{len(longest)} of {len(questions)}: {longest}"


def test_who_issues_a_credential_is_asked_once(bundled_content: Any) -> None:
    """An authored question on a credential's issuer replaces the generated one; a credential
    without one (a pack's own) still gets it."""
    import dataclasses

    bank = question_bank(bundled_content)
    for credential in bundled_content.credentials:
        name = credential.name.split(" (")[0]
        asking = [q.id for q in bank if q.stem.endswith(f"issues the {name} credential?")]
        assert len(asking) == 1, asking
    without_authored = dataclasses.replace(bundled_content, questions=tuple(
        q for q in bundled_content.questions if not q.id.endswith("-issuer")))
    generated = [q.id for q in question_bank(without_authored) if q.id.startswith("gen-issuer/")]
    assert sorted(generated) == sorted(f"gen-issuer/{c.id}" for c in bundled_content.credentials)


def test_a_practice_quiz_ended_early_scores_the_questions_answered(bundled_content: Any) -> None:
    bank = question_bank(bundled_content)
    for mode, expected in (("quick", (1, 2)), ("mock", (1, 10))):
        session = QuizSession(select(bank, mode, random.Random(7)), mode)
        first = session.current
        session.answer(first.answer)
        session.next()
        session.answer(next(c for c in session.current.choices if c != session.current.answer))
        assert session.score() == expected  # a mock exam counts the questions never answered as wrong
        assert session.not_reached() == (8 if mode == "quick" else 0)
        assert sum(t for _, t in session.score_by_domain().values()) == expected[1]


def test_quiz_scoring_and_per_domain(bundled_content: Any) -> None:
    bank = question_bank(bundled_content)
    session = QuizSession(select(bank, "quick", random.Random(1)), "quick")
    assert len(session.questions) == 10
    right_ids = set()
    for index, question in enumerate(list(session.questions)):
        choice = question.answer if index % 2 == 0 else next(c for c in question.choices if c != question.answer)
        result = session.answer(choice)
        assert result.correct is (index % 2 == 0) and result.explanation == question.explanation
        if result.correct:
            right_ids.add(question.id)
        session.next()
    assert session.finished and session.score() == (5, 10)
    by_domain = session.score_by_domain()
    assert sum(t for _, t in by_domain.values()) == 10 and sum(r for r, _ in by_domain.values()) == 5
    with pytest.raises(ValueError):
        session.answer("too late")


def test_review_wrong_and_flagged_modes_use_the_stored_progress(tmp_path: Path, bundled_content: Any) -> None:
    store = NotesStore(tmp_path)
    progress = StudyProgress(store)
    bank = question_bank(bundled_content)
    first, second, third = bank[0], bank[1], bank[2]
    session_id = progress.start_session("quick")
    progress.record_answer(session_id, first.id, first.domain, "wrong choice", False)
    progress.record_answer(session_id, second.id, second.domain, second.answer, True)
    progress.record_answer(session_id, third.id, third.domain, "wrong", False)
    progress.record_answer(session_id, third.id, third.domain, third.answer, True)  # fixed since
    progress.set_flag(second.id, True)
    store.close()

    progress = StudyProgress(NotesStore(tmp_path))  # after a restart
    wrong = select(bank, "wrong", random.Random(2), last_results=progress.last_results())
    assert [q.id for q in wrong] == [first.id]
    flagged = select(bank, "flagged", random.Random(2), flagged=progress.flagged())
    assert [q.id for q in flagged] == [second.id]
    progress.set_flag(second.id, False)
    assert progress.flagged() == set()
    assert progress.domain_totals()[third.domain][1] >= 2


def test_by_domain_and_topic(bundled_content: Any) -> None:
    bank = question_bank(bundled_content)
    clinical = select(bank, "domain", random.Random(3), domain="clinical", length=200)
    assert clinical and all(q.domain == "clinical" for q in clinical)
    topical = select(bank, "topic", random.Random(3), topic="duties", length=200)
    assert topical and all(any(t.startswith("duties/") for t in q.topics) for q in topical)


def test_a_mock_exam_asks_only_what_the_exam_covers(bundled_content: Any) -> None:
    """A third of a mock exam was questions on recertifying and who issues what, which the exam
    itself never asks: its three areas are general, administrative and clinical."""
    bank = question_bank(bundled_content)
    assert any(q.domain == "career" for q in bank)  # still asked in the other quizzes
    mock = select(bank, "mock", random.Random(4), length=len(bank))
    assert {q.domain for q in mock} == {"general", "administrative", "clinical"}
    assert len(mock) == sum(q.domain != "career" for q in bank)
    quick = select(bank, "quick", random.Random(4), length=len(bank))
    assert "career" in {q.domain for q in quick}


def test_timer_ends_a_mock_exam_and_unanswered_count_as_wrong(bundled_content: Any) -> None:
    clock = Clock()
    bank = question_bank(bundled_content)
    session = QuizSession(select(bank, "mock", random.Random(4), length=20), "mock",
                          time_limit=datetime.timedelta(minutes=5), clock=clock)
    assert session.time_left() == datetime.timedelta(minutes=5)
    session.answer(session.current.answer)  # type: ignore[union-attr]
    session.next()
    clock.advance(minutes=4, seconds=59)
    assert not session.finished and session.time_left() == datetime.timedelta(seconds=1)
    clock.advance(seconds=2)
    assert session.timed_out and session.finished and session.current is None
    assert session.score() == (1, 20)


BAD_STUDY = {
    "answer not a choice": ('answer = "Every 60 months"', 'answer = "Every 6 months"', 'the answer "Every 6 months" is not one of the choices'),
    "repeated choice": ('"Every year",', '"every 60 MONTHS",', 'choice "every 60 MONTHS" appears twice'),
    "missing topic": ('topics = ["faq/pay"]', 'topics = ["faq/no-such"]', 'refers to "faq/no-such", which does not exist'),
    "bad domain": ('domain = "career"', 'domain = "carrer"', '"carrer" is not one of: general, administrative, clinical, career'),
    "card without deck": ('deck = "Basics"\n', "", 'missing required key "deck"'),
    "seven choices": ('choices = ["Every 60 months", "Every year", "Never"]',
                      'choices = ["Every 60 months", "1", "2", "3", "4", "5", "6"]', "a question has at most 6 choices"),
}
STUDY_SAMPLE = MINIMAL + '''
[[questions]]
id = "q-recert"
stem = "How often is the CMA recertified?"
choices = ["Every 60 months", "Every year", "Never"]
answer = "Every 60 months"
explanation = "Every 60 months, by exam or continuing education."
domain = "career"
sources = ["bls"]
topics = ["faq/pay"]

[[cards]]
id = "card-recert"
front = "CMA recertification?"
back = "Every 60 months"
deck = "Basics"
sources = ["bls"]
'''


@pytest.mark.parametrize("kind", list(BAD_STUDY))
def test_bad_cards_and_questions_are_reported(tmp_path: Path, kind: str) -> None:
    from cma_desktop.content.loader import check_files

    assert check_files([write(tmp_path / "ok.toml", STUDY_SAMPLE)]) == []
    old, new, message = BAD_STUDY[kind]
    assert old in STUDY_SAMPLE
    problems = [str(p) for p in check_files([write(tmp_path / "bad.toml", STUDY_SAMPLE.replace(old, new, 1))])]
    assert len(problems) == 1 and message in problems[0], problems


def test_duplicate_question_ids(tmp_path: Path) -> None:
    from cma_desktop.content.loader import check_files

    text = STUDY_SAMPLE + STUDY_SAMPLE[STUDY_SAMPLE.index("[[questions]]"):STUDY_SAMPLE.index("[[cards]]")]
    problems = [str(p) for p in check_files([write(tmp_path / "dup.toml", text)])]
    assert len(problems) == 1 and 'duplicate id "q-recert"' in problems[0]


def test_a_damaged_schedule_starts_the_card_afresh_instead_of_blocking_the_deck(tmp_path: Path,
                                                                                bundled_content: Any) -> None:
    clock = Clock()
    study = reviewer(tmp_path, bundled_content, clock)
    card = study.next_card("Key figures")
    assert card is not None
    study.rate(card, 3)
    with study.progress.store.transaction() as connection:  # as a damaged or hand-edited file might hold
        connection.execute("UPDATE card_states SET card_json = ?, due = ? WHERE card_id = ?",
                           ('{"state": 2, "stability": "nan"}', "2026-01-01T00:00:00.000000+00:00", card.id))
    assert study.next_card("Key figures") == card  # overdue, so it comes first
    due = study.rate(card, 3)
    expected, _ = Scheduler(enable_fuzzing=False).review_card(Card(due=clock.now), Rating.Good, clock.now)
    assert due == expected.due and study.next_card("Key figures") != card


@pytest.fixture
def los_angeles(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The computer's clock set to Los Angeles, where a UTC day starts at 4 or 5 pm."""
    import time

    if not hasattr(time, "tzset"):
        pytest.skip("time zones are set through TZ on POSIX only")
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_study_day_is_the_users_own_day(tmp_path: Path, bundled_content: Any, los_angeles: Any) -> None:
    clock = Clock()
    evening = datetime.datetime(2026, 11, 28, 16, 30, tzinfo=ZoneInfo("America/Los_Angeles"))  # 00:30 UTC, the next day
    clock.now = evening.astimezone(datetime.timezone.utc)  # the app's clock is UTC, as FSRS needs
    study = reviewer(tmp_path, bundled_content, clock)
    deck = "Duties: clinical or administrative?"
    for _ in range(NEW_CARDS_PER_DAY):
        study.rate(study.next_card(deck), 4)  # type: ignore[arg-type]
    clock.advance(hours=1)  # 5:30 pm the same evening
    assert study.counts(deck).new == 0 and study.progress.reviews_today(clock()) == NEW_CARDS_PER_DAY
    clock.advance(hours=7)  # 12:30 am: a new day here
    assert study.counts(deck).new > 0 and study.progress.reviews_today(clock()) == 0
    days = study.progress.cards_studied_per_day(datetime.date(2026, 11, 28))
    assert days == [DayCount(datetime.date(2026, 11, 28), NEW_CARDS_PER_DAY)]  # the evening's day, not UTC's next


def test_cards_that_left_the_content_are_not_counted_as_due(tmp_path: Path, bundled_content: Any) -> None:
    clock = Clock()
    study = reviewer(tmp_path, bundled_content, clock)
    study.progress.save_review("figure/retired-fact", '{"x": 1}', clock(), 3, clock())
    current = {c.id for deck in study.decks.values() for c in deck}
    today = clock().date()
    assert sum(d.count for d in study.progress.due_per_day(today)) == 1
    assert study.progress.due_per_day(today, current) == []


def test_a_study_day_that_has_a_clock_change_starts_at_midnight(tmp_path: Path, bundled_content: Any,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    if not hasattr(time, "tzset"):
        pytest.skip("time zones are set through TZ on POSIX only")
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        new_york = ZoneInfo("America/New_York")
        clock = Clock()
        clock.now = datetime.datetime(2026, 11, 1, 0, 30, tzinfo=new_york).astimezone(datetime.timezone.utc)  # before 2 am
        study = reviewer(tmp_path, bundled_content, clock)
        study.rate(study.next_card("Work settings"), 3)  # type: ignore[arg-type]
        clock.now = datetime.datetime(2026, 11, 1, 10, 0, tzinfo=new_york).astimezone(datetime.timezone.utc)
        assert study.progress.reviews_today(clock()) == 1  # the same day, though the clock went back an hour
    finally:
        monkeypatch.undo()
        time.tzset()


def test_deck_names_are_easy_to_tell_apart(bundled_content: Any) -> None:
    """"Specializations" sat beside "Specializations and advancement": which one held what?"""
    from cma_desktop.study.flashcards import build_decks

    names = [name.casefold() for name in build_decks(bundled_content)]
    assert not [(a, b) for a in names for b in names if a != b and b.startswith(a)]
