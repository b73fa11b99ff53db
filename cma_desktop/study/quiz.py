"""Practice quizzes: a question bank (authored and generated from the content), modes and scoring."""

from __future__ import annotations

import datetime
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from cma_desktop.content.model import Content
from cma_desktop.search.text import plain_text

QUICK_QUIZ_LENGTH = 10
MODES = {
    "quick": "Quick quiz (10 questions)",
    "domain": "By domain",
    "topic": "By topic",
    "wrong": "Review the ones I got wrong",
    "flagged": "Flagged questions",
    "mock": "Timed mock exam",
}


# The CMA (AAMA) exam's three areas. Questions in "career" ask about the credential itself (who
# issues it, how to recertify): worth studying, but not what the exam asks.
EXAM_DOMAINS = ("general", "administrative", "clinical")


@dataclass(frozen=True)
class QuizQuestion:
    id: str
    stem: str
    choices: tuple[str, ...]
    answer: str
    explanation: str
    domain: str
    topics: tuple[str, ...] = ()
    generated: bool = False


def _pick(rng: random.Random, items: Sequence[str], count: int) -> list[str]:
    return rng.sample(items, min(count, len(items)))


def question_bank(content: Content) -> list[QuizQuestion]:
    """Authored questions, then questions generated from the content (stable ids and choices)."""
    bank = [QuizQuestion(q.id, q.stem, q.choices, q.answer, q.explanation, q.domain, q.topics) for q in content.questions]
    clinical = [d for d in content.duties if d.category == "clinical"]
    administrative = [d for d in content.duties if d.category == "administrative"]
    for wanted, others, label in ((administrative, clinical, "administrative"), (clinical, administrative, "clinical")):
        if len(others) < 3:
            continue
        other_titles = [d.title for d in others]  # once: a large pack has thousands of duties
        for duty in wanted:
            rng = random.Random(f"{label}/{duty.id}")  # the same choices every time for this question
            choices = [duty.title, *_pick(rng, other_titles, 3)]
            rng.shuffle(choices)
            bank.append(QuizQuestion(
                f"gen-{label}-duty/{duty.id}", f"Which of these duties is {label}?", tuple(choices), duty.title,
                f"“{duty.title}” is {label} work: {plain_text(duty.summary)}", label, (f"duties/{duty.id}",), True))
    # Just the organization ("National Healthcareer Association (NHA)"), not its description.
    issuers = {c.id: plain_text(c.issuer).split(",")[0].strip() for c in content.credentials}
    if len(set(issuers.values())) >= 3:
        for credential in content.credentials:
            short_name = credential.name.split(" (")[0]
            if _authored_question_asks(bank, short_name, issuers[credential.id]):
                continue  # asked twice in one quiz, the second time would give itself away
            rng = random.Random(f"issuer/{credential.id}")
            wrong = [v for k, v in issuers.items() if k != credential.id and v != issuers[credential.id]]
            choices = [issuers[credential.id], *_pick(rng, wrong, 3)]
            rng.shuffle(choices)
            bank.append(QuizQuestion(
                f"gen-issuer/{credential.id}", f"Who issues the {short_name} credential?", tuple(choices),
                issuers[credential.id], f"The {credential.name} is issued by {issuers[credential.id]}.", "career",
                ("faq/cma-vs-other-credentials",) if content.find("faq/cma-vs-other-credentials") else (), True))
    return bank


def _authored_question_asks(bank: Sequence[QuizQuestion], credential: str, issuer: str) -> bool:
    """Whether an authored question already asks who issues this credential (the answer is its
    issuer and the question names it: "CMA", not "CCMA")."""
    named = re.compile(rf"\b{re.escape(credential)}\b")
    return any(not q.generated and q.answer == issuer and named.search(q.stem) for q in bank)


def _choices_shuffled(question: QuizQuestion, rng: random.Random) -> QuizQuestion:
    """The same question with its choices in a new order: authors tend to write the answer first."""
    return replace(question, choices=tuple(rng.sample(question.choices, len(question.choices))))


def mock_exam_pool(bank: Sequence[QuizQuestion]) -> list[QuizQuestion]:
    """What a mock exam draws from: the exam's own areas (the whole bank when it has none of them)."""
    return [q for q in bank if q.domain in EXAM_DOMAINS] or list(bank)


def select(bank: Sequence[QuizQuestion], mode: str, rng: random.Random, *, length: int = QUICK_QUIZ_LENGTH,
           domain: str = "", topic: str = "", last_results: dict[str, bool] | None = None,
           flagged: set[str] | None = None) -> list[QuizQuestion]:
    """The questions for a quiz in the given mode, in a random order, each with its choices shuffled."""
    if mode == "domain":
        pool = [q for q in bank if q.domain == domain]
    elif mode == "topic":
        pool = [q for q in bank if any(t == topic or t.startswith(topic + "/") for t in q.topics)]
    elif mode == "wrong":
        pool = [q for q in bank if (last_results or {}).get(q.id) is False]
    elif mode == "flagged":
        pool = [q for q in bank if q.id in (flagged or set())]
    elif mode == "mock":
        pool = mock_exam_pool(bank)
    else:
        pool = list(bank)
    if mode in ("quick", "mock", "domain", "topic"):
        pool = rng.sample(pool, min(length, len(pool)))
    else:
        rng.shuffle(pool)
    return [_choices_shuffled(question, rng) for question in pool]


@dataclass(frozen=True)
class AnswerResult:
    correct: bool
    answer: str
    explanation: str
    topics: tuple[str, ...]


@dataclass
class QuizSession:
    """One quiz: which question is on screen, what was answered, the score and the clock."""

    questions: list[QuizQuestion]
    mode: str
    time_limit: datetime.timedelta | None = None
    clock: Callable[[], datetime.datetime] = field(default=lambda: datetime.datetime.now(datetime.timezone.utc))
    answers: dict[str, str] = field(default_factory=dict)
    position: int = 0

    def __post_init__(self) -> None:
        self.started_at = self.clock()

    @property
    def current(self) -> QuizQuestion | None:
        return self.questions[self.position] if self.position < len(self.questions) and not self.finished else None

    def answer(self, choice: str) -> AnswerResult:
        question = self.current
        if question is None:
            raise ValueError("the quiz is over")
        if question.id in self.answers:
            raise ValueError("this question was already answered")
        self.answers[question.id] = choice
        return AnswerResult(choice == question.answer, question.answer, question.explanation, question.topics)

    def next(self) -> QuizQuestion | None:
        self.position += 1
        return self.current

    def time_left(self) -> datetime.timedelta | None:
        if self.time_limit is None:
            return None
        return max(datetime.timedelta(0), self.started_at + self.time_limit - self.clock())

    @property
    def timed_out(self) -> bool:
        left = self.time_left()
        return left is not None and left <= datetime.timedelta(0)

    @property
    def finished(self) -> bool:
        return self.position >= len(self.questions) or self.timed_out

    def _scored(self) -> list[QuizQuestion]:
        """A mock exam counts every question, as the real exam does (unanswered ones are wrong);
        a practice quiz ended early counts the questions answered."""
        if self.mode == "mock":
            return self.questions
        return [q for q in self.questions if q.id in self.answers]

    def not_reached(self) -> int:
        """Questions of a practice quiz never answered (it was ended early); none in a mock exam."""
        return len(self.questions) - len(self._scored())

    def score(self) -> tuple[int, int]:
        """(right, out of how many)."""
        scored = self._scored()
        return sum(1 for q in scored if self.answers.get(q.id) == q.answer), len(scored)

    def score_by_domain(self) -> dict[str, tuple[int, int]]:
        result: dict[str, tuple[int, int]] = {}
        for question in self._scored():
            right, total = result.get(question.domain, (0, 0))
            result[question.domain] = (right + (self.answers.get(question.id) == question.answer), total + 1)
        return result
