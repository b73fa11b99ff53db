"""Export notes to Markdown or JSON, and import a JSON export: checked in full before anything changes."""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cma_desktop.content.model import ITEM_KINDS, KIND_LABELS, Content
from cma_desktop.store.notes_store import NOTEBOOK_KEY, Bookmark, Note, NotesStore
from cma_desktop.study.progress import STUDY_TABLES, StudyMerge, StudyProgress, StudyRows, merge_study

EXPORT_FORMAT = "cma-desktop-notes"
# "study" (progress) was added as an optional section that older readers skip, so the version stays.
EXPORT_VERSION = 1
_LATEST_CLOCK_SKEW = datetime.timedelta(days=2)  # how far ahead another computer's clock may be
# Bounds that keep a hostile file from exhausting memory, set well above what years of notes make:
# every export the app writes must import again (export_json refuses one that would not).
MAX_IMPORT_BYTES = 512 * 1024 * 1024
MAX_ENTRIES = 2_000_000
_MAX_OBJECTS = 2 * MAX_ENTRIES + 1_000  # the entries, the study records (counted apart) and the few around them
MAX_TITLE_CHARS = 10_000
MAX_BODY_CHARS = 5_000_000  # a thousand pages; far longer, a note is no longer something to read in an editor
_KEY_PATTERN = re.compile(r"notebook|[a-z_]{1,40}/[a-z0-9]+(?:-[a-z0-9]+)*")  # all used with fullmatch
_STUDY_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_./-]{0,160}")  # flashcard and question ids
_SESSION_ID_PATTERN = re.compile(r"[A-Za-z0-9-]{1,64}")
_MAX_COUNT = 1_000_000


class TransferError(Exception):
    """The file cannot be imported or written; the message says why, and nothing was changed."""


def write_atomically(path: Path, text: str) -> None:
    """The file holds the whole new text or its old content, never a mix (temp file + os.replace)."""
    path = Path(path)
    try:
        descriptor, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise TransferError(f"Cannot write to {path.parent}: {error.strerror or error}") from error
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except OSError as error:
        Path(temp_name).unlink(missing_ok=True)
        raise TransferError(f"Cannot write {path}: {error.strerror or error}") from error


# -- export ------------------------------------------------------------------------------------
def export_json(store: NotesStore) -> str:
    notes = [{"key": n.key, "title": n.title, "body": n.body, "updated_at": n.updated_at} for n in store.notes()]
    bookmarks = [{"key": b.key, "title": b.title, "created_at": b.created_at} for b in store.bookmarks()]
    # Bookmarks taken off, so that an import elsewhere takes them off too (older readers skip this).
    bookmarks_removed = [{"key": key, "removed_at": when} for key, when in store.removed_bookmarks()]
    # Earlier versions kept for notes (for example the older side of an import): nothing is left behind.
    versions = [{"key": v.key, "title": v.title, "body": v.body, "updated_at": v.updated_at, "reason": reason}
                for v, reason in store.all_versions()]
    # Flashcard schedules and reviews, quiz results and flags: a student's progress moves too.
    study = {table: [dict(zip(STUDY_TABLES[table], row, strict=True)) for row in rows]
             for table, rows in StudyProgress(store).export_rows().items()}
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "notes": notes,
        "bookmarks": bookmarks,
        "bookmarks_removed": bookmarks_removed,
        "versions": versions,
        "study": study,
    }
    too_long = [n["title"] or n["key"] for n in [*notes, *versions] if len(n["body"]) > MAX_BODY_CHARS]
    if too_long:
        raise TransferError(f"{len(too_long)} note(s) are longer than the {MAX_BODY_CHARS:,} characters a notes export "
                            f"can carry: {', '.join(sorted(set(too_long))[:5])}. Shorten them, or export as Markdown instead.")
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    size = len(text.encode("utf-8"))
    entries = max(len(notes) + len(bookmarks) + len(bookmarks_removed) + len(versions),
                  sum(len(rows) for rows in study.values()))
    if size > MAX_IMPORT_BYTES or entries > MAX_ENTRIES:  # an export that could not be imported is no backup
        raise TransferError(f"Your notes would make a JSON export of {size // (1024 * 1024)} MiB with {entries} entries, "
                            f"more than the app can import again ({MAX_IMPORT_BYTES // (1024 * 1024)} MiB, {MAX_ENTRIES} entries). "
                            "Export them as Markdown instead.")
    return text


def _group_of(key: str, content: Content | None) -> str:
    kind = key.partition("/")[0]
    if key == NOTEBOOK_KEY:
        return "Notebook"
    if content is not None and content.find(key) is None:
        return "No longer in the content"
    return KIND_LABELS.get(kind, kind)


def export_markdown(store: NotesStore, content: Content | None) -> str:
    """A readable document: notes grouped by tab and topic, then the bookmarks."""
    order = ["Notebook", *(KIND_LABELS[k] for k in ITEM_KINDS), "No longer in the content"]
    groups: dict[str, list[Note]] = {}
    notes = store.notes()
    # A note emptied since its other versions were kept is shown, as the app shows their versions.
    with_text = {note.key for note in notes}
    emptied = {version.key: Note(version.key, version.title, "", version.updated_at)
               for version, _reason in store.all_versions() if version.key not in with_text}
    for note in [*notes, *emptied.values()]:
        groups.setdefault(_group_of(note.key, content), []).append(note)
    lines = ["# My notes from CMA Career Explorer", "",
             f"Exported {datetime.date.today():%d %B %Y}.", ""]
    for group in sorted(groups, key=lambda g: order.index(g) if g in order else len(order)):
        lines += [f"## {group}", ""]
        for note in sorted(groups[group], key=lambda n: n.title.casefold()):
            if note.key in emptied:
                lines += [f"### {note.title}", "", "*The note is empty now; its earlier versions follow.*", ""]
            else:
                lines += [f"### {note.title}", "", f"*Last changed {note.updated_at[:16].replace('T', ' ')} UTC*", "",
                          note.body.rstrip(), ""]
            for version, reason in store.note_versions(note.key):
                lines += [f"#### Another version ({reason}, {version.updated_at[:16].replace('T', ' ')} UTC)", "",
                          version.body.rstrip(), ""]
    bookmarks = store.bookmarks()
    if bookmarks:
        lines += ["## Bookmarks", ""]
        for bookmark in bookmarks:
            lines.append(f"- {bookmark.title} ({_group_of(bookmark.key, content)})")
        lines.append("")
    if len(lines) == 4:
        lines += ["You have no notes or bookmarks yet.", ""]
    lines += _study_summary(StudyProgress(store))
    return "\n".join(lines)


def _study_summary(progress: StudyProgress) -> list[str]:
    """A few lines on study progress for the readable export (the JSON export holds all of it)."""
    cards, totals = progress.card_states(), progress.domain_totals()
    if not cards and not totals:
        return []
    lines = ["## Study progress", ""]
    if cards:
        lines.append(f"- Flashcards studied: {len(cards)}")
    for domain, (right, answered) in sorted(totals.items()):
        lines.append(f"- Quiz, {domain}: {right} of {answered} answers right ({round(100 * right / answered)}%)")
    return [*lines, ""]


# -- import ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportSummary:
    notes_added: int = 0
    notes_updated: int = 0
    notes_kept_both: int = 0
    notes_unchanged: int = 0
    bookmarks_added: int = 0
    study: StudyMerge = StudyMerge()
    bookmarks_removed: int = 0

    def message(self) -> str:
        parts = [
            f"{self.notes_added} note(s) added",
            f"{self.notes_updated} updated (your older text is kept as an earlier version)",
            f"{self.notes_kept_both} kept as they were because yours were newer (the imported text is kept as an earlier version)",
            f"{self.notes_unchanged} already up to date",
            f"{self.bookmarks_added} bookmark(s) added",
        ]
        if self.bookmarks_removed:
            parts.append(f"{self.bookmarks_removed} bookmark(s) removed, as they were on the other computer")
        study = self.study
        if study != StudyMerge():
            parts.append(f"study progress: {study.cards_updated} flashcard schedule(s) brought up to date, "
                         f"{study.quiz_answers_added} quiz answer(s) added, {study.flags_added} question(s) flagged "
                         f"and {study.flags_removed} unflagged")
        return "Import finished: " + "; ".join(parts) + "."


def _timestamp(value: Any, where: str, future_ok: bool = False) -> str:
    """A moment in UTC, as the store writes them. Only due dates may lie ahead. A note or answer
    stamped later than now (a computer whose clock ran fast) is taken as made now: refusing it
    would keep the user's notes from moving, and keeping the date would win every later merge."""
    if not isinstance(value, str):
        raise TransferError(f"{where}: the date must be text")
    try:
        moment = datetime.datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise TransferError(f"{where}: the date has no time zone")
        moment = moment.astimezone(datetime.timezone.utc)
    except (ValueError, OverflowError):
        raise TransferError(f"{where}: {value[:40]!r} is not a date and time") from None
    now = datetime.datetime.now(datetime.timezone.utc)
    if not future_ok and moment > now + _LATEST_CLOCK_SKEW:
        moment = now
    return moment.isoformat(timespec="microseconds")


def _text(entry: dict[str, Any], name: str, limit: int, where: str) -> str:
    value = entry.get(name)
    if not isinstance(value, str):
        raise TransferError(f"{where}: '{name}' must be text")
    if len(value) > limit:
        raise TransferError(f"{where}: '{name}' is longer than {limit} characters")
    if not _is_unicode(value):
        raise TransferError(f"{where}: '{name}' holds a broken character (half of a surrogate pair), so it is not text")
    return value


def _is_unicode(text: str) -> bool:
    """False for text with a lone surrogate: JSON can spell one (\\ud800), but no file or database can store it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _key(entry: dict[str, Any], where: str) -> str:
    key = entry.get("key")
    if not isinstance(key, str) or not _KEY_PATTERN.fullmatch(key):
        raise TransferError(f"{where}: {str(key)[:60]!r} is not a topic key such as duties/vital-signs")
    return key


def _objects(entries: list[Any], name: str) -> list[tuple[str, dict[str, Any]]]:
    """Each entry with where it stands ("notes[3]"); every one must be a JSON object."""
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise TransferError(f"{name}[{index}]: each entry must be an object")
    return [(f"{name}[{index}]", entry) for index, entry in enumerate(entries)]


def _note(entry: dict[str, Any], where: str) -> Note:
    return Note(_key(entry, where), _text(entry, "title", MAX_TITLE_CHARS, where),
                _text(entry, "body", MAX_BODY_CHARS, where), _timestamp(entry.get("updated_at"), where))


def _study_id(entry: dict[str, Any], name: str, where: str, pattern: re.Pattern[str] = _STUDY_ID_PATTERN) -> str:
    value = entry.get(name)
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise TransferError(f"{where}: {str(value)[:60]!r} is not a valid '{name}'")
    return value


def _count(entry: dict[str, Any], name: str, where: str, highest: int = _MAX_COUNT) -> int:
    value = entry.get(name)
    if isinstance(value, bool):
        value = int(value)
    if not isinstance(value, int) or not 0 <= value <= highest:
        raise TransferError(f"{where}: '{name}' must be a whole number from 0 to {highest}")
    return value


def _card_schedule(entry: dict[str, Any], where: str) -> tuple[str, str]:
    """A flashcard's FSRS state: read by the scheduler's own reader, its numbers in range, and
    tried out with a review on a copy, so a schedule that imports is one the study tab can use."""
    from fsrs import Card, Rating, Scheduler

    text = entry.get("card_json")
    if not isinstance(text, str) or len(text) > 4000:
        raise TransferError(f"{where}: 'card_json' is not a flashcard schedule")
    now = datetime.datetime.now(datetime.timezone.utc)
    try:
        card = Card.from_json(text)
        usable = (
            card.due.tzinfo is not None
            and (card.last_review is None or (card.last_review.tzinfo is not None and card.last_review <= now + _LATEST_CLOCK_SKEW))
            and (card.step is None or (isinstance(card.step, int) and 0 <= card.step <= 100))
            and (card.stability is None or 0 < card.stability <= 1_000_000)  # also false for NaN
            and (card.difficulty is None or 1 <= card.difficulty <= 10)
        )
        if usable:
            Scheduler().review_card(Card.from_json(text), Rating.Good, max(now, card.due))
    except Exception:  # noqa: BLE001 - any failure of the reader or the trial means it is not a schedule
        usable = False
    if not usable:
        raise TransferError(f"{where}: 'card_json' is not a flashcard schedule")
    return card.to_json(), _timestamp(card.due.isoformat(), where, future_ok=True)


def _study_row(table: str, entry: dict[str, Any], where: str) -> tuple[object, ...]:
    if table == "card_states":
        return (_study_id(entry, "card_id", where), *_card_schedule(entry, where))
    if table == "card_reviews":
        rating = _count(entry, "rating", where, 4)
        if rating < 1:
            raise TransferError(f"{where}: 'rating' must be 1 to 4")
        return (_study_id(entry, "card_id", where), rating, _timestamp(entry.get("reviewed_at"), where),
                _timestamp(entry.get("due_after"), where, future_ok=True))
    if table == "quiz_sessions":
        finished = entry.get("finished_at")
        return (_study_id(entry, "id", where, _SESSION_ID_PATTERN), _text(entry, "mode", 40, where),
                _timestamp(entry.get("started_at"), where), None if finished is None else _timestamp(finished, where),
                _count(entry, "correct", where), _count(entry, "total", where))
    if table == "quiz_answers":
        return (_study_id(entry, "session_id", where, _SESSION_ID_PATTERN), _study_id(entry, "question_id", where),
                _text(entry, "domain", 40, where), _text(entry, "chosen", MAX_TITLE_CHARS, where),
                _count(entry, "correct", where, 1), _timestamp(entry.get("answered_at"), where))
    if table == "quiz_flags_removed":
        return (_study_id(entry, "question_id", where), _timestamp(entry.get("removed_at"), where))
    return (_study_id(entry, "question_id", where), _timestamp(entry.get("flagged_at"), where))  # quiz_flags


def _study(raw: Any, path: Path) -> StudyRows:
    if not isinstance(raw, dict) or not all(isinstance(raw.get(t, []), list) for t in STUDY_TABLES):
        raise TransferError(f"{path}: 'study' must map each kind of study record to a list")
    if sum(len(raw.get(t, [])) for t in STUDY_TABLES) > MAX_ENTRIES:
        raise TransferError(f"{path} holds more than {MAX_ENTRIES} study records")
    return {table: [_study_row(table, entry, where) for where, entry in _objects(raw.get(table, []), f"study.{table}")]
            for table in STUDY_TABLES}


@dataclass(frozen=True)
class ExportContents:
    """Everything in a JSON export, checked."""

    notes: list[Note]
    bookmarks: list[Bookmark]
    versions: list[tuple[Note, str]]
    study: StudyRows
    bookmarks_removed: list[tuple[str, str]]  # (key, when)


def _json_problem(path: Path, raw: bytes, error: json.JSONDecodeError) -> str:
    """What is wrong with a file that is not JSON, in the terms of what the user probably did."""
    where = f"line {error.lineno}, column {error.colno}: {error.msg}"
    if not raw.strip():
        return f"{path} is empty; was it cut short while being copied?"
    if error.pos == 0 and raw.removeprefix(b"\xef\xbb\xbf").startswith(b"#"):
        return (f"{path} is a Markdown export, which is for reading; only a JSON export "
                "(File > Export notes, saved as .json) can be imported")
    if error.pos == 0:
        return f"{path} is not a notes export: it is not JSON text ({where})"
    if error.pos >= len(error.doc.rstrip()) or error.msg.startswith("Unterminated string"):  # stops mid-way
        return f"{path} ends too early ({where}); was it cut short while being copied?"
    return f"{path} is not valid JSON ({where}), so it is not a notes export that can be imported"


def read_export(path: Path) -> ExportContents:
    """Reads and checks a JSON export in full; raises TransferError naming the first problem."""
    path = Path(path)
    try:
        if not path.exists():
            raise TransferError(f"{path} does not exist")
        if not path.is_file():
            raise TransferError(f"{path} is not a file")
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise TransferError(f"{path} is {size // (1024 * 1024)} MiB; an export is at most {MAX_IMPORT_BYTES // (1024 * 1024)} MiB")
        raw = path.read_bytes()
    except OSError as error:
        raise TransferError(f"Cannot read {path}: {error.strerror or error}") from error

    def refuse_constant(name: str) -> None:
        raise TransferError(f"{path} holds {name}, which is not valid JSON")

    objects = 0

    def counted_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        """Counts objects as they are read: a file of millions of empty {} would take gigabytes of
        memory before the number of entries could be checked."""
        nonlocal objects
        objects += 1
        if objects > _MAX_OBJECTS:
            raise TransferError(f"{path} holds more than {MAX_ENTRIES} entries")
        return dict(pairs)

    try:
        # utf-8-sig: an export opened and saved again in an editor that adds a byte-order mark still imports
        document = json.loads(raw.decode("utf-8-sig"), parse_constant=refuse_constant, object_pairs_hook=counted_object)
    except MemoryError:
        raise TransferError(f"{path} is too large to read in this computer's memory") from None
    except UnicodeDecodeError:
        raise TransferError(f"{path} is not UTF-8 text, so it is not a notes export") from None
    except json.JSONDecodeError as error:
        raise TransferError(_json_problem(path, raw, error)) from None
    except RecursionError:
        raise TransferError(f"{path} is nested too deeply to be a notes export") from None
    except ValueError:  # a number with thousands of digits, which Python refuses to read
        raise TransferError(f"{path} holds a number too long to read, so it is not a notes export") from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise TransferError(f"{path} is not a CMA Career Explorer notes export")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise TransferError(f"{path}: the export has no valid version")
    if version > EXPORT_VERSION:
        raise TransferError(f"{path} was exported by a newer version of the app (export version {version}); update the app to import it")
    raw_notes, raw_bookmarks = document.get("notes"), document.get("bookmarks", [])
    raw_versions, raw_removed = document.get("versions", []), document.get("bookmarks_removed", [])
    if not (isinstance(raw_notes, list) and isinstance(raw_bookmarks, list) and isinstance(raw_versions, list)
            and isinstance(raw_removed, list)):
        raise TransferError(f"{path}: 'notes', 'bookmarks', 'bookmarks_removed' and 'versions' must be lists")
    if len(raw_notes) + len(raw_bookmarks) + len(raw_versions) + len(raw_removed) > MAX_ENTRIES:
        raise TransferError(f"{path} holds more than {MAX_ENTRIES} entries")
    try:
        return _checked_contents(path, document, raw_notes, raw_bookmarks, raw_versions, raw_removed)
    except TransferError as error:
        if str(error).startswith(str(path)):
            raise
        raise TransferError(f"{path} cannot be imported: {error}") from None  # the file named, as in every other message


def _checked_contents(path: Path, document: dict[str, Any], raw_notes: list[Any], raw_bookmarks: list[Any],
                      raw_versions: list[Any], raw_removed: list[Any]) -> ExportContents:
    notes: dict[str, Note] = {}
    for where, entry in _objects(raw_notes, "notes"):
        note = _note(entry, where)
        if note.key in notes:
            raise TransferError(f"{where}: a second note for {note.key}")
        notes[note.key] = note
    bookmarks: dict[str, Bookmark] = {}
    for where, entry in _objects(raw_bookmarks, "bookmarks"):
        key = _key(entry, where)
        bookmarks[key] = Bookmark(key, _text(entry, "title", MAX_TITLE_CHARS, where), _timestamp(entry.get("created_at"), where))
    versions = [(_note(entry, where), _text(entry, "reason", MAX_TITLE_CHARS, where))
                for where, entry in _objects(raw_versions, "versions")]
    removed = [(_key(entry, where), _timestamp(entry.get("removed_at"), where)) for where, entry in _objects(raw_removed, "bookmarks_removed")]
    study = _study(document.get("study", {}), path)
    return ExportContents(list(notes.values()), list(bookmarks.values()), versions, study, removed)


def import_export(store: NotesStore, path: Path) -> ImportSummary:
    """Checks the whole file, then merges it in one transaction; a bad file changes nothing."""
    return merge_export(store, read_export(path))


def merge_export(store: NotesStore, contents: ExportContents) -> ImportSummary:
    """Merges a checked export in one transaction."""
    merged: list[Any] = []
    summary = store.merge(contents.notes, contents.bookmarks, contents.versions,
                          also=lambda connection: merged.append(merge_study(connection, contents.study)),
                          removed_bookmarks=contents.bookmarks_removed)
    return dataclasses.replace(summary, study=merged[0])
