"""The store's schema, one migration per version, applied forward inside a transaction."""

from __future__ import annotations

import sqlite3

# Each entry turns version N into N+1. Never edit a released step: add a new one.
MIGRATIONS: tuple[str, ...] = (
    # 0 -> 1: bookmarks and notes keyed on kind/id, so they survive content updates.
    """
    CREATE TABLE bookmarks (
        key TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE notes (
        key TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE store_state (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 1 -> 2: earlier versions of a note are kept (an import never silently replaces a newer one),
    # and notes are ordered by last change.
    """
    CREATE TABLE note_versions (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        kept_at TEXT NOT NULL,
        reason TEXT NOT NULL
    );
    CREATE INDEX note_versions_key ON note_versions (key);
    CREATE INDEX notes_updated_at ON notes (updated_at);
    """,
    # 2 -> 3: study progress: flashcard scheduling state and reviews, quiz answers, flags, sessions.
    """
    CREATE TABLE card_states (
        card_id TEXT PRIMARY KEY,
        card_json TEXT NOT NULL,
        due TEXT NOT NULL
    );
    CREATE INDEX card_states_due ON card_states (due);
    CREATE TABLE card_reviews (
        id INTEGER PRIMARY KEY,
        card_id TEXT NOT NULL,
        rating INTEGER NOT NULL,
        reviewed_at TEXT NOT NULL,
        due_after TEXT NOT NULL
    );
    CREATE TABLE quiz_sessions (
        id TEXT PRIMARY KEY,
        mode TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        correct INTEGER NOT NULL DEFAULT 0,
        total INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE quiz_answers (
        id INTEGER PRIMARY KEY,
        session_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        domain TEXT NOT NULL,
        chosen TEXT NOT NULL,
        correct INTEGER NOT NULL,
        answered_at TEXT NOT NULL
    );
    CREATE INDEX quiz_answers_question ON quiz_answers (question_id, answered_at);
    CREATE TABLE quiz_flags (question_id TEXT PRIMARY KEY, flagged_at TEXT NOT NULL);
    """,
    # 3 -> 4: when a flag was taken off, so that importing an older export does not put it back.
    """
    CREATE TABLE quiz_flags_removed (question_id TEXT PRIMARY KEY, removed_at TEXT NOT NULL);
    """,
    # 4 -> 5: the same for bookmarks.
    """
    CREATE TABLE bookmarks_removed (key TEXT PRIMARY KEY, removed_at TEXT NOT NULL);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def migrate(connection: sqlite3.Connection, target: int = SCHEMA_VERSION) -> None:
    """Brings the schema up to target in one transaction: all steps land, or none do."""
    current = schema_version(connection)
    if current >= target:
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        for step in MIGRATIONS[current:target]:
            for statement in (s.strip() for s in step.split(";")):
                if statement:
                    connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {int(target)}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
