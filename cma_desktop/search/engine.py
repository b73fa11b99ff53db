"""One search over the content and the user's notes, grouped by where each result lives."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass

from cma_desktop.content.model import Content, Figure
from cma_desktop.content.render import item_label
from cma_desktop.search import LOCAL_CENTER, LOCAL_PROGRAM, LOCAL_WAGE, NOTE_PREFIX, OVERVIEW_INTRO, QUICK_FACT
from cma_desktop.search.index import TITLE_ONLY_BELOW, Document, Hit, SearchIndex, SlipFinder, match_level, score_words
from cma_desktop.search.text import MIN_FUZZY_LENGTH, plain_text, stem, synonym_forms, synonyms, words, words_with_spans
from cma_desktop.store.notes_store import Note, NotesStore

GROUPS: dict[str, str] = {
    "overview": "Overview",
    "duties": "Duties",
    "specializations": "Specializations",
    "settings": "Work Settings",
    "faq": "FAQ",
    "local": "Local",
    "notes": "My notes",
}
_GROUP_OF_KIND = {"steps": "overview", "credentials": "overview", "advancement": "overview"}
RESULTS_PER_GROUP = 8
FULL_TEXT_CANDIDATES = 60  # notes taken from the full-text index for each way of matching, then ranked here


def _figures_text(figures: tuple[Figure, ...]) -> str:
    return " ".join(f"{f.label} {f.value}" for f in figures)


def content_documents(content: Content) -> list[Document]:
    overview = content.overview
    documents = [Document(OVERVIEW_INTRO, "overview", overview.title, plain_text(f"{overview.intro}\n{overview.body}"))]
    for fact in content.quick_facts:  # "44,200", "median pay": the figures a student looks for first
        source = content.source(fact.source)
        documents.append(Document(f"{QUICK_FACT}/{fact.id}", "overview", fact.label, plain_text(
            f"{fact.value}\n{fact.note}\n{fact.as_of} {source.publisher if source else ''}")))
    for kind in ("steps", "credentials", "advancement", "duties", "specializations", "settings", "faq"):
        for item in content.items(kind):
            parts = [getattr(item, "summary", ""), item.body if hasattr(item, "body") else ""]
            if kind == "credentials":
                parts = [item.issuer, item.eligibility, item.exam, item.renewal, item.accreditation]  # type: ignore[union-attr]
            parts.append(_figures_text(getattr(item, "figures", ())))
            body = plain_text("\n".join(p for p in parts if p))
            documents.append(Document(f"{kind}/{item.id}", _GROUP_OF_KIND.get(kind, kind), item_label(item), body))
    return documents + local_documents(content)


def local_documents(content: Content) -> list[Document]:
    """A career center's programs, contact details and local pay, found under Local."""
    documents = []
    for program in content.programs:
        parts = [program.summary, program.place, program.accreditation, program.length, program.cost, program.contact]
        documents.append(Document(f"{LOCAL_PROGRAM}/{program.id}", "local", program.name,
                                  plain_text("\n".join(p for p in parts if p))))
    if content.center is not None:
        documents.append(Document(LOCAL_CENTER, "local", content.center.name, plain_text(content.center.contact)))
    for wage in content.local_wages:
        documents.append(Document(f"{LOCAL_WAGE}/{wage.id}", "local", wage.label_with_area,
                                  plain_text(f"{wage.value} {wage.note}")))
    return documents


@dataclass(frozen=True)
class Segment:
    text: str
    matched: bool


# Little words people type in questions ("cma vs rma", "how to become a cma") that content may not use.
_STOP_WORDS = frozenset({"a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "vs", "versus", "is", "are",
                         "do", "does", "how", "what", "i", "my", "me", "with"})


def query_words(query: str) -> list[str]:
    """The words every result must match; little words are dropped unless they are all there is."""
    found = list(dict.fromkeys(words(query)))
    meaningful = [w for w in found if w not in _STOP_WORDS]
    return meaningful or found


class _WordMatcher:
    """Remembers, for one query, which words match: texts repeat their words a lot."""

    def __init__(self, query: list[str]) -> None:
        self._query = query
        self._known: dict[str, bool] = {}

    def __call__(self, word: str) -> bool:
        known = self._known.get(word)
        if known is None:
            known = self._known[word] = any(match_level(q, word) for q in self._query)
        return known


def matched_words(text: str, query: list[str]) -> list[str]:
    """The words of text (as written) that match any query word."""
    matches = _WordMatcher(query)
    found = [text[start:end] for word, start, end in words_with_spans(text) if matches(word)]
    return list(dict.fromkeys(found))


def snippet(text: str, query: list[str], width: int = 110, matches: Callable[[str], bool] | None = None) -> list[Segment]:
    """A short piece of text around the first match, with the matching words marked."""
    matches = matches or _WordMatcher(query)
    spans = [(start, end) for word, start, end in words_with_spans(text[: width * 40]) if matches(word)]
    flat = " ".join(text.split())
    if not spans:
        cut = flat[:width]
        return [Segment(cut + ("…" if len(flat) > width else ""), False)]
    # Work on the original text; whitespace is collapsed per segment at the end.
    first = spans[0][0]
    start = max(0, text.rfind(" ", 0, max(0, first - width // 3)) + 1) if first > width // 3 else 0
    end = min(len(text), start + width)
    segments: list[Segment] = []
    position = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        if span_start > position:
            segments.append(Segment(text[position:span_start], False))
        segments.append(Segment(text[span_start:span_end], True))
        position = span_end
    if position < end:
        segments.append(Segment(text[position:end], False))
    cleaned = [Segment(" ".join(s.text.replace("\n", " ").split(" ")), s.matched) for s in segments]
    if start > 0:
        cleaned.insert(0, Segment("…", False))
    if end < len(text):
        cleaned.append(Segment("…", False))
    return cleaned


def _indexed_forms(word: str) -> set[str]:
    """Prefixes that find the word's other forms as SQLite's tokenizer keeps them: its stem;
    "babie" for baby (babies, babied), since the index holds the plural as written; and "ß"
    for "ss", which the app folds but the index does not (Straße)."""
    base = stem(word)
    forms = {base}
    if base.endswith("y") and len(base) > 2:
        forms.add(base[:-1] + "ie")
    if "ss" in word:
        forms.add(word.replace("ss", "ß"))
    return forms


class NotesSearch:
    """Searches notes through SQLite FTS5 where the store has it, else through an index in memory.

    Both paths rank with the same rule as content, so notes sit beside content fairly.
    """

    def __init__(self, store: NotesStore, describe: Callable[[str, str], str], use_full_text: bool = True) -> None:
        self.store = store
        self.describe = describe  # (note key, stored title) -> the title shown
        self.uses_full_text = use_full_text and store.full_text
        self._index: SearchIndex | None = None
        self._slips: SlipFinder | None = None  # the notes' words, for one-letter slips
        self._slips_lock = threading.Lock()

    def _document(self, note: Note) -> Document:
        return Document(NOTE_PREFIX + note.key, "notes", self.describe(note.key, note.title), plain_text(note.body))

    def note_saved(self, note: Note) -> None:
        """Keeps the in-memory index (when in use) up to date; FTS5 is updated by the store itself.
        The saved note's words join the slip list (rebuilding it for 10,000 notes takes half a second)."""
        with self._slips_lock:  # not while the worker thread is still reading the word list
            if self._slips is not None:
                for word in {*words(note.title), *words(note.body)}:
                    self._slips.add(word)
                    self._slips.add(stem(word))
        if self._index is not None:
            if note.body.strip():
                self._index.add(self._document(note))
            else:
                self._index.remove(NOTE_PREFIX + note.key)

    def reset(self) -> None:
        """Forgets what it built after many notes changed at once (an import, Clear my data)."""
        self._index = None
        with self._slips_lock:
            self._slips = None

    def prepare(self) -> None:
        """Builds the slip list now; safe on a worker thread (Searcher.build runs it there)."""
        if self.uses_full_text:
            self._slip_finder()

    def _slip_finder(self) -> SlipFinder:
        with self._slips_lock:
            if self._slips is None:
                try:
                    vocabulary = self.store.full_text_vocabulary()
                except sqlite3.Error:  # the index cannot be read now: search goes on without slips
                    return SlipFinder()
                self._slips = SlipFinder([*vocabulary, *(stem(w) for w in vocabulary)])
            return self._slips

    def _expression(self, query: list[str], loose: bool = True) -> str:
        """An FTS5 query: each word as a prefix, with its stem and one-letter slips; without loose,
        each word whole, exactly as typed."""
        groups = []
        for word in query:
            if len(word) < TITLE_ONLY_BELOW:  # beside other words, also the letter as a word of its own
                groups.append(f'(title : "{word}"* OR "{word}")' if len(query) > 1 else f'title : "{word}"*')
                continue
            variants = {f'"{word}"*' if loose else f'"{word}"'}
            if loose:
                variants |= {f'"{form}"*' for form in _indexed_forms(word)}
                variants |= {f'"{form}"' for form in synonym_forms(word)}
                if len(word) >= MIN_FUZZY_LENGTH:  # a slip may be a stem, so each is searched as a prefix
                    variants |= {f'"{slip}"*' for slip in self._slip_finder().find(word)}
            groups.append("(" + " OR ".join(sorted(variants)) + ")")
        return " AND ".join(groups)

    def search(self, query: list[str]) -> list[Hit]:
        if not query:
            return []
        if self.uses_full_text:
            try:
                # The whole words as typed first: a note saying "care" must not be crowded out of
                # the candidates by newer notes with longer words ("career", "cardiology").
                loose = self.store.search_full_text(self._expression(query), FULL_TEXT_CANDIDATES)
                crowded = len(loose) >= FULL_TEXT_CANDIDATES  # some were left out: make sure of the whole words
                exact = self.store.search_full_text(self._expression(query, loose=False), FULL_TEXT_CANDIDATES) if crowded else []
                candidates = list({note.key: note for note in [*exact, *loose]}.values())
            except sqlite3.Error:
                # A full-text index that cannot answer (say, a damaged one) must not break search.
                self.uses_full_text = False
                return self.search(query)
            hits = []
            levels: dict[tuple[str, str], int] = {}
            for note in candidates:
                document = self._document(note)
                score = score_words(query, document.title, document.body, levels)
                if score:
                    hits.append(Hit(document, score))
            return sorted(hits, key=lambda h: (-h.score, h.document.title))
        if self._index is None:  # built on the first search that needs it
            self._index = SearchIndex()
            self._index.add_all(self._document(note) for note in self.store.notes())
        return self._index.search(" ".join(query))


def word_matcher(query: list[str]) -> Callable[[str], bool]:
    """A remembering "does this word match the query?" test, to share across one query's snippets."""
    return _WordMatcher(query)


@dataclass(frozen=True)
class SearchResults:
    query: list[str]
    groups: list[tuple[str, list[Hit]]]  # (group, hits), in the app's tab order
    ranked: tuple[Hit, ...] = ()  # every hit, best first, across groups

    @property
    def empty(self) -> bool:
        return not self.groups

    def tried(self) -> str:
        """What was looked for, for the "no results" message."""
        forms = []
        for word in self.query:
            ways = ["the word itself", "words starting with it"]
            if stem(word) != word:
                ways.append(f"other forms of “{stem(word)}”")
            if len(word) >= MIN_FUZZY_LENGTH:
                ways.append("one-letter slips")
            if synonyms(word):
                ways.append(f"words meaning the same: {', '.join(synonyms(word))}")
            forms.append(f"“{word}” ({', '.join(ways)})")
        return "; ".join(forms)


class Searcher:
    """Searches content (indexed once, off the UI thread if wanted) and notes together."""

    def __init__(self, content: Content, notes: NotesSearch | None = None) -> None:
        self.content = content
        self.notes = notes
        self._index: SearchIndex | None = None
        self._lock = threading.Lock()
        self._alone: dict[str, bool] = {}  # word -> whether it finds something on its own
        self._alone_changes = -1

    def build(self) -> None:
        """Indexes the content and prepares the notes' slip list; safe to call from a worker
        thread, and cheap when already done."""
        with self._lock:
            if self._index is None:
                index = SearchIndex()
                index.add_all(content_documents(self.content))
                self._index = index
        if self.notes is not None:
            self.notes.prepare()

    def words_with_results(self, query: str) -> list[str]:
        """Which query words find something on their own (to explain an empty result). Remembered
        per word while nothing is saved: typing on after "no results" then costs one word's search."""
        changes = self.notes.store.changes() if self.notes is not None else 0
        if self._alone_changes != changes:
            self._alone.clear()
            self._alone_changes = changes
        found = []
        for word in query_words(query):
            if word not in self._alone:
                self._alone[word] = not self.search(word).empty
            if self._alone[word]:
                found.append(word)
        return found

    def search(self, query: str) -> SearchResults:
        words_ = query_words(query)
        if not words_:
            return SearchResults([], [])
        self.build()
        assert self._index is not None
        hits = self._index.search(" ".join(words_), per_group=RESULTS_PER_GROUP)
        if self.notes is not None:
            hits += self.notes.search(words_)
        grouped: dict[str, list[Hit]] = {}
        ranked = sorted(hits, key=lambda h: (-h.score, len(h.document.title)))
        for hit in ranked:
            bucket = grouped.setdefault(hit.document.group, [])
            if len(bucket) < RESULTS_PER_GROUP:
                bucket.append(hit)
        return SearchResults(words_, [(group, grouped[group]) for group in GROUPS if group in grouped], tuple(ranked))
