"""Problems found in content files, reported as ``FILE:LINE: message``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        """One line, whatever the file holds: line breaks and other control characters in quoted
        values are shown escaped, as \\n, so every problem stays on its own line."""
        return "".join(c if c.isprintable() else repr(c)[1:-1] for c in f"{self.file}:{self.line}: {self.message}")


class ContentError(Exception):
    """Raised when content cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))
