"""Study progress kept in the user's store, with the same safety as notes (one transaction a save)."""

from __future__ import annotations

import datetime
import sqlite3
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from cma_desktop.store.notes_store import NotesStore, utc_stamp


def _day_start(now: datetime.datetime) -> datetime.datetime:
    """The start of the user's day (local midnight): a day's limits and counts follow the clock on
    the wall, not UTC, which would start a new day in the afternoon in America."""
    return _date_start(now.astimezone().date())  # midnight's own offset: a clock change may fall in the day


def _date_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time()).astimezone()


def _local_date(stamp: str) -> datetime.date:
    return datetime.datetime.fromisoformat(stamp).astimezone().date()


def _per_local_day(stamps: Iterable[str]) -> list[DayCount]:
    counts = Counter(_local_date(stamp) for stamp in stamps)
    return [DayCount(day, count) for day, count in sorted(counts.items())]


@dataclass(frozen=True)
class DayCount:
    day: datetime.date
    count: int


@dataclass(frozen=True)
class DomainDay:
    day: datetime.date
    domain: str
    correct: int
    total: int


# The study tables as a JSON export carries them, with their columns in order.
STUDY_TABLES: dict[str, tuple[str, ...]] = {
    "card_states": ("card_id", "card_json", "due"),
    "card_reviews": ("card_id", "rating", "reviewed_at", "due_after"),
    "quiz_sessions": ("id", "mode", "started_at", "finished_at", "correct", "total"),
    "quiz_answers": ("session_id", "question_id", "domain", "chosen", "correct", "answered_at"),
    "quiz_flags": ("question_id", "flagged_at"),
    "quiz_flags_removed": ("question_id", "removed_at"),
}
StudyRows = dict[str, list[tuple[object, ...]]]  # table -> rows, columns as in STUDY_TABLES


@dataclass(frozen=True)
class StudyMerge:
    cards_updated: int = 0
    quiz_answers_added: int = 0
    flags_added: int = 0
    flags_removed: int = 0


def merge_study(connection: sqlite3.Connection, rows: StudyRows) -> StudyMerge:
    """Adds another computer's study progress inside the caller's transaction. Reviews, quiz
    answers and flags are joined, each once; a card takes the imported schedule only when it was
    reviewed there more recently than here."""
    local_last = dict(connection.execute("SELECT card_id, max(reviewed_at) FROM card_reviews GROUP BY card_id").fetchall())
    imported_last: dict[object, str] = {}
    for card_id, rating, reviewed_at, due_after in rows.get("card_reviews", []):
        imported_last[card_id] = max(imported_last.get(card_id, ""), str(reviewed_at))
        # The due date a review set is never moved on import, so it still tells a review apart when a
        # fast clock's review time had to be taken as the time of an import.
        if not connection.execute("SELECT 1 FROM card_reviews WHERE card_id = ? AND (reviewed_at = ? OR due_after = ?)",
                                  (card_id, reviewed_at, due_after)).fetchone():
            connection.execute("INSERT INTO card_reviews (card_id, rating, reviewed_at, due_after) VALUES (?, ?, ?, ?)",
                               (card_id, rating, reviewed_at, due_after))
    cards = 0
    for card_id, card_json, due in rows.get("card_states", []):
        if imported_last.get(card_id, "") > (local_last.get(card_id) or "") or not connection.execute(
                "SELECT 1 FROM card_states WHERE card_id = ?", (card_id,)).fetchone():
            connection.execute("INSERT INTO card_states (card_id, card_json, due) VALUES (?, ?, ?) ON CONFLICT (card_id) "
                               "DO UPDATE SET card_json = excluded.card_json, due = excluded.due", (card_id, card_json, due))
            cards += 1
    for session in rows.get("quiz_sessions", []):
        connection.execute("INSERT OR IGNORE INTO quiz_sessions (id, mode, started_at, finished_at, correct, total) "
                           "VALUES (?, ?, ?, ?, ?, ?)", session)
    answers = 0
    for session_id, question_id, domain, chosen, correct, answered_at in rows.get("quiz_answers", []):
        # A session asks each question once; its answer is one record whenever it was stamped.
        if not connection.execute("SELECT 1 FROM quiz_answers WHERE session_id = ? AND question_id = ?",
                                  (session_id, question_id)).fetchone():
            connection.execute("INSERT INTO quiz_answers (session_id, question_id, domain, chosen, correct, answered_at) "
                               "VALUES (?, ?, ?, ?, ?, ?)", (session_id, question_id, domain, chosen, correct, answered_at))
            answers += 1
    # A flag and its removal: whichever happened last, here or there, stands.
    flags = 0
    for question_id, flagged_at in rows.get("quiz_flags", []):
        removed = connection.execute("SELECT removed_at FROM quiz_flags_removed WHERE question_id = ?", (question_id,)).fetchone()
        if removed is None or removed[0] < flagged_at:
            flags += connection.execute("INSERT OR IGNORE INTO quiz_flags (question_id, flagged_at) VALUES (?, ?)",
                                        (question_id, flagged_at)).rowcount
    unflagged = 0
    for question_id, removed_at in rows.get("quiz_flags_removed", []):
        unflagged += connection.execute("DELETE FROM quiz_flags WHERE question_id = ? AND flagged_at < ?",
                                        (question_id, removed_at)).rowcount
        connection.execute("INSERT INTO quiz_flags_removed (question_id, removed_at) VALUES (?, ?) ON CONFLICT (question_id) "
                           "DO UPDATE SET removed_at = max(removed_at, excluded.removed_at)", (question_id, removed_at))
    return StudyMerge(cards, answers, flags, unflagged)


class StudyProgress:
    def __init__(self, store: NotesStore) -> None:
        self.store = store

    def export_rows(self) -> StudyRows:
        """Every study table's rows, oldest first, for a complete export."""
        return {table: self.store.read(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid")  # noqa: S608 - fixed names
                for table, columns in STUDY_TABLES.items()}

    # -- flashcards ------------------------------------------------------------------------
    def card_state(self, card_id: str) -> str | None:
        rows = self.store.read("SELECT card_json FROM card_states WHERE card_id = ?", (card_id,))
        return str(rows[0][0]) if rows else None

    def card_states(self) -> dict[str, tuple[str, str]]:
        """card id -> (state json, due)."""
        return {str(r[0]): (str(r[1]), str(r[2])) for r in self.store.read("SELECT card_id, card_json, due FROM card_states")}

    def save_review(self, card_id: str, card_json: str, due: datetime.datetime, rating: int,
                    reviewed_at: datetime.datetime) -> None:
        with self.store.transaction() as connection:
            connection.execute(
                "INSERT INTO card_states (card_id, card_json, due) VALUES (?, ?, ?) ON CONFLICT (card_id) "
                "DO UPDATE SET card_json = excluded.card_json, due = excluded.due",
                (card_id, card_json, utc_stamp(due)),
            )
            connection.execute("INSERT INTO card_reviews (card_id, rating, reviewed_at, due_after) VALUES (?, ?, ?, ?)",
                               (card_id, rating, utc_stamp(reviewed_at), utc_stamp(due)))

    def reviews_today(self, now: datetime.datetime) -> int:
        rows = self.store.read("SELECT count(*) FROM card_reviews WHERE reviewed_at >= ?", (utc_stamp(_day_start(now)),))
        return int(rows[0][0])  # type: ignore[call-overload]

    def new_cards_started_today(self, now: datetime.datetime) -> int:
        rows = self.store.read(
            "SELECT count(*) FROM (SELECT card_id, min(reviewed_at) AS first FROM card_reviews GROUP BY card_id) "
            "WHERE first >= ?", (utc_stamp(_day_start(now)),))
        return int(rows[0][0])  # type: ignore[call-overload]

    def cards_studied_per_day(self, since: datetime.date) -> list[DayCount]:
        """Cards studied on each of the user's own days (local time), from since on: a card rated
        three times in a day (Again, Again, Good) is one card studied."""
        rows = self.store.read("SELECT card_id, reviewed_at FROM card_reviews WHERE reviewed_at >= ?",
                               (utc_stamp(_date_start(since)),))
        studied = {(_local_date(str(reviewed_at)), card_id) for card_id, reviewed_at in rows}
        counts = Counter(day for day, _card in studied)
        return [DayCount(day, count) for day, count in sorted(counts.items())]

    def due_per_day(self, until: datetime.date, card_ids: set[str] | None = None) -> list[DayCount]:
        """Cards falling due on each local day up to until (earlier ones on their own days). With
        card_ids, only those: cards whose text has left the content are never shown, so not due."""
        rows = self.store.read("SELECT card_id, due FROM card_states WHERE due < ?",
                               (utc_stamp(_date_start(until + datetime.timedelta(days=1))),))
        return _per_local_day(str(due) for card_id, due in rows if card_ids is None or card_id in card_ids)

    # -- quizzes ---------------------------------------------------------------------------
    def start_session(self, mode: str) -> str:
        session_id = uuid.uuid4().hex
        with self.store.transaction() as connection:
            connection.execute("INSERT INTO quiz_sessions (id, mode, started_at) VALUES (?, ?, ?)",
                               (session_id, mode, utc_stamp(self.store.now())))
        return session_id

    def record_answer(self, session_id: str, question_id: str, domain: str, chosen: str, correct: bool) -> None:
        with self.store.transaction() as connection:
            connection.execute(
                "INSERT INTO quiz_answers (session_id, question_id, domain, chosen, correct, answered_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, question_id, domain, chosen, int(correct), utc_stamp(self.store.now())),
            )
            connection.execute("UPDATE quiz_sessions SET correct = correct + ?, total = total + 1 WHERE id = ?",
                               (int(correct), session_id))

    def finish_session(self, session_id: str) -> None:
        with self.store.transaction() as connection:
            connection.execute("UPDATE quiz_sessions SET finished_at = ? WHERE id = ?", (utc_stamp(self.store.now()), session_id))

    def last_results(self) -> dict[str, bool]:
        """question id -> whether its latest answer was right (by when it was given: imported
        answers from another computer are stored after newer ones given here)."""
        rows = self.store.read(
            "SELECT question_id, correct FROM quiz_answers AS a WHERE id = (SELECT id FROM quiz_answers AS b "
            "WHERE b.question_id = a.question_id ORDER BY answered_at DESC, id DESC LIMIT 1)")
        return {str(q): bool(c) for q, c in rows}

    def set_flag(self, question_id: str, on: bool) -> None:
        with self.store.transaction() as connection:
            now = utc_stamp(self.store.now())
            if on:
                connection.execute("INSERT OR IGNORE INTO quiz_flags (question_id, flagged_at) VALUES (?, ?)",
                                   (question_id, now))
                connection.execute("DELETE FROM quiz_flags_removed WHERE question_id = ?", (question_id,))
            else:
                connection.execute("DELETE FROM quiz_flags WHERE question_id = ?", (question_id,))
                connection.execute("INSERT INTO quiz_flags_removed (question_id, removed_at) VALUES (?, ?) "
                                   "ON CONFLICT (question_id) DO UPDATE SET removed_at = excluded.removed_at", (question_id, now))

    def flagged(self) -> set[str]:
        return {str(r[0]) for r in self.store.read("SELECT question_id FROM quiz_flags")}

    def domain_accuracy_per_day(self, since: datetime.date) -> list[DomainDay]:
        """Right and answered per local day and domain, from since on."""
        rows = self.store.read("SELECT answered_at, domain, correct FROM quiz_answers WHERE answered_at >= ?",
                               (utc_stamp(_date_start(since)),))
        tally: dict[tuple[datetime.date, str], list[int]] = {}
        for answered_at, domain, correct in rows:
            counts = tally.setdefault((_local_date(str(answered_at)), str(domain)), [0, 0])
            counts[0] += int(correct)  # type: ignore[call-overload]
            counts[1] += 1
        return [DomainDay(day, domain, right, total) for (day, domain), (right, total) in sorted(tally.items())]

    def domain_totals(self) -> dict[str, tuple[int, int]]:
        """domain -> (right, answered) over all time."""
        rows = self.store.read("SELECT domain, sum(correct), count(*) FROM quiz_answers GROUP BY domain")
        return {str(d): (int(c), int(t)) for d, c, t in rows}  # type: ignore[call-overload]
