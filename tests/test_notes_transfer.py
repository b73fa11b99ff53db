"""Export and import: a round trip keeps everything; a newer note is never silently replaced; bad files change nothing."""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cma_desktop.store.notes_store import Note, NotesStore
from cma_desktop.store.transfer import (
    EXPORT_VERSION,
    MAX_BODY_CHARS,
    MAX_IMPORT_BYTES,
    TransferError,
    export_json,
    export_markdown,
    import_export,
    write_atomically,
)
from cma_desktop.study.flashcards import Reviewer
from cma_desktop.study.progress import StudyProgress
from tests.test_notes_store import TickingClock


def filled_store(path: Path, clock: Any = None) -> NotesStore:
    store = NotesStore(path, clock=clock or TickingClock())
    store.save_note("duties/vital-signs", "Taking vital signs and measurements", "Ask about manual cuffs")
    store.save_note("faq/salary", "How much do medical assistants earn?", "Compare with local wages")
    store.save_note("notebook", "Notebook", "Open house on Friday")
    store.save_note("duties/retired-topic", "A topic that left", "Still mine")
    store.set_bookmark("specializations/pediatrics", "Pediatrics", True)
    return store


def snapshot(store: NotesStore) -> tuple[Any, ...]:
    return (store.notes(), store.bookmarks(), [store.note_versions(n.key) for n in store.notes()],
            StudyProgress(store).export_rows())


def studied_store(path: Path, content: Any, clock: Any) -> tuple[NotesStore, Reviewer]:
    """A store with flashcard reviews, a finished quiz and a flagged question."""
    store = filled_store(path, clock)  # one clock for both computers: their times compare
    progress = StudyProgress(store)
    reviewer = Reviewer(content, progress, clock=clock)
    deck = next(iter(reviewer.decks))
    for rating in (3, 4):
        card = reviewer.next_card(deck)
        assert card is not None
        reviewer.rate(card, rating)
    session = progress.start_session("quick")
    progress.record_answer(session, "q-exam-format", "general", "A", True)
    progress.record_answer(session, "q-recert", "career", "B", False)
    progress.finish_session(session)
    progress.set_flag("q-recert", True)
    return store, reviewer


def test_json_round_trip_to_another_computer(tmp_path: Path) -> None:
    source = filled_store(tmp_path / "laptop")
    export = tmp_path / "notes.json"
    write_atomically(export, export_json(source))
    target = NotesStore(tmp_path / "lab", clock=TickingClock())
    summary = import_export(target, export)
    assert summary.notes_added == 4 and summary.bookmarks_added == 1
    assert [(n.key, n.body, n.updated_at) for n in target.notes()] == [(n.key, n.body, n.updated_at) for n in source.notes()]
    assert [b.key for b in target.bookmarks()] == ["specializations/pediatrics"]
    again = import_export(target, export)  # importing twice changes nothing
    assert (again.notes_added, again.notes_unchanged, again.bookmarks_added) == (0, 4, 0)


def test_newer_note_is_never_overwritten_silently(tmp_path: Path) -> None:
    clock = TickingClock()
    laptop = NotesStore(tmp_path / "laptop", clock=clock)
    lab = NotesStore(tmp_path / "lab", clock=clock)
    laptop.save_note("faq/salary", "Pay", "old text from the laptop")
    lab.save_note("faq/salary", "Pay", "newer text typed in the lab")
    laptop.save_note("duties/vital-signs", "Vital signs", "laptop is newest here")
    lab.save_note("duties/vital-signs", "Vital signs", "lab text, older")
    laptop.save_note("duties/vital-signs", "Vital signs", "laptop is newest here, edited")
    export = tmp_path / "laptop.json"
    write_atomically(export, export_json(laptop))

    summary = import_export(lab, export)
    assert (summary.notes_kept_both, summary.notes_updated) == (1, 1)
    assert lab.note("faq/salary").body == "newer text typed in the lab"  # type: ignore[union-attr]
    assert [v.body for v, _ in lab.note_versions("faq/salary")] == ["old text from the laptop"]
    assert lab.note("duties/vital-signs").body == "laptop is newest here, edited"  # type: ignore[union-attr]
    assert [v.body for v, _ in lab.note_versions("duties/vital-signs")] == ["lab text, older"]
    assert "kept as they were" in summary.message()
    markdown = export_markdown(lab, None)
    assert "old text from the laptop" in markdown and "lab text, older" in markdown


HOSTILE = {
    "truncated": lambda good: good[: len(good) // 2],
    "not json": lambda good: "this is a note, not an export",
    "wrong format": lambda good: json.dumps({"format": "anki", "version": 1, "notes": []}),
    "newer export": lambda good: good.replace(f'"version": {EXPORT_VERSION}', '"version": 99'),
    "path key": lambda good: good.replace('"faq/salary"', '"../../etc/passwd"'),
    "html key": lambda good: good.replace('"faq/salary"', '"<img src=x>"'),
    "bad date": lambda good: good.replace('"updated_at": "', '"updated_at": "yesterday', 1),
    "number body": lambda good: good.replace('"body": "Compare with local wages"', '"body": 12'),
    "nan": lambda good: good.replace(f'"version": {EXPORT_VERSION}', '"version": NaN'),
    "study not a table": lambda good: good.replace('"study": {', '"study": {"card_states": 5, "x": {', 1),
    "card schedule not fsrs": lambda good: good.replace(r'\"state\": 1,', r'\"state\": 99,', 1),
    "rating out of range": lambda good: good.replace('"rating": 3', '"rating": 7', 1),
    "answer counted twice": lambda good: good[:good.index('"quiz_answers"')]
    + good[good.index('"quiz_answers"'):].replace('"correct": 1,', '"correct": 2,', 1),
    "question id with a path": lambda good: good.replace('"q-recert"', '"../q-recert"', 1),
    "date out of range": lambda good: re.sub(r'"updated_at": "[^"]+"', '"updated_at": "9999-12-31T23:00:00-05:00"',
                                             good, count=1),
    "card stability not a number": lambda good: re.sub(r'\\"stability\\": [0-9.]+', r'\\"stability\\": \\"nan\\"',
                                                       good, count=1),
    "card reviewed without a time zone": lambda good: re.sub(r'(\\"last_review\\": \\"[0-9T:.-]+)\+00:00', r"\1",
                                                             good, count=1),
    "deep nesting": lambda good: "[" * 100_000 + "]" * 100_000,
    "duplicate note": lambda good: good.replace('"duties/retired-topic"', '"faq/salary"'),
    "bookmark removals not a list": lambda good: good.replace('"bookmarks_removed": [', '"bookmarks_removed": {"x": [', 1)
    .replace('"versions": [', ']}, "versions": [', 1),
    "half a surrogate pair": lambda good: good.replace('"Compare with local wages"', '"Compare \\ud800 wages"'),
    "number of 5000 digits": lambda good: good.replace(f'"version": {EXPORT_VERSION}', '"version": ' + "9" * 5000),
    "key with a line break": lambda good: good.replace('"faq/salary"', '"faq/salary\\n"'),
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_malformed_or_hostile_import_changes_nothing(tmp_path: Path, kind: str, bundled_content: Any) -> None:
    good = export_json(studied_store(tmp_path / "other", bundled_content, TickingClock())[0])
    assert HOSTILE[kind](good) != good  # the damage applies to this export
    bad = tmp_path / "bad.json"
    bad.write_text(HOSTILE[kind](good), encoding="utf-8")
    store = NotesStore(tmp_path / "mine", clock=TickingClock())
    store.save_note("faq/salary", "Pay", "mine")
    before = snapshot(store)
    with pytest.raises(TransferError):
        import_export(store, bad)
    assert snapshot(store) == before


def test_whatever_the_editor_saved_exports_and_imports_again(tmp_path: Path) -> None:
    """A pasted NUL, a very long note, many notes and a long title: the export is a backup that restores."""
    source = NotesStore(tmp_path / "laptop", clock=TickingClock())
    source.save_note("notebook", "Notebook", "pasted\x00binary")
    source.save_note("faq/salary", "How much? " * 100, "long " * 300_000)
    for number in range(3000):
        source.save_note(f"duties/topic-{number}", f"Topic {number}", "a few words " * 20)
    export = tmp_path / "notes.json"
    write_atomically(export, export_json(source))
    target = NotesStore(tmp_path / "lab", clock=TickingClock())
    assert import_export(target, export).notes_added == 3002
    assert [(n.key, n.title, n.body) for n in target.notes()] == [(n.key, n.title, n.body) for n in source.notes()]


def test_an_export_too_large_to_import_again_is_refused_with_a_way_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = filled_store(tmp_path / "laptop")
    monkeypatch.setattr("cma_desktop.store.transfer.MAX_IMPORT_BYTES", 200)
    with pytest.raises(TransferError, match="Export them as Markdown instead"):
        export_json(store)
    assert "Still mine" in export_markdown(store, None)


def test_a_file_of_countless_empty_entries_is_refused_before_it_fills_the_memory(tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted as they are read: 450 MB of {} once took 11 GB before its entries were counted. The
    count stops the reading, before the broken end of this file is reached."""
    monkeypatch.setattr("cma_desktop.store.transfer._MAX_OBJECTS", 1_000)
    hostile = tmp_path / "many.json"
    hostile.write_text('{"format": "cma-desktop-notes", "version": 1, "notes": [' + "{}, " * 5_000 + "oops", encoding="utf-8")
    store = NotesStore(tmp_path / "mine", clock=TickingClock())
    with pytest.raises(TransferError, match="holds more than"):
        import_export(store, hostile)
    assert store.notes() == []


def test_a_note_too_long_to_carry_is_named_on_export_and_refused_on_import(tmp_path: Path) -> None:
    store = NotesStore(tmp_path / "laptop", clock=TickingClock())
    store.save_note("notebook", "Notebook", "fine")
    store.save_note("faq/salary", "Pasted book", "x " * (MAX_BODY_CHARS // 2 + 1))
    with pytest.raises(TransferError, match="longer than .* Pasted book"):
        export_json(store)
    document = {"format": "cma-desktop-notes", "version": 1, "notes": [
        {"key": "faq/salary", "title": "Pasted book", "body": "x" * (MAX_BODY_CHARS + 1), "updated_at": "2026-11-28T09:00:00+00:00"}]}
    hostile = tmp_path / "long.json"
    hostile.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(TransferError, match="longer than"):
        import_export(NotesStore(tmp_path / "lab", clock=TickingClock()), hostile)


def test_an_export_saved_with_a_byte_order_mark_still_imports(tmp_path: Path) -> None:
    export = tmp_path / "notes.json"
    export.write_text("\ufeff" + export_json(filled_store(tmp_path / "laptop")), encoding="utf-8")
    assert import_export(NotesStore(tmp_path / "lab", clock=TickingClock()), export).notes_added == 4


def test_oversized_and_binary_imports_are_refused(tmp_path: Path) -> None:
    store = NotesStore(tmp_path / "mine", clock=TickingClock())
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(MAX_IMPORT_BYTES + 1)
    with pytest.raises(TransferError, match="at most"):
        import_export(store, huge)
    binary = tmp_path / "photo.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe" * 10)
    with pytest.raises(TransferError, match="not UTF-8"):
        import_export(store, binary)
    with pytest.raises(TransferError, match="not a file"):
        import_export(store, tmp_path)


def test_markdown_export_is_grouped_by_tab_and_topic(tmp_path: Path, bundled_content: Any) -> None:
    text = export_markdown(filled_store(tmp_path), bundled_content)
    assert text.index("## Notebook") < text.index("## Duties") < text.index("## FAQ") < text.index("## No longer in the content")
    assert "### Taking vital signs and measurements" in text and "Ask about manual cuffs" in text
    assert "## Bookmarks" in text and "- Pediatrics (Specializations)" in text
    assert text.index("Still mine") > text.index("## No longer in the content")


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "notes.md"
    target.write_text("previous export", encoding="utf-8")

    def failing_replace(*_args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(TransferError, match="No space left"):
        write_atomically(target, "new export")
    assert target.read_text(encoding="utf-8") == "previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.md"]  # no temp file left behind


def test_command_line_export_and_import(tmp_path: Path) -> None:
    filled_store(tmp_path / "laptop").close()
    env = {**os.environ, "HOME": str(tmp_path)}
    env.pop("CMA_DESKTOP_DATA_DIR", None)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "cma_desktop", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)

    exported = cli("export-notes", "--data-dir", str(tmp_path / "laptop"), "--format", "json", str(tmp_path / "out.json"))
    assert exported.returncode == 0, exported.stderr
    markdown = cli("export-notes", "--data-dir", str(tmp_path / "laptop"), str(tmp_path / "out.md"))
    assert markdown.returncode == 0 and "Taking vital signs" in (tmp_path / "out.md").read_text(encoding="utf-8")
    imported = cli("import-notes", "--data-dir", str(tmp_path / "lab"), str(tmp_path / "out.json"))
    assert imported.returncode == 0 and "4 note(s) added" in imported.stdout and str(tmp_path / "lab") in imported.stdout
    (tmp_path / "bad.json").write_text("{ nope", encoding="utf-8")
    refused = cli("import-notes", "--data-dir", str(tmp_path / "lab"), str(tmp_path / "bad.json"))
    assert refused.returncode == 1 and "is not valid JSON (line 1, column 3" in refused.stderr
    assert "Traceback" not in refused.stderr
    whole = (tmp_path / "out.json").read_text(encoding="utf-8")
    (tmp_path / "cut.json").write_text(whole[: len(whole) // 2], encoding="utf-8")
    cut = cli("import-notes", "--data-dir", str(tmp_path / "lab"), str(tmp_path / "cut.json"))
    assert cut.returncode == 1 and "ends too early" in cut.stderr and "cut short" in cut.stderr
    (tmp_path / "empty.json").write_bytes(b"")
    empty = cli("import-notes", "--data-dir", str(tmp_path / "lab"), str(tmp_path / "empty.json"))
    assert empty.returncode == 1 and "empty.json is empty" in empty.stderr
    wrong_kind = cli("import-notes", "--data-dir", str(tmp_path / "lab"), str(tmp_path / "out.md"))
    assert wrong_kind.returncode == 1 and "is a Markdown export" in wrong_kind.stderr
    # a bad file changes nothing, not even by creating the data folder it names
    missing = cli("import-notes", "--data-dir", str(tmp_path / "typo-dir"), str(tmp_path / "nowhere.json"))
    assert missing.returncode == 1 and "nowhere.json does not exist" in missing.stderr
    assert not (tmp_path / "typo-dir").exists()
    failed = cli("export-notes", "--data-dir", str(tmp_path / "lab"), str(tmp_path / "no" / "dir" / "x.md"))
    assert failed.returncode == 1 and "Cannot write" in failed.stderr
    mistyped = cli("export-notes", "--data-dir", str(tmp_path / "labb"), str(tmp_path / "typo.json"))
    assert mistyped.returncode == 1 and "there are no notes in" in mistyped.stderr
    assert not (tmp_path / "typo.json").exists() and not (tmp_path / "labb").exists()


def test_command_line_import_says_when_it_restored_a_damaged_notes_file(tmp_path: Path) -> None:
    store = filled_store(tmp_path / "lab")
    assert store.backup_if_changed() is not None
    write_atomically(tmp_path / "out.json", export_json(store))
    store.close()
    with open(store.path, "r+b") as damaged:
        damaged.seek(100)
        damaged.write(b"\xff" * 3900)
    env = {**os.environ, "HOME": str(tmp_path)}
    env.pop("CMA_DESKTOP_DATA_DIR", None)
    imported = subprocess.run([sys.executable, "-m", "cma_desktop", "import-notes", "--data-dir", str(tmp_path / "lab"),
                               str(tmp_path / "out.json")], env=env, capture_output=True, text=True, timeout=120)
    assert imported.returncode == 0, imported.stderr
    assert "Your notes file was damaged" in imported.stderr and "restored from the backup" in imported.stderr


def test_json_export_carries_earlier_versions_and_imports_do_not_repeat_them(tmp_path: Path) -> None:
    clock = TickingClock()
    laptop = NotesStore(tmp_path / "laptop", clock=clock)
    lab = NotesStore(tmp_path / "lab", clock=clock)
    laptop.save_note("faq/salary", "Pay", "older laptop text")
    lab.save_note("faq/salary", "Pay", "newer lab text")
    first = tmp_path / "laptop.json"
    write_atomically(first, export_json(laptop))
    for _ in range(3):  # importing the same file again keeps the other text once, not three times
        import_export(lab, first)
    assert [v.body for v, _ in lab.note_versions("faq/salary")] == ["older laptop text"]

    moved = tmp_path / "lab.json"
    write_atomically(moved, export_json(lab))  # the lab's export, with its kept version, to a new computer
    fresh = NotesStore(tmp_path / "home", clock=clock)
    import_export(fresh, moved)
    assert fresh.note("faq/salary").body == "newer lab text"  # type: ignore[union-attr]
    assert [v.body for v, _ in fresh.note_versions("faq/salary")] == ["older laptop text"]


def test_an_emptied_local_note_gives_way_to_imported_text(tmp_path: Path) -> None:
    clock = TickingClock()
    other = NotesStore(tmp_path / "other", clock=clock)
    other.save_note("notebook", "Notebook", "real text")
    mine = NotesStore(tmp_path / "mine", clock=clock)
    mine.save_note("notebook", "Notebook", "")  # newer, but empty
    export = tmp_path / "other.json"
    write_atomically(export, export_json(other))
    summary = import_export(mine, export)
    assert summary.notes_updated == 1 and mine.note("notebook").body == "real text"  # type: ignore[union-attr]


def laptop_export_and_lab(tmp_path: Path, content: Any, clock: Any) -> tuple[NotesStore, Reviewer, Path, NotesStore]:
    """A laptop with study progress, its complete export, and a lab computer's empty store."""
    laptop, laptop_reviewer = studied_store(tmp_path / "laptop", content, clock)
    export = tmp_path / "all.json"
    write_atomically(export, export_json(laptop))
    return laptop, laptop_reviewer, export, NotesStore(tmp_path / "lab", clock=clock)


def test_study_progress_moves_to_another_computer(tmp_path: Path, bundled_content: Any) -> None:
    clock = TickingClock()
    laptop, laptop_reviewer, export, lab = laptop_export_and_lab(tmp_path, bundled_content, clock)
    summary = import_export(lab, export)
    assert (summary.study.cards_updated, summary.study.quiz_answers_added, summary.study.flags_added) == (2, 2, 1)
    assert "2 flashcard schedule(s)" in summary.message()
    lab_progress, laptop_progress = StudyProgress(lab), StudyProgress(laptop)
    assert lab_progress.card_states() == laptop_progress.card_states()  # the same cards come due on the same days
    assert lab_progress.domain_totals() == {"general": (1, 1), "career": (0, 1)}
    assert lab_progress.flagged() == {"q-recert"}
    lab_reviewer = Reviewer(bundled_content, lab_progress, clock=clock)
    deck = next(iter(lab_reviewer.decks))
    assert lab_reviewer.counts(deck) == laptop_reviewer.counts(deck)
    again = import_export(lab, export)  # nothing twice
    assert (again.study.cards_updated, again.study.quiz_answers_added, again.study.flags_added) == (0, 0, 0)
    assert lab_progress.domain_totals() == {"general": (1, 1), "career": (0, 1)}


def test_a_card_studied_more_recently_here_keeps_its_schedule(tmp_path: Path, bundled_content: Any) -> None:
    clock = TickingClock()
    _laptop, _, export, lab = laptop_export_and_lab(tmp_path, bundled_content, clock)
    lab_reviewer = Reviewer(bundled_content, StudyProgress(lab), clock=clock)
    first_card = lab_reviewer.next_card(next(iter(lab_reviewer.decks)))
    assert first_card is not None
    lab_reviewer.rate(first_card, 1)  # studied in the lab after the laptop's export: "Again"
    lab_state = StudyProgress(lab).card_state(first_card.id)
    summary = import_export(lab, export)
    assert StudyProgress(lab).card_state(first_card.id) == lab_state
    assert summary.study.cards_updated == 1  # only the card the lab had not studied


def test_version_one_exports_still_import(tmp_path: Path) -> None:
    document = json.loads(export_json(filled_store(tmp_path / "old")))
    document["version"] = 1
    del document["study"]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(document), encoding="utf-8")
    summary = import_export(NotesStore(tmp_path / "new", clock=TickingClock()), old)
    assert summary.notes_added == 4 and summary.study.cards_updated == 0


def test_the_readable_export_sums_up_study_progress(tmp_path: Path, bundled_content: Any) -> None:
    store, _ = studied_store(tmp_path / "s", bundled_content, TickingClock())
    markdown = export_markdown(store, bundled_content)
    assert "## Study progress" in markdown and "Flashcards studied: 2" in markdown
    assert "Quiz, career: 0 of 1 answers right (0%)" in markdown


def test_the_latest_answer_counts_whichever_computer_gave_it(tmp_path: Path, bundled_content: Any) -> None:
    clock = TickingClock()
    _laptop, _, export, lab = laptop_export_and_lab(tmp_path, bundled_content, clock)  # q-exam-format right, earlier
    lab_progress = StudyProgress(lab)
    session = lab_progress.start_session("quick")
    lab_progress.record_answer(session, "q-exam-format", "general", "C", False)  # wrong, and later
    import_export(lab, export)
    assert lab_progress.last_results()["q-exam-format"] is False  # still due for "review the ones I got wrong"


def test_a_flag_taken_off_stays_off_after_importing_an_older_export(tmp_path: Path, bundled_content: Any) -> None:
    clock = TickingClock()
    laptop, _, export, lab = laptop_export_and_lab(tmp_path, bundled_content, clock)  # q-recert flagged
    laptop_progress = StudyProgress(laptop)
    laptop_progress.set_flag("q-recert", False)  # taken off after the export
    summary = import_export(laptop, export)
    assert laptop_progress.flagged() == set() and summary.study.flags_added == 0

    # ... and the removal travels: a computer that still has the flag takes it off too.
    import_export(lab, export)
    assert StudyProgress(lab).flagged() == {"q-recert"}
    newer = tmp_path / "newer.json"
    write_atomically(newer, export_json(laptop))
    assert import_export(lab, newer).study.flags_removed == 1
    assert StudyProgress(lab).flagged() == set()
    StudyProgress(lab).set_flag("q-recert", True)  # flagged again later here: an older removal does not win
    import_export(lab, newer)
    assert StudyProgress(lab).flagged() == {"q-recert"}


def test_a_bookmark_taken_off_stays_off_and_the_removal_travels(tmp_path: Path) -> None:
    clock = TickingClock()
    laptop = filled_store(tmp_path / "laptop", clock)  # pediatrics bookmarked
    old_export = tmp_path / "old.json"
    write_atomically(old_export, export_json(laptop))
    laptop.set_bookmark("specializations/pediatrics", "Pediatrics", False)
    assert import_export(laptop, old_export).bookmarks_added == 0  # an older export does not bring it back
    assert not laptop.is_bookmarked("specializations/pediatrics")

    lab = NotesStore(tmp_path / "lab", clock=clock)
    import_export(lab, old_export)
    assert lab.is_bookmarked("specializations/pediatrics")
    newer = tmp_path / "newer.json"
    write_atomically(newer, export_json(laptop))
    summary = import_export(lab, newer)
    assert summary.bookmarks_removed == 1 and "1 bookmark(s) removed" in summary.message()
    assert not lab.is_bookmarked("specializations/pediatrics")
    lab.set_bookmark("specializations/pediatrics", "Pediatrics", True)  # bookmarked again later: an older removal does not win
    import_export(lab, newer)
    assert lab.is_bookmarked("specializations/pediatrics")



def test_a_bookmark_removed_and_added_again_elsewhere_stays(tmp_path: Path) -> None:
    clock = TickingClock()
    laptop = filled_store(tmp_path / "laptop", clock)  # pediatrics bookmarked
    lab = NotesStore(tmp_path / "lab", clock=clock)
    first = tmp_path / "first.json"
    write_atomically(first, export_json(laptop))
    import_export(lab, first)
    laptop.set_bookmark("specializations/pediatrics", "Pediatrics", False)
    laptop.set_bookmark("specializations/pediatrics", "Pediatrics", True)  # changed their mind
    again = tmp_path / "again.json"
    write_atomically(again, export_json(laptop))
    summary = import_export(lab, again)
    assert lab.is_bookmarked("specializations/pediatrics")
    assert summary.bookmarks_removed == 0 and "removed" not in summary.message()


def test_a_note_from_a_computer_whose_clock_ran_fast_imports_as_made_now(tmp_path: Path) -> None:
    document = json.loads(export_json(filled_store(tmp_path / "lab")))
    document["notes"][0]["updated_at"] = "2099-01-01T00:00:00+00:00"
    fast = tmp_path / "fast-clock.json"
    fast.write_text(json.dumps(document), encoding="utf-8")
    mine = NotesStore(tmp_path / "mine")  # the real clock
    before = datetime.datetime.now(datetime.timezone.utc)
    assert import_export(mine, fast).notes_added == 4  # nothing refused, nothing lost
    key = document["notes"][0]["key"]
    kept = datetime.datetime.fromisoformat(mine.note(key).updated_at)  # type: ignore[union-attr]
    assert before <= kept <= datetime.datetime.now(datetime.timezone.utc)
    mine.save_note(key, "Edited", "typed here afterwards")
    again = import_export(mine, fast)  # the same file later: its date says "now" once more
    assert again.notes_updated + again.notes_kept_both == 1  # said in the summary, and neither text lost
    texts = {mine.note(key).body} | {v.body for v, _ in mine.note_versions(key)}  # type: ignore[union-attr]
    assert {"typed here afterwards", document["notes"][0]["body"]} <= texts


def test_importing_a_fast_clock_export_again_adds_nothing_twice(tmp_path: Path, bundled_content: Any) -> None:
    """Records whose future dates were taken as "now" are still recognised when the same file comes back."""
    laptop, _reviewer = studied_store(tmp_path / "laptop", bundled_content, TickingClock())
    laptop.merge([], [], [(Note("faq/salary", "Pay", "an older text", "2026-01-01T00:00:00.000000+00:00"), "older imported note")])
    document = json.loads(export_json(laptop))
    future = "2099-01-01T00:00:00+00:00"
    for record in document["versions"]:
        record["updated_at"] = future
    for table, column in (("card_reviews", "reviewed_at"), ("quiz_answers", "answered_at")):
        assert document["study"][table]
        for record in document["study"][table]:
            record[column] = future
    fast = tmp_path / "fast-clock.json"
    fast.write_text(json.dumps(document), encoding="utf-8")
    mine = NotesStore(tmp_path / "mine")
    for _ in range(3):
        import_export(mine, fast)
    assert len(mine.note_versions("faq/salary")) == 1
    assert mine.read("SELECT count(*) FROM card_reviews")[0][0] == len(document["study"]["card_reviews"])
    assert mine.read("SELECT count(*) FROM quiz_answers")[0][0] == len(document["study"]["quiz_answers"])


def test_the_readable_export_keeps_the_versions_of_a_note_emptied_since(tmp_path: Path) -> None:
    """The app still offers their earlier versions; the Markdown export had neither text."""
    store = NotesStore(tmp_path / "mine", clock=TickingClock())
    store.save_note("faq/pay", "Pay", "my newer text")
    other = NotesStore(tmp_path / "other", clock=TickingClock())
    other.save_note("faq/pay", "Pay", "the laptop's older text")
    write_atomically(tmp_path / "other.json", export_json(other))
    import_export(store, tmp_path / "other.json")
    store.save_note("faq/pay", "Pay", "")  # emptied
    text = export_markdown(store, None)
    assert "the laptop's older text" in text and "The note is empty now" in text


def test_a_refused_import_names_its_file(tmp_path: Path) -> None:
    bad = tmp_path / "notes.json"
    bad.write_text(json.dumps({"format": "cma-desktop-notes", "version": 1, "notes": [],
                               "bookmarks": [{"key": "faq/pay", "title": 5, "created_at": "2026-11-28T09:00:00+00:00"}]}),
                   encoding="utf-8")
    with pytest.raises(TransferError) as refused:
        import_export(NotesStore(tmp_path / "mine", clock=TickingClock()), bad)
    assert str(refused.value).startswith(f"{bad} cannot be imported: bookmarks[0]: 'title' must be text")
