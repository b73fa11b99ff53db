"""The Local tab, shown when a career center's pack brings local programs or contact details."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QVBoxLayout, QWidget

from cma_desktop.content.model import Content, LocalWage
from cma_desktop.content.render import figure_label, figures_table, sources_footer
from cma_desktop.search import LOCAL_CENTER, LOCAL_PROGRAM, LOCAL_WAGE
from cma_desktop.views.markdown_view import MarkdownView, markdown_to_plain
from cma_desktop.views.focus import give_keyboard_focus


def _with_area(wage: LocalWage) -> LocalWage:
    return replace(wage, label=wage.label_with_area)


def _lines_kept(text: str, in_list: bool = False) -> str:
    """Contact details as written, line by line (an address, a phone number, opening hours):
    Markdown would run single lines together into one. In a list item a Markdown line break makes
    Qt start a new bullet, so there the lines are joined by a line separator (U+2028) instead."""
    lines = [line.strip() for line in text.strip().splitlines()]
    return ("\u2028" if in_list else "  \n").join(line for line in lines if line)


def local_markdown(content: Content) -> str:
    parts = []
    if content.center is not None:
        paragraphs = [_lines_kept(p) for p in content.center.contact.strip().split("\n\n") if p.strip()]
        parts.append(f"## {content.center.name}\n\n" + "\n\n".join(paragraphs))
    if content.programs:
        parts.append("## Training programs near you")
        for program in content.programs:
            rows = [("Where", program.place), ("Accreditation", program.accreditation), ("Length", program.length),
                    ("Cost", program.cost)]
            details = "\n".join(f"- **{label}:** {' '.join(value.split())}" for label, value in rows)
            details += f"\n- **Contact:** {_lines_kept(program.contact, in_list=True)}"
            summary = f"{program.summary.strip()}\n\n" if program.summary else ""
            parts.append(f"### {program.name}\n\n{summary}{details}")
    if content.local_wages:
        parts.append("## Local pay\n\n" + figures_table(
            [_with_area(wage) for wage in content.local_wages], content))
    cited = [s for program in content.programs for s in program.sources]
    cited += list(content.center.sources) if content.center else []
    parts.append(sources_footer(cited, content.local_wages, content))
    return "\n\n".join(parts)


class LocalTab(QWidget):
    def __init__(self, content: Content, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tab-local")
        self.setAccessibleName(self.tr("Local"))
        self.view = MarkdownView(self)
        self.view.setAccessibleName(self.tr("Local programs and contacts"))
        self.view.set_markdown(local_markdown(content))
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        # Where each entry starts, as the page shows it, for search results.
        self._lines = {f"{LOCAL_PROGRAM}/{program.id}": program.name for program in content.programs}
        self._lines |= {f"{LOCAL_WAGE}/{wage.id}": figure_label(_with_area(wage)) for wage in content.local_wages}
        if content.center is not None:
            self._lines[LOCAL_CENTER] = content.center.name

    def show_entry(self, key: str, words: list[str]) -> bool:
        """Scrolls to a program, the contact details or a pay figure and marks the words found."""
        line = self._lines.get(key)
        cursor = self.view.find_line(markdown_to_plain(line)) if line else None
        if cursor is None:
            return False
        self.view.mark_words(words)
        self.view.go_to(cursor)
        give_keyboard_focus(self.view)
        return True
