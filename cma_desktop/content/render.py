"""Markdown documents for items, with their figures and a sources footer (no Qt here)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from cma_desktop.content.model import (
    DUTY_CATEGORY_LABELS,
    FAQ_CATEGORY_LABELS,
    AdvancementPath,
    Content,
    Duty,
    FaqEntry,
    Figure,
    Item,
    Source,
    Specialization,
    WorkSetting,
)


INTERNAL_SCHEME = "cma"  # links between items: cma:duties/vital-signs


def link_text(text: str) -> str:
    """Text for inside a Markdown link's brackets, every punctuation mark escaped: a title with ] or
    [ in it could end the link early and start one of its own, and an address in it would be made
    a link of its own (Qt's Markdown links bare addresses)."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)


def item_label(item: Item) -> str:
    return getattr(item, "name", None) or item.title


def _cell(text: str) -> str:
    """Table cells cannot hold line breaks or bare pipes."""
    return " ".join(text.split()).replace("|", "\\|")


def source_line(source: Source, data_years: Iterable[int] = ()) -> str:
    years = sorted(set(data_years))
    data = f"; data for {', '.join(str(y) for y in years)}" if years else ""
    return f"[{link_text(source.title)}](<{source.url}>), {source.publisher}, {source.year}{data}"


def figure_label(figure: Figure) -> str:
    """What a figure's row is called in a table: its label, then its note (a sentence of its own,
    which read oddly in brackets: "growth (Much faster ... occupations.)")."""
    return figure.label + (f": {figure.note}" if figure.note else "")


def figures_table(figures: Iterable[Figure], content: Content) -> str:
    rows = ["| Figure | Value | Data year | Source |", "| --- | --- | --- | --- |"]
    for figure in figures:
        source = content.source(figure.source)
        source_name = source.publisher if source else figure.source
        rows.append(f"| {_cell(figure_label(figure))} | **{_cell(figure.value)}** | {_cell(figure.as_of)} | {_cell(source_name)} |")
    return "\n".join(rows)


def _item_figures(item: Item) -> list[Figure]:
    figures = list(getattr(item, "figures", ()))
    if isinstance(item, WorkSetting):
        figures.insert(0, item.share)
    return figures


def sources_footer(source_ids: Iterable[str], figures: Iterable[Figure], content: Content) -> str:
    """The foot of every detail page: each source cited, with the years of the data taken from it."""
    years_by_source: dict[str, list[int]] = {}
    for figure in figures:
        years_by_source.setdefault(figure.source, []).append(figure.data_year)
    ordered = list(dict.fromkeys([*source_ids, *years_by_source]))
    entries = [f"- {source_line(source, years_by_source.get(source_id, ()))}"
               for source_id in ordered if (source := content.source(source_id)) is not None]
    if not entries:
        return ""
    return "\n".join(["---", "", "**Sources**", "", *entries])


def _badge(item: Item) -> str:
    if isinstance(item, Duty):
        return f"*{DUTY_CATEGORY_LABELS[item.category]} duty*"
    if isinstance(item, FaqEntry):
        return f"*{FAQ_CATEGORY_LABELS[item.category]}*"
    if isinstance(item, Specialization):
        return f"*Credential of its own: {item.credential}*" if item.credential else "*No separate national credential*"
    return ""


def item_markdown(item: Item, content: Content) -> str:
    """The whole detail page of a topic as Markdown."""
    parts = [f"## {item.title}"]
    badge = _badge(item)
    if badge:
        parts.append(badge)
    summary = getattr(item, "summary", "")
    if summary:
        parts.append(f"**{summary.strip()}**")
    parts.append(item.body.strip())
    if isinstance(item, AdvancementPath) and item.steps:
        parts.append("**The path, step by step**\n\n" + "\n".join(f"{n}. {step}" for n, step in enumerate(item.steps, 1)))
    figures = _item_figures(item)
    if figures:
        parts.append("**Key figures**\n\n" + figures_table(figures, content))
    links = [f"- [{link_text(item_label(found))}]({INTERNAL_SCHEME}:{key})"
             for key in getattr(item, "related", ()) if (found := content.find(key)) is not None]
    if links:
        parts.append("**Related**\n\n" + "\n".join(links))
    parts.append(sources_footer(item.sources, figures, content))
    return "\n\n".join(parts)


def sources_markdown(content: Content) -> str:
    """Every source the content rests on, for Help > Sources."""
    lines = [
        f"## Sources for content {content.meta.version}",
        "",
        f"Content updated {content.meta.updated:%d %B %Y}. Every figure in the app names one of these "
        "sources and the year of its data.",
        "",
    ]
    for source in sorted(content.sources, key=lambda s: (s.publisher, s.title)):
        note = f": {source.note}" if source.note else ""
        # The address in the same paragraph: a line break inside a list item would draw a bullet of its own.
        lines.append(f"- **{source.title}**, {source.publisher}, {source.year}{note.rstrip('.')}. Address: <{source.url}>")
    return "\n".join(lines)


def note_heading(content: Content, key: str, stored_title: str, notebook_title: str = "Notebook") -> tuple[str, bool]:
    """How a note is titled in lists, and whether its topic is still in the content."""
    if key == "notebook":
        return notebook_title, True
    item = content.find(key)
    if item is None:
        return stored_title, False
    from cma_desktop.content.model import KIND_LABELS

    return f"{item_label(item)} ({KIND_LABELS.get(key.partition('/')[0], '')})", True
