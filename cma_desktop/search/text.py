"""Turning text into comparable words: case and accents folded, common English endings removed."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Longest first; each ending comes off only when a stem of at least three letters is left.
_SUFFIXES = ("ings", "ing", "ies", "ied", "es", "ed", "ly", "s", "e")
MIN_FUZZY_LENGTH = 5  # shorter words must match exactly or as a prefix: a slip there changes the word


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase without accents: "Pédiatrie" -> "pediatrie"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"(^|\n)\s{0,3}(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s?)|[*_`~]+|^\s*\|?[-:| ]+\|?\s*$", re.MULTILINE)


def plain_text(markdown: str) -> str:
    """Markdown as a reader sees it, for snippets: no emphasis marks, bullets or link targets."""
    return _MARKUP.sub(lambda m: m.group(1) or "", _LINK.sub(r"\1", markdown)).replace("|", " ")


_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+")


def readable_text(markdown: str) -> str:
    """Markdown as plain text to read in full (a flashcard's back): paragraphs joined up again
    where the source wrapped them, each list item on a line of its own after a bullet."""
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", markdown.strip()):
        lines: list[str] = []
        for line in block.splitlines():
            if _LIST_ITEM.match(line):
                lines.append("• " + _LIST_ITEM.sub("", line).strip())
            elif lines:
                lines[-1] += " " + line.strip()
            else:
                lines.append(line.strip())
        paragraphs.append("\n".join(plain_text(line) for line in lines))
    return "\n\n".join(paragraphs)


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def words_with_spans(text: str) -> list[tuple[str, int, int]]:
    """Folded words with where they stand in the original text (for snippets and highlighting)."""
    return [(fold(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light stemmer: "scheduling", "schedules", "scheduled" and "schedule" all give "schedul"."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            return base + "y" if suffix in ("ies", "ied") else base
    return word


# Words a student types for what the content says another way ("salary" where it says "pay").
# A word finds the others of its group as well as itself: as written or in the plural, never by
# stem, which would tie "income" to "incoming".
_SAME_MEANING = (
    ("salary", "income", "earnings", "pay", "wage"),
    ("shot", "injection"),
    ("doctor", "physician"),
    ("ecg", "ekg", "electrocardiogram"),
    ("vaccine", "vaccination", "immunization"),
)


def _written_forms(word: str) -> tuple[str, ...]:
    if word.endswith("s"):  # "earnings"
        return (word,)
    return (word, word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s")


_SYNONYMS: dict[str, tuple[str, ...]] = {
    form: tuple(other for other in group if other != word)
    for group in _SAME_MEANING for word in group for form in _written_forms(word)}
_SYNONYM_FORMS: dict[str, frozenset[str]] = {
    form: frozenset(f for other in others for f in _written_forms(other)) for form, others in _SYNONYMS.items()}
_NONE: frozenset[str] = frozenset()


def synonyms(word: str) -> tuple[str, ...]:
    """Words that mean what word means here ("salaries": "income", "pay", ...); none for most words."""
    return _SYNONYMS.get(word, ())


def synonym_forms(word: str) -> frozenset[str]:
    """The synonyms of word as they may be written in a text: each, and its plural."""
    return _SYNONYM_FORMS.get(word, _NONE)


def deletes(word: str) -> set[str]:
    """Every form of word with one letter removed."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def within_one_edit(a: str, b: str) -> bool:
    """True when b is a one-letter slip of a: one letter added, dropped, changed, or two swapped."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]
