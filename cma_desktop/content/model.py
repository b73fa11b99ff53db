"""Typed, immutable content objects: what the app shows, independent of how it was written."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Literal, Union

DutyCategory = Literal["clinical", "administrative"]
FaqCategory = Literal["prospects", "pay", "advancement", "training", "certification", "work"]

DUTY_CATEGORY_LABELS: dict[str, str] = {"clinical": "Clinical", "administrative": "Administrative"}
FAQ_CATEGORY_LABELS: dict[str, str] = {
    "prospects": "Job prospects",
    "pay": "Pay",
    "advancement": "Advancement",
    "training": "Training",
    "certification": "Certification",
    "work": "The work",
}


@dataclass(frozen=True, kw_only=True)
class Meta:
    title: str
    version: str
    updated: datetime.date
    summary: str = ""


@dataclass(frozen=True, kw_only=True)
class Source:
    id: str
    title: str
    publisher: str
    url: str
    year: int
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Figure:
    """A number as shown, with the source and the year of the data it comes from."""

    label: str
    value: str
    data_year: int
    source: str
    period: str = ""
    note: str = ""

    @property
    def as_of(self) -> str:
        return self.period or str(self.data_year)


@dataclass(frozen=True, kw_only=True)
class QuickFact(Figure):
    id: str


@dataclass(frozen=True, kw_only=True)
class Overview:
    title: str
    intro: str
    sources: tuple[str, ...]
    body: str = ""


@dataclass(frozen=True, kw_only=True)
class Step:
    id: str
    title: str
    body: str
    sources: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Credential:
    id: str
    name: str
    issuer: str
    eligibility: str
    exam: str
    renewal: str
    sources: tuple[str, ...]
    accreditation: str = ""

    @property
    def title(self) -> str:
        return self.name

    @property
    def summary(self) -> str:
        return f"Issued by {self.issuer}."

    @property
    def body(self) -> str:
        rows = [("Eligibility", self.eligibility), ("Exam", self.exam), ("Renewal", self.renewal),
                ("Accreditation", self.accreditation)]
        return "\n\n".join(f"**{label}:** {text}" for label, text in rows if text)


@dataclass(frozen=True, kw_only=True)
class Topic:
    """An item listed in a topic tab: a title, a summary and a fuller Markdown body."""

    id: str
    title: str
    summary: str
    body: str
    sources: tuple[str, ...]
    figures: tuple[Figure, ...] = ()
    related: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Duty(Topic):
    category: DutyCategory


@dataclass(frozen=True, kw_only=True)
class Specialization(Topic):
    credential: str = ""


@dataclass(frozen=True, kw_only=True)
class WorkSetting(Topic):
    share: Figure


@dataclass(frozen=True, kw_only=True)
class AdvancementPath(Topic):
    steps: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class FaqEntry:
    id: str
    question: str
    answer: str
    category: FaqCategory
    sources: tuple[str, ...]
    figures: tuple[Figure, ...] = ()
    related: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return self.question

    @property
    def summary(self) -> str:
        return ""

    @property
    def body(self) -> str:
        return self.answer


StudyDomain = Literal["general", "administrative", "clinical", "career"]
DOMAIN_LABELS: dict[str, str] = {
    "general": "General",
    "administrative": "Administrative",
    "clinical": "Clinical",
    "career": "Career",
}


@dataclass(frozen=True, kw_only=True)
class StudyCard:
    """A flashcard written by a content author."""

    id: str
    front: str
    back: str
    deck: str
    sources: tuple[str, ...]
    topics: tuple[str, ...] = ()


MAX_CHOICES = 6  # a practice question's choices, each answered with its number key


@dataclass(frozen=True, kw_only=True)
class Question:
    """A multiple-choice practice question; ``answer`` is the text of the right choice."""

    id: str
    stem: str
    choices: tuple[str, ...]
    answer: str
    explanation: str
    domain: StudyDomain
    sources: tuple[str, ...]
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class TrainingProgram:
    """A local training program, added by a career center's content pack."""

    id: str
    name: str
    place: str
    accreditation: str
    length: str
    cost: str
    contact: str
    summary: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class CareerCenter:
    """Who to talk to: the career center's own contact details (Markdown)."""

    name: str
    contact: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class LocalWage(Figure):
    """A local pay figure, with its source and data year like every figure."""

    id: str
    area: str

    @property
    def label_with_area(self) -> str:
        return f"{self.label}, {self.area}"  # "Median hourly pay for medical assistants, Lakeside County"


# Anything with an id that a bookmark, note or cross reference can point at.
Item = Union[Step, Credential, Duty, Specialization, WorkSetting, AdvancementPath, FaqEntry]

# Kinds of item, in the order the app presents them: TOML array name -> (class, label).
ITEM_KINDS: dict[str, type] = {
    "steps": Step,
    "credentials": Credential,
    "duties": Duty,
    "specializations": Specialization,
    "settings": WorkSetting,
    "faq": FaqEntry,
    "advancement": AdvancementPath,
}
KIND_LABELS: dict[str, str] = {
    "steps": "Steps to certification",
    "credentials": "Credentials",
    "duties": "Duties",
    "specializations": "Specializations",
    "settings": "Work Settings",
    "faq": "FAQ",
    "advancement": "Advancement",
}


@dataclass(frozen=True, kw_only=True)
class Content:
    """Everything the app shows, after every file was loaded and checked."""

    meta: Meta
    overview: Overview
    sources: tuple[Source, ...] = ()
    quick_facts: tuple[QuickFact, ...] = ()
    steps: tuple[Step, ...] = ()
    credentials: tuple[Credential, ...] = ()
    duties: tuple[Duty, ...] = ()
    specializations: tuple[Specialization, ...] = ()
    settings: tuple[WorkSetting, ...] = ()
    faq: tuple[FaqEntry, ...] = ()
    advancement: tuple[AdvancementPath, ...] = ()
    cards: tuple[StudyCard, ...] = ()
    questions: tuple[Question, ...] = ()
    programs: tuple[TrainingProgram, ...] = ()
    local_wages: tuple[LocalWage, ...] = ()
    center: CareerCenter | None = None
    # Lookups made from the fields above; not init fields, so that dataclasses.replace() makes new ones.
    _sources_by_id: dict[str, Source] = field(default_factory=dict, init=False, compare=False, repr=False)
    _items_by_key: dict[str, Item] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._sources_by_id.update({source.id: source for source in self.sources})

    @property
    def has_local(self) -> bool:
        """Whether a pack brought local programs, contacts or pay (the Local tab shows then)."""
        return bool(self.programs or self.center or self.local_wages)

    def items(self, kind: str) -> tuple[Item, ...]:
        return getattr(self, kind)  # type: ignore[no-any-return]

    def source(self, source_id: str) -> Source | None:
        return self._sources_by_id.get(source_id)

    def find(self, key: str) -> Item | None:
        """The item for a ``kind/id`` key, or None when it is not (or no longer) in the content."""
        if not self._items_by_key:  # filled on first use; the dict itself never changes identity
            self._items_by_key.update({f"{kind}/{item.id}": item for kind in ITEM_KINDS for item in self.items(kind)})
        return self._items_by_key.get(key)
