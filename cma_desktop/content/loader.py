"""Reads content TOML files, checks them against the model and layers them into one Content.

Checks report every problem at once: syntax errors with line and column, schema errors with the
key path, the item's id and the line of its table, unknown keys (with a suggestion), duplicate
ids, broken references, figures without a source or data year, and sources nobody cites.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import os
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Sequence


from cma_desktop.content.model import (
    ITEM_KINDS,
    MAX_CHOICES,
    Content,
    Figure,
    Meta,
    Overview,
    CareerCenter,
    LocalWage,
    Question,
    QuickFact,
    Source,
    StudyCard,
    TrainingProgram,
)
from cma_desktop.content.positions import KeyPath, PositionIndex
from cma_desktop.content.problems import ContentError, Problem
from cma_desktop.toml_text import TomlSyntaxError, TomlTooDeepError, parse_toml

MAX_FILE_BYTES = 16 * 1024 * 1024
_ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # with fullmatch: no line break slips in at the end
_FIRST_DATA_YEAR, _LAST_DATA_YEAR = 1950, 2100

# Top-level tables: name -> (model class, is it an array of tables?).
_TABLES: dict[str, tuple[type, bool]] = {
    "meta": (Meta, False),
    "overview": (Overview, False),
    "sources": (Source, True),
    "quick_facts": (QuickFact, True),
    **{kind: (cls, True) for kind, cls in ITEM_KINDS.items()},
    "cards": (StudyCard, True),
    "questions": (Question, True),
    # What only career centers' packs bring.
    "programs": (TrainingProgram, True),
    "local_wages": (LocalWage, True),
    "center": (CareerCenter, False),
}
_REQUIRED_IN_BASE = ("meta", "overview")


def _format_path(path: KeyPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _type_name(value: object) -> str:
    names = {str: "a string", int: "a whole number", float: "a decimal number", bool: "true/false",
             list: "a list", dict: "a table", datetime.date: "a date", datetime.datetime: "a date and time"}
    return names.get(type(value), type(value).__name__)


def _suggest(word: str, choices: list[str]) -> str:
    """' (did you mean "x"?)' for a likely typo, or nothing."""
    import difflib  # only needed when something is wrong

    match = difflib.get_close_matches(word, choices, n=1)
    return f' (did you mean "{match[0]}"?)' if match else ""


@functools.cache
def _model_fields(cls: type) -> tuple[dict[str, Any], dict[str, dataclasses.Field[Any]]]:
    """Type hints and init fields of a model class, worked out once per class."""
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init and not f.name.startswith("_")}
    return typing.get_type_hints(cls), fields


@dataclass
class _Origin:
    """Where an item came from, so checks across files can point at the right line."""

    file: str
    positions: PositionIndex
    path: KeyPath


@dataclass
class _FileReader:
    """Converts one parsed TOML document into model objects, collecting problems."""

    file: str
    positions: PositionIndex
    problems: list[Problem] = field(default_factory=list)

    def report(self, path: KeyPath, message: str, item_id: str | None = None) -> None:
        where = _format_path(path)
        if item_id:
            where += f' (id "{item_id}")'
        text = f"{where}: {message}" if where else message
        self.problems.append(Problem(self.file, self.positions.line_of(path), text))

    # -- values ----------------------------------------------------------------------------
    def convert(self, value: Any, hint: Any, path: KeyPath, item_id: str | None) -> Any:
        """The value as the model wants it, or None (with a problem reported) when it does not fit."""
        origin = typing.get_origin(hint)
        if origin is typing.Literal:
            choices = typing.get_args(hint)
            if value in choices:
                return value
            got = f'"{value}"' if isinstance(value, str) else _type_name(value)
            hint_text = _suggest(str(value), [str(c) for c in choices])
            self.report(path, f"{got} is not one of: {', '.join(choices)}{hint_text}", item_id)
            return None
        if origin is tuple:
            element_hint = typing.get_args(hint)[0]
            if not isinstance(value, list):
                self.report(path, f"expected a list, got {_type_name(value)}", item_id)
                return None
            converted = [self.convert(v, element_hint, path + (i,), item_id) for i, v in enumerate(value)]
            return None if any(c is None for c in converted) else tuple(converted)
        if dataclasses.is_dataclass(hint):
            if not isinstance(value, dict):
                self.report(path, f"expected a table, got {_type_name(value)}", item_id)
                return None
            return self.build(typing.cast(type, hint), value, path, item_id)
        if hint is datetime.date:
            if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
                return value
            self.report(path, f"expected a date like 2026-11-28 (without quotes), got {_type_name(value)}", item_id)
            return None
        if hint is int:
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            self.report(path, f"expected a whole number, got {_type_name(value)}", item_id)
            return None
        if hint is str:
            if not isinstance(value, str):
                self.report(path, f"expected text, got {_type_name(value)}", item_id)
                return None
            if not value.strip():
                self.report(path, "must not be empty", item_id)
                return None
            return value
        raise TypeError(f"unsupported model type {hint!r}")  # a programming error, not content

    def build(self, cls: type, table: dict[str, Any], path: KeyPath, item_id: str | None = None) -> Any:
        hints, fields = _model_fields(cls)
        raw_id = table.get("id")
        if isinstance(raw_id, str):
            item_id = raw_id
        values: dict[str, Any] = {}
        ok = True
        for key in table:
            if key not in fields:
                hint_text = _suggest(key, list(fields))
                self.report(path + (key,), f'unknown key "{key}"{hint_text}', item_id)
                ok = False
        for name, spec in fields.items():
            if name not in table:
                required = spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING
                if required:
                    self.report(path, f'missing required key "{name}"', item_id)
                    ok = False
                continue
            converted = self.convert(table[name], hints[name], path + (name,), item_id)
            if converted is None:
                ok = False
            else:
                values[name] = converted
        if isinstance(raw_id, str) and "id" in fields and not _ID_PATTERN.fullmatch(raw_id):  # said even when more is wrong
            self.report(path + ("id",), f'"{raw_id}" is not a valid id: use lowercase letters, digits and hyphens', item_id)
        if not ok:
            return None
        obj = cls(**values)
        self.check_fields(obj, path, item_id)
        return obj

    def check_fields(self, obj: Any, path: KeyPath, item_id: str | None) -> None:
        """Rules beyond types: sources given, safe addresses, plausible years."""
        model: type = type(obj)
        sources_field = _model_fields(model)[1].get("sources")
        if sources_field is not None and sources_field.default is dataclasses.MISSING and not obj.sources:
            self.report(path + ("sources",), "name at least one source for this text", item_id)
        if isinstance(obj, Source) and not obj.url.startswith("https://"):
            self.report(path + ("url",), f'"{obj.url}" must be an https:// address', item_id)
        elif isinstance(obj, Source) and _NOT_IN_AN_ADDRESS.search(obj.url):
            self.report(path + ("url",), f'"{obj.url}" has a space, a line break or < > in it; write spaces as %20',
                        item_id)
        for spec in dataclasses.fields(obj):
            value = getattr(obj, spec.name)
            texts = [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)] if isinstance(value, tuple) else []
            for index, text in enumerate(texts):
                where = path + ((spec.name,) if isinstance(value, str) else (spec.name, index))
                if problem := _text_problem(text):
                    self.report(where, problem, item_id)
        for name in ("title", "name"):  # one line each: they head lists, links and tables
            value = getattr(obj, name, None)
            if isinstance(value, str) and _LINE_BREAK_OR_CONTROL.search(value):
                self.report(path + (name,), "must be one line, with no line break or control character", item_id)
        if isinstance(obj, Figure) and not _FIRST_DATA_YEAR <= obj.data_year <= _LAST_DATA_YEAR:
            self.report(path + ("data_year",), f"{obj.data_year} is not a plausible year for data", item_id)
        if isinstance(obj, Question):
            self.check_question(obj, path, item_id)

    def check_question(self, question: Question, path: KeyPath, item_id: str | None) -> None:
        folded = [" ".join(choice.casefold().split()) for choice in question.choices]
        if len(question.choices) < 2:
            self.report(path + ("choices",), "a question needs at least two choices", item_id)
        elif len(question.choices) > MAX_CHOICES:  # answered with the keys 1 to 6
            self.report(path + ("choices",), f"a question has at most {MAX_CHOICES} choices", item_id)
        for index, choice in enumerate(folded):
            if choice in folded[:index]:
                self.report(path + ("choices", index), f'choice "{question.choices[index]}" appears twice', item_id)
        if question.answer not in question.choices:
            close = _suggest(question.answer, list(question.choices))
            self.report(path + ("answer",), f'the answer "{question.answer}" is not one of the choices{close}', item_id)


@dataclass
class _Layered:
    """Content gathered from every file so far, with the origin of each item."""

    tables: dict[str, Any] = field(default_factory=dict)
    items: dict[str, dict[str, Any]] = field(default_factory=dict)
    origins: dict[tuple[str, str], _Origin] = field(default_factory=dict)
    single_origins: dict[str, _Origin] = field(default_factory=dict)
    # Items that were present but broken: references to them are not reported a second time.
    broken: set[tuple[str, str]] = field(default_factory=set)
    # Their references are still checked, from the raw table, so one run shows every problem.
    broken_tables: list[tuple[_Origin, dict[str, Any]]] = field(default_factory=list)
    # Items a later file replaced, as notes for the author: no problem, but easy to do by accident.
    replaced: list[Problem] = field(default_factory=list)


def _decode(path: Path, problems: list[Problem]) -> str | None:
    name = str(path)
    try:
        if path.is_dir():
            try:  # a packs folder (content.d) this user may not read is named with the reason
                os.scandir(path).close()
            except OSError as error:
                problems.append(Problem(name, 1, f"the packs in this folder cannot be read: {error.strerror or error}"))
                return None
            problems.append(Problem(name, 1, "is a folder, not a content file"))
            return None
        if path.exists() and not path.is_file():  # a device or a pipe would never end, or never come
            problems.append(Problem(name, 1, "is not a regular file, so it is not a content file"))
            return None
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # what stat says may change while reading
        if len(data) > MAX_FILE_BYTES:
            problems.append(Problem(name, 1, f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB, "
                                             "the most a content file may be"))
            return None
    except OSError as error:
        problems.append(Problem(name, 1, f"cannot read the file: {error.strerror or error}"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.append(Problem(name, line, "the file is not UTF-8 text; save it with UTF-8 encoding"))
        return None
    if "\0" in text:  # every other byte zero: UTF-16 saved without its byte-order mark
        line = text.count("\n", 0, text.index("\0")) + 1
        problems.append(Problem(name, line, "the file holds NUL characters, as UTF-16 text does; "
                                            "save it with UTF-8 encoding"))
        return None
    return text.removeprefix("\ufeff")


def _parse(name: str, text: str, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        return parse_toml(text)
    except TomlTooDeepError as error:
        problems.append(Problem(name, error.line, error.message))
        return None
    except TomlSyntaxError as error:
        problems.append(Problem(name, error.line, f"syntax error at column {error.column}: {error.message}"))
        return None


# Each file's text and parsed document (None when it could not be read) with the problems met doing
# so, kept through one load: packs are checked on the base and every pack accepted before them,
# and parsing every file again for each pack made loading slow as the square of their number.
_ParsedFiles = dict[str, tuple[tuple[str, dict[str, Any]] | None, list[Problem]]]


def _decoded_and_parsed(path: Path, problems: list[Problem], parsed: _ParsedFiles | None) -> tuple[str, dict[str, Any]] | None:
    name = str(path)
    if parsed is None or name not in parsed:
        found: list[Problem] = []
        text = _decode(path, found)
        document = _parse(name, text, found) if text is not None else None
        result = (text, document) if text is not None and document is not None else None
        if parsed is None:
            problems += found
            return result
        parsed[name] = (result, found)
    result, found = parsed[name]
    problems += found
    return result


def _read_file(path: Path, layered: _Layered, problems: list[Problem], is_base: bool,
               parsed: _ParsedFiles | None = None) -> None:
    name = str(path)
    read = _decoded_and_parsed(path, problems, parsed)
    if read is None:
        return
    text, document = read
    reader = _FileReader(name, PositionIndex(text))
    for table_name, value in document.items():
        if table_name not in _TABLES:
            hint = _suggest(table_name, list(_TABLES))
            reader.report((table_name,), f'unknown table "{table_name}"{hint}')
            continue
        cls, is_array = _TABLES[table_name]
        if not is_array:
            if not isinstance(value, dict):
                reader.report((table_name,), f"expected a [{table_name}] table, got {_type_name(value)}")
                continue
            obj = reader.build(cls, value, (table_name,))
            if obj is None:
                layered.broken.add((table_name, ""))
            else:
                earlier_table = layered.single_origins.get(table_name)
                if earlier_table is not None:  # a pack's [center] or [overview]: replaced whole, as ids are
                    layered.replaced.append(Problem(name, reader.positions.line_of((table_name,)),
                                                    f"[{table_name}] replaces the one in {earlier_table.file}"))
                layered.tables[table_name] = obj
                layered.single_origins[table_name] = _Origin(name, reader.positions, (table_name,))
            continue
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            reader.report((table_name,), f"expected [[{table_name}]] tables, got {_type_name(value)}")
            layered.broken.add((table_name, ""))
            continue
        seen: set[str] = set()
        for index, table in enumerate(value):
            item_path = (table_name, index)
            obj = reader.build(cls, table, item_path)
            if obj is None:
                layered.broken.add((table_name, str(table.get("id"))))
                layered.broken_tables.append((_Origin(name, reader.positions, item_path), table))
                continue
            if obj.id in seen:
                reader.report(item_path + ("id",), f'duplicate id "{obj.id}": another [[{table_name}]] in this file already uses it', obj.id)
                continue
            seen.add(obj.id)
            # A later file replaces an item with the same id: that is how packs override.
            earlier = layered.origins.get((table_name, obj.id))
            if earlier is not None:
                layered.replaced.append(Problem(name, reader.positions.line_of(item_path + ("id",)),
                                                f'{table_name} "{obj.id}" replaces the one in {earlier.file}'))
            layered.items.setdefault(table_name, {})[obj.id] = obj
            layered.origins[(table_name, obj.id)] = _Origin(name, reader.positions, item_path)
    if is_base:
        for required in _REQUIRED_IN_BASE:
            if required not in document:
                reader.report((), f"missing required table [{required}]")
    elif "meta" in document:  # the status bar's version and date describe the bundled, checked facts
        reader.report(("meta",), "a pack cannot set [meta]: the version and date belong to the bundled content "
                                 "(a complete content file of your own needs [overview] too)")
    problems.extend(reader.problems)


_SUGGESTIONS_PER_CHECK = 20
# Far beyond any real text (the bundled content's longest is about 1,200 characters, its longest word
# well under 200), and short enough that Qt lays out any Markdown within in a second or so: a
# 400,000-character word or 800 KB of *_ marks froze the window for minutes.
MAX_TEXT_CHARS = 20_000
MAX_UNBROKEN_CHARS = 2_000
_UNBROKEN = re.compile(rf"(?<!\S)\S{{{MAX_UNBROKEN_CHARS + 1},}}")  # from a run's start: quick over many runs
_MARKDOWN_LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\(([^)\n]*)\)")  # [text](address), not ![image](...)
_LINKS_OPENED = ("https:", "mailto:", "cma:")
_NOT_IN_AN_ADDRESS = re.compile(r"[\s<>\x00-\x1f\x7f]")
_LINE_BREAK_OR_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def _link_problem(text: str) -> str:
    """A Markdown link the app would show as text, or cut short, for want of a character."""
    for match in _MARKDOWN_LINK.finditer(text):
        address = match.group(1).strip()
        if any(c.isspace() for c in address):
            return f'the link address "{address}" has a space in it; write spaces as %20'
        if not address.lower().startswith(_LINKS_OPENED):
            return (f'the link address "{address}" would show as plain text: links open only when they start '
                    "with https: or mailto:")
    return ""


def _text_problem(text: str) -> str:
    if problem := _link_problem(text):
        return problem
    if len(text) > MAX_TEXT_CHARS:
        return f"is {len(text):,} characters long; at most {MAX_TEXT_CHARS:,} (split it into several items)"
    if run := _UNBROKEN.search(text):
        return (f"has {len(run.group()):,} characters with no space between them (from "
                f'"{run.group()[:20]}..."); at most {MAX_UNBROKEN_CHARS:,}')
    return ""


def _check_references(layered: _Layered, problems: list[Problem], uncited: list[Problem],
                      uncited_in: frozenset[str]) -> None:
    """Checks that need every file: sources cited and existing, cross references resolving.

    Sources nobody cites, defined in one of the files uncited_in names, go to uncited: whether they
    are a problem depends on the layering (see check_with_packs)."""
    sources = layered.items.get("sources", {})
    cited: set[str] = set()
    suggestions_left = _SUGGESTIONS_PER_CHECK

    def suggest(word: str, choices: list[str]) -> str:
        """A "did you mean" for the first few broken references only: each compares the word with
        every id, and thousands of them in a large pack took minutes."""
        nonlocal suggestions_left
        suggestions_left -= 1
        return _suggest(word, choices) if suggestions_left >= 0 else ""

    def report(origin: _Origin, path: KeyPath, message: str, item_id: str | None, into: list[Problem] = problems) -> None:
        where = _format_path(origin.path + path) + (f' (id "{item_id}")' if item_id else "")
        into.append(Problem(origin.file, origin.positions.line_of(origin.path + path), f"{where}: {message}"))

    def check_source(origin: _Origin, path: KeyPath, source_id: str, item_id: str | None) -> None:
        cited.add(source_id)
        if source_id not in sources and ("sources", source_id) not in layered.broken:  # a broken one is reported already
            hint = suggest(source_id, list(sources))
            report(origin, path, f'cites source "{source_id}", which no [[sources]] entry defines{hint}', item_id)

    def check_item(origin: _Origin, obj: Any) -> None:
        item_id = getattr(obj, "id", None)
        for index, source_id in enumerate(getattr(obj, "sources", ())):
            check_source(origin, ("sources", index), source_id, item_id)
        if isinstance(obj, Figure):
            check_source(origin, ("source",), obj.source, item_id)
        for index, figure in enumerate(getattr(obj, "figures", ())):
            check_source(origin, ("figures", index, "source"), figure.source, item_id)
        share = getattr(obj, "share", None)
        if isinstance(share, Figure):
            check_source(origin, ("share", "source"), share.source, item_id)
        for field_name in ("related", "topics"):
            check_references(origin, obj, field_name, item_id)

    def check_references(origin: _Origin, obj: Any, field_name: str, item_id: str | None) -> None:
        for index, key in enumerate(getattr(obj, field_name, ())):
            kind, _, target = key.partition("/")
            if kind not in ITEM_KINDS or not target:
                report(origin, (field_name, index), f'"{key}" is not a reference: write kind/id, where kind is one of {", ".join(ITEM_KINDS)}', item_id)
            elif target not in layered.items.get(kind, {}) and (kind, target) not in layered.broken:
                hint = suggest(target, list(layered.items.get(kind, {})))
                hint = hint.replace('mean "', f'mean "{kind}/') if hint else ""
                report(origin, (field_name, index), f'refers to "{key}", which does not exist{hint}', item_id)

    for name, obj in layered.tables.items():
        check_item(layered.single_origins[name], obj)
    for origin, table in layered.broken_tables:
        raw_lists = {key: table[key] for key in ("sources", "related", "topics")
                     if isinstance(table.get(key), list) and all(isinstance(v, str) for v in table[key])}
        raw_id = table.get("id") if isinstance(table.get("id"), str) else None
        check_item(origin, SimpleNamespace(id=raw_id, **raw_lists))
        for path in (("source",), ("share", "source")):  # a figure's own source, and a setting's share's
            value: Any = table
            for key in path:
                value = value.get(key) if isinstance(value, dict) else None
            if isinstance(value, str):
                check_source(origin, path, value, raw_id)
    for (kind, item_id), origin in layered.origins.items():
        if kind != "sources":
            check_item(origin, layered.items[kind][item_id])
    if layered.broken:
        return  # a broken item's citations are unknown, so "nobody cites" could be wrong
    for source_id in sources:
        origin = layered.origins[("sources", source_id)]
        if source_id not in cited and origin.file in uncited_in:
            report(origin, (), "no item or figure cites this source; cite it or remove it", source_id, uncited)


def _layer(paths: Sequence[Path], uncited_in: frozenset[str] = frozenset(),
           parsed: _ParsedFiles | None = None) -> tuple[_Layered, list[Problem], list[Problem]]:
    """The files layered in order, their problems, and the sources defined in the files uncited_in
    names that nothing cites."""
    layered = _Layered()
    problems: list[Problem] = []
    uncited: list[Problem] = []
    for index, path in enumerate(paths):
        _read_file(Path(path), layered, problems, is_base=index == 0, parsed=parsed)
    _check_references(layered, problems, uncited, uncited_in)
    return layered, problems, uncited


def _layer_checked(paths: Sequence[Path], parsed: _ParsedFiles | None = None) -> tuple[_Layered, list[Problem]]:
    """The files layered in order and their problems. Sources nobody cites are one only in a file
    checked on its own: with packs, a base source left uncited because a pack replaced the item
    citing it is no problem of the base's, and packs are checked for it in check_with_packs."""
    layered, problems, uncited = _layer(paths, frozenset({str(paths[0])}) if len(paths) == 1 else frozenset(), parsed)
    return layered, problems + uncited


def load_content(paths: Sequence[Path], _parsed: _ParsedFiles | None = None) -> Content:
    """Loads the first file as the base and layers the rest on it; raises ContentError."""
    if not paths:
        raise ValueError("load_content needs at least one file")
    layered, problems = _layer_checked(paths, _parsed)
    if problems:
        raise ContentError(problems)
    return Content(
        meta=layered.tables["meta"],
        overview=layered.tables["overview"],
        center=layered.tables.get("center"),
        **{name: tuple(layered.items.get(name, {}).values()) for name, (_, is_array) in _TABLES.items() if is_array},  # type: ignore[arg-type]
    )


def check_files(paths: Sequence[Path]) -> list[Problem]:
    """Every problem in the given files, layered in order; an empty list means they are valid."""
    return _layer_checked(paths)[1]


def load_with_packs(base: Path, packs: Sequence[Path]) -> tuple[Content, list[Problem]]:
    """The base content with every pack that checks out layered on it, in order.

    A pack with any problem (its own, or a reference it breaks) is skipped and its problems are
    returned, so one broken pack never keeps the rest from loading. Problems in the base itself
    raise ContentError.
    """
    parsed: _ParsedFiles = {}
    accepted, skipped, _uncited = _accept_packs(base, packs, parsed)  # a source nobody cites harms no reader
    return load_content([base, *accepted], parsed), skipped


def check_with_packs(base: Path, packs: Sequence[Path]) -> tuple[list[Problem], list[Problem]]:
    """Every problem the app would meet: the base's own, else each pack's, each checked on the base
    and the packs before it that checked out, exactly as the app layers them. Second, notes: where
    the packs that load replace an item of the base or of an earlier pack (by its id)."""
    problems = check_files([base])
    if problems or not packs:
        return problems, []
    parsed: _ParsedFiles = {}
    accepted, skipped, uncited_when_read = _accept_packs(base, packs, parsed)
    if not accepted:
        return skipped, []
    # A pack's source nobody cited when it was read may be cited by a later pack (a sources file
    # read before the programs file citing it); one still uncited now that every pack is in is unused.
    # (One cited when read, whose citing item a later pack replaced, is nobody's mistake.)
    layered, _problems, uncited_now = _layer([base, *accepted], frozenset(str(p) for p in accepted), parsed)
    return skipped + [p for p in uncited_now if p in uncited_when_read], layered.replaced


def _accept_packs(base: Path, packs: Sequence[Path],
                  parsed: _ParsedFiles | None = None) -> tuple[list[Path], list[Problem], list[Problem]]:
    """The packs that check out on the base and the packs accepted before them, the others'
    problems, and the accepted packs' sources that nothing cited when each was read."""
    accepted: list[Path] = []
    skipped: list[Problem] = []
    uncited_when_read: list[Problem] = []
    for pack in packs:
        _layered, problems, uncited = _layer([base, *accepted, pack], frozenset({str(pack)}), parsed)
        if problems:
            skipped += problems
        else:
            accepted.append(pack)
            uncited_when_read += uncited
    return accepted, skipped, uncited_when_read
