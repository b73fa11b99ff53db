"""Search: forgiving matching, ranking, notes through FTS5 and without it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cma_desktop.search.engine import NotesSearch, Searcher, query_words, snippet
from cma_desktop.search.index import Document, SearchIndex
from cma_desktop.search.text import fold, plain_text, stem, within_one_edit
from cma_desktop.store.notes_store import NotesStore

# (what a student types, the item that should come first, or be among the first three)
RELEVANCE = [
    ("vital signs", "duties/vital-signs", 1),
    ("vitals", "duties/vital-signs", 1),
    ("vit", "duties/vital-signs", 1),
    ("billing", "duties/billing-and-coding", 1),
    ("coding", "duties/billing-and-coding", 1),
    ("scheduling", "duties/scheduling", 1),
    ("schedule", "duties/scheduling", 1),
    ("appointments", "duties/scheduling", 1),
    ("medications", "duties/medications", 1),
    ("specimens", "duties/specimen-collection", 1),
    ("phlebotomy", "duties/specimen-collection", 3),
    ("ekg", "duties/ekg-and-diagnostics", 1),
    ("sterilizing", "duties/instrument-sterilization", 1),
    ("wound dressings", "duties/wound-care", 1),
    ("insurance forms", "duties/insurance-forms", 1),
    ("privacy", "duties/confidentiality", 1),
    ("hipaa", "duties/confidentiality", 1),
    ("pediatrics", "specializations/pediatrics", 1),
    ("children", "specializations/pediatrics", 2),
    ("geriatrics", "specializations/geriatrics", 1),
    ("older adults", "specializations/geriatrics", 2),
    ("ophthalmic", "specializations/ophthalmic", 2),
    ("COA COT COMT", "advancement/ophthalmic-ladder", 1),
    ("podiatric", "specializations/podiatric", 1),
    ("PMAC", "specializations/podiatric", 2),
    ("cardiology", "specializations/cardiology", 1),
    ("hospitals", "settings/hospitals", 1),
    ("outpatient", "settings/outpatient-care-centers", 1),
    ("physicians offices", "settings/physicians-offices", 1),
    ("staffing agency", "settings/employment-services", 1),
    ("recertify", "faq/recertification", 1),
    ("60 months", "steps/keep-credential-current", 3),
    ("CMA vs RMA", "faq/cma-vs-other-credentials", 1),
    ("ccma", "credentials/ccma-nha", 2),
    ("how long training", "faq/training-length", 1),
    ("accredited program", "faq/accredited-program", 2),
    ("state law", "faq/state-scope", 1),
    ("35,850", "faq/salary", 1),
    ("job prospects", "faq/job-prospects", 1),
    ("office manager", "advancement/office-manager", 1),
    ("LPN", "advancement/nursing", 1),
    ("infection control", "duties/infection-control", 1),
    ("refills", "duties/prescription-refills", 1),
    ("greeting patients", "duties/check-in", 1),
    ("x-rays", "duties/ekg-and-diagnostics", 3),
    ("44,200", "facts/median-pay-2024", 1),
    ("salary", "facts/median-pay-2024", 1),
    ("salary", "faq/salary", 3),
    ("income", "facts/median-pay-2024", 1),
    ("ecg", "duties/ekg-and-diagnostics", 2),
    ("shots", "duties/medications", 3),
    ("median pay", "facts/median-pay-2024", 2),
    ("openings", "facts/openings-per-year", 2),
    ("x-ray", "duties/ekg-and-diagnostics", 3),
]


@pytest.fixture(scope="module")
def searcher(bundled_content: Any) -> Searcher:
    return Searcher(bundled_content)


@pytest.mark.parametrize(("query", "expected", "within"), RELEVANCE)
def test_relevance(searcher: Searcher, query: str, expected: str, within: int) -> None:
    top = [hit.document.key for hit in searcher.search(query).ranked[:within]]
    assert expected in top, (query, top)


def test_the_relevance_table_is_broad() -> None:
    assert len(RELEVANCE) >= 30


def top(searcher: Searcher, query: str) -> str:
    return searcher.search(query).ranked[0].document.key


def test_case_and_accents_do_not_matter(searcher: Searcher) -> None:
    assert top(searcher, "PÉDIATRICS") == top(searcher, "pediatrics") == "specializations/pediatrics"
    assert fold("Gériatrie Ñandú") == "geriatrie nandu"


def test_every_word_must_match_in_any_order(searcher: Searcher) -> None:
    assert top(searcher, "signs vital") == "duties/vital-signs"
    assert searcher.search("vital zebra").empty


def test_prefixes_match(searcher: Searcher) -> None:
    assert top(searcher, "ophth") in {"specializations/ophthalmic", "advancement/ophthalmic-ladder"}
    assert top(searcher, "steri") == "duties/instrument-sterilization"


@pytest.mark.parametrize(("typo", "expected"), [("medicaton", "duties/medications"), ("billng", "duties/billing-and-coding"),
                                                ("steralizing", "duties/instrument-sterilization"), ("pediatircs", "specializations/pediatrics")])
def test_a_one_letter_slip_in_a_long_word_still_finds_it(searcher: Searcher, typo: str, expected: str) -> None:
    assert top(searcher, typo) == expected


def test_short_words_do_not_match_by_slips(searcher: Searcher) -> None:
    assert searcher.search("ekh").empty  # "ekg" is only three letters: a slip would be a guess


def test_inflections_match() -> None:
    assert stem("scheduling") == stem("schedule") == stem("schedules") == stem("scheduled")
    assert stem("vitals") == "vital" and stem("billing") == "bill"
    assert within_one_edit("medicaton", "medication") and within_one_edit("form", "from")
    assert not within_one_edit("vital", "total")


def test_title_matches_rank_above_body_matches_and_words_above_prefixes() -> None:
    index = SearchIndex()
    index.add(Document("duties/a", "duties", "Filing records", "mentions billing once"))
    index.add(Document("duties/b", "duties", "Billing basics", "about invoices"))
    index.add(Document("duties/c", "duties", "Billingsley office", "something"))
    index.add(Document("duties/d", "duties", "Bill paying", "something"))
    # whole word in a title, another form of it, a word it begins, then the word in a body
    assert [h.document.key for h in index.search("billing")] == ["duties/b", "duties/d", "duties/c", "duties/a"]
    assert [h.document.key for h in index.search("bill")][0] == "duties/d"


def test_snippet_marks_the_matched_words() -> None:
    text = "Most visits begin with the assistant checking the patient's vital signs and weight."
    segments = snippet(text, ["vital"])
    assert [s.text for s in segments if s.matched] == ["vital"]
    assert "".join(s.text for s in segments).strip("…").strip() in text


def test_markdown_is_plain_in_snippets() -> None:
    assert plain_text("**Bold** and [a link](https://example.org)\n- item") == "Bold and a link\nitem"


def test_no_results_says_what_it_tried(searcher: Searcher) -> None:
    results = searcher.search("zzyzx")
    assert results.empty
    assert "“zzyzx” (the word itself, words starting with it, one-letter slips)" == results.tried()
    assert searcher.words_with_results("vital zzyzx") == ["vital"]


@pytest.mark.parametrize("use_full_text", [True, False], ids=["fts5", "fallback"])
def test_notes_are_found_and_ranked_beside_content(tmp_path: Path, bundled_content: Any, use_full_text: bool) -> None:
    store = NotesStore(tmp_path)
    if use_full_text:
        assert store.full_text, "this Python's SQLite has FTS5; the fallback test covers builds without it"
    notes = NotesSearch(store, lambda key, title: title, use_full_text=use_full_text)
    assert notes.uses_full_text is use_full_text
    searcher = Searcher(bundled_content, notes)
    store.save_note("duties/vital-signs", "Vital signs", "Ask the clinic about automatic blood-pressure cuffs")
    store.save_note("notebook", "Notebook", "Open house: ask about externship placements")
    notes.note_saved(store.note("duties/vital-signs"))  # type: ignore[arg-type]
    notes.note_saved(store.note("notebook"))  # type: ignore[arg-type]

    def note_keys(query: str) -> list[str]:
        return [hit.document.key for group, hits in searcher.search(query).groups if group == "notes" for hit in hits]

    assert note_keys("cuffs") == ["notes:duties/vital-signs"]
    assert note_keys("CUFF") == ["notes:duties/vital-signs"]  # case and inflection
    assert note_keys("externshp") == ["notes:notebook"]  # a slip
    assert note_keys("extern plac") == ["notes:notebook"]  # prefixes, every word
    assert note_keys("cuffs externship") == []
    store.save_note("notebook", "Notebook", "nothing about placements now")
    notes.note_saved(store.note("notebook"))  # type: ignore[arg-type]
    assert note_keys("externship") == []  # indexed as saved: the old text is gone
    store.save_note("notebook", "Notebook", "bring the intake forms")
    notes.note_saved(store.note("notebook"))  # type: ignore[arg-type]
    ranked = [hit.document.key for hit in searcher.search("intake").ranked]
    assert ranked[0] == "duties/patient-intake"  # a title match outranks the note's body match ...
    assert "notes:notebook" in ranked  # ... and the note still ranks among the content
    # text pasted from a PDF: "ﬁ" is one ligature character, and full-width letters
    store.save_note("faq/salary", "Pay", "Renewal needs the certiﬁcation ＣＥＵｓ")
    notes.note_saved(store.note("faq/salary"))  # type: ignore[arg-type]
    assert note_keys("certification") == ["notes:faq/salary"]
    assert note_keys("ceus") == ["notes:faq/salary"]


def test_notes_index_is_rebuilt_when_it_lags(tmp_path: Path) -> None:
    import sqlite3

    store = NotesStore(tmp_path)
    store.save_note("notebook", "Notebook", "ankle brace fitting")
    store.close()
    with sqlite3.connect(tmp_path / "notes.sqlite3") as connection:  # as a build without FTS5 would
        connection.execute("UPDATE notes SET body = 'wrist splint fitting'")
        connection.execute("UPDATE store_state SET value = CAST(value AS INTEGER) + 1 WHERE name = 'changes'")
    reopened = NotesStore(tmp_path)
    search = NotesSearch(reopened, lambda key, title: title)
    assert [h.document.key for h in search.search(["splint"])] == ["notes:notebook"]
    assert search.search(["ankle"]) == []


def test_an_index_from_an_earlier_version_is_rebuilt_in_the_searchable_form(tmp_path: Path) -> None:
    import sqlite3

    store = NotesStore(tmp_path)
    store.save_note("notebook", "Notebook", "certiﬁcation renewal")
    store.close()
    with sqlite3.connect(tmp_path / "notes.sqlite3") as connection:  # a save by an earlier version: indexed as typed
        connection.execute("DELETE FROM notes_fts")
        connection.execute("INSERT INTO notes_fts (rowid, title, body) SELECT rowid, title, body FROM notes")
        connection.execute("UPDATE store_state SET value = CAST(value AS INTEGER) + 1 WHERE name = 'changes'")
        connection.execute("UPDATE store_state SET value = (SELECT value FROM store_state WHERE name = 'changes') "
                           "WHERE name = 'fts_changes'")  # which that version keeps in step
    reopened = NotesStore(tmp_path)
    search = NotesSearch(reopened, lambda key, title: title)
    assert [h.document.key for h in search.search(["certification"])] == ["notes:notebook"]


def test_a_note_with_the_word_itself_is_not_crowded_out_by_notes_sharing_its_stem(tmp_path: Path) -> None:
    store = NotesStore(tmp_path)
    store.save_note("faq/old", "An old note", "Ask about patient care plans")
    for number in range(80):  # newer notes, each matching "car" only through "cardiology"
        store.save_note(f"duties/d{number}", f"Note {number}", "cardiology rotation schedule")
    search = NotesSearch(store, lambda key, title: title)
    assert search.uses_full_text
    assert "notes:faq/old" in [hit.document.key for hit in search.search(["care"])]


def test_a_new_notes_words_are_found_through_slips_without_rebuilding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = NotesStore(tmp_path)
    store.save_note("notebook", "Notebook", "externship placements")
    search = NotesSearch(store, lambda key, title: title)
    search.prepare()  # built once, off the UI thread in the app
    monkeypatch.setattr(store, "full_text_vocabulary", lambda: pytest.fail("the slip list was rebuilt"))
    store.save_note("faq/pay", "Pay", "phlebotomist wages")
    search.note_saved(store.note("faq/pay"))  # type: ignore[arg-type]
    assert [hit.document.key for hit in search.search(["phlebotomust"])] == ["notes:faq/pay"]  # a slip of a new word


def test_every_group_keeps_its_best_results_however_many_another_group_has() -> None:
    index = SearchIndex()
    index.add_all(Document(f"duties/d{n}", "duties", f"Billing task {n}", "billing codes") for n in range(500))
    index.add(Document("advancement/billing-lead", "overview", "Lead biller", "billing team lead"))
    hits = index.search("billing", per_group=8)
    assert [h.document.key for h in hits if h.document.group == "overview"] == ["advancement/billing-lead"]
    assert sum(h.document.group == "duties" for h in hits) == 8


def test_a_note_saved_while_the_slip_list_is_being_built_is_in_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    store = NotesStore(tmp_path)
    store.save_note("notebook", "Notebook", "externship placements")
    reading = threading.Event()
    original = store.full_text_vocabulary

    def slow_vocabulary() -> list[str]:  # the worker thread reads the word list of 10,000 notes
        words_ = original()
        reading.set()
        time.sleep(0.3)
        return words_

    monkeypatch.setattr(store, "full_text_vocabulary", slow_vocabulary)
    search = NotesSearch(store, lambda key, title: title)
    worker = threading.Thread(target=search.prepare)
    worker.start()
    assert reading.wait(5)
    store.save_note("faq/pay", "Pay", "phlebotomist wages")  # typed meanwhile, on the UI thread
    search.note_saved(store.note("faq/pay"))  # type: ignore[arg-type]
    worker.join()
    assert [hit.document.key for hit in search.search(["phlebotomust"])] == ["notes:faq/pay"]


def test_search_goes_on_without_slips_when_the_word_list_cannot_be_read(tmp_path: Path, bundled_content: Any,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    store = NotesStore(tmp_path)
    store.save_note("notebook", "Notebook", "externship placements")
    notes = NotesSearch(store, lambda key, title: title)

    def locked() -> list[str]:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(store, "full_text_vocabulary", locked)
    searcher = Searcher(bundled_content, notes)
    assert [h.document.key for g, hits in searcher.search("externship").groups if g == "notes" for h in hits] == ["notes:notebook"]


def test_a_note_with_the_whole_word_beats_newer_notes_with_longer_words(tmp_path: Path) -> None:
    store = NotesStore(tmp_path)
    store.save_note("faq/old", "An old note", "Ask about patient care plans")
    for number in range(80):  # newer notes whose words start with it
        store.save_note(f"duties/d{number}", f"Note {number}", "career fair next week")
    search = NotesSearch(store, lambda key, title: title)
    assert "notes:faq/old" in [hit.document.key for hit in search.search(["care"])]


def test_among_equal_scores_shorter_titles_come_first_in_each_group() -> None:
    index = SearchIndex()
    index.add_all(Document(f"duties/d{n}", "duties", "Billing " + "x" * (40 - n), "billing") for n in range(30))
    titles = [hit.document.title for hit in index.search("billing", per_group=8)]
    assert titles == sorted(titles, key=len)[:8] and len(titles[0]) == len("Billing ") + 11


@pytest.mark.parametrize(("note", "query"), [("Ask about babies and toddlers", "baby"), ("Studies of the heart", "study"),
                                             ("Lives on Hauptstraße", "hauptstrasse"),
                                             ("Ask who may take x-rays here", "x-ray"),
                                             ("Ask what the pay is", "salary")])
def test_notes_search_finds_the_forms_content_search_finds(tmp_path: Path, note: str, query: str) -> None:
    store = NotesStore(tmp_path)
    store.save_note("notebook", "Notebook", note)
    for use_full_text in (True, False):
        search = NotesSearch(store, lambda key, title: title, use_full_text=use_full_text)
        assert [hit.document.key for hit in search.search(query_words(query))] == ["notes:notebook"], use_full_text


def test_typing_on_after_no_results_searches_only_the_new_word(tmp_path: Path, bundled_content: Any,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    store = NotesStore(tmp_path)
    searcher = Searcher(bundled_content, NotesSearch(store, lambda key, title: title))
    searched: list[str] = []
    real_search = searcher.search
    monkeypatch.setattr(searcher, "search", lambda query: (searched.append(query), real_search(query))[1])
    assert searcher.words_with_results("vital zzyzx") == ["vital"]
    searched.clear()
    assert searcher.words_with_results("vital zzyzx pulse") == ["vital", "pulse"]
    assert searched == ["pulse"]  # the words before were remembered
    store.save_note("notebook", "Notebook", "zzyzx road")  # a save may change what a word finds
    searcher.notes.note_saved(store.note("notebook"))  # type: ignore[union-attr, arg-type]
    assert searcher.words_with_results("vital zzyzx") == ["vital", "zzyzx"]


@pytest.mark.parametrize(("query", "not_found"), [("salary", "duties/medical-records"), ("salary", "faq/recertification"),
                                                  ("wage", "duties/medical-records")])
def test_words_meaning_the_same_are_not_confused_with_look_alikes(searcher: Searcher, query: str, not_found: str) -> None:
    """A synonym of "income" was tied to "incoming" through its stem, and "earn" (as in earning points) to pay."""
    assert not_found not in [hit.document.key for hit in searcher.search(query).ranked]
