"""Reading TOML text, for content files and policy files alike, with syntax errors placed at a line."""

from __future__ import annotations

import re
from typing import Any

try:  # tomli's compiled wheels parse about three times faster than the standard library's copy
    import tomli as tomllib
except ImportError:  # pragma: no cover - a platform without a tomli wheel, Python 3.11+
    import tomllib  # type: ignore[no-redef]

_SYNTAX_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_BACKSLASH_HINT = ("a backslash starts an escape in \"...\" text: write \\\\ for one backslash, "
                   "or put the text in single quotes '...'")
# What the parser's messages usually mean for someone editing a file by hand, by how they begin.
_CURLY_QUOTES = "\u201c\u201d\u201e\u201f"  # “ ” „ ‟

_HINTS = (
    ("Expected newline or end of document after a statement",
     "a quote inside the text may end it early: put text that holds double quotes in single quotes "
     "'...', or write \\\" for each quote inside"),
    ("Illegal character '\\n'",
     "the closing quote is missing at the end of the line (text over several lines goes in \"\"\"...\"\"\")"),
    ("Unterminated string", "the closing quote is missing"),
    ("Invalid value",
     "a value is text in straight quotes \"...\" (the curly quotes a word processor makes do not count), "
     "a number, true or false, a date, or a list in [ ]"),
    ("Invalid hex value", _BACKSLASH_HINT),
    ("Unescaped '\\' in a string", _BACKSLASH_HINT),
    ("Cannot overwrite a value", "this key is set twice in the same table"),
    ("Cannot declare", "a table is declared twice: write a [name] table once, or [[name]] before each item of a list"),
    ("Expected '=' after a key",
     "a key holds only letters, digits, - and _: a space or an invisible character may have been pasted into it"),
)


class TomlSyntaxError(ValueError):
    """Text that is not TOML; line and column count from 1."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(f"line {line}, column {column}: {message}")
        self.line, self.column, self.message = line, column, message


class TomlTooDeepError(TomlSyntaxError):
    """Tables or arrays nested thousands deep, which the parser gives up on."""


def parse_toml(text: str) -> dict[str, Any]:
    """The document; TomlSyntaxError where the text is not TOML, or nests too deeply to read."""
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise TomlTooDeepError(1, 1, "tables or arrays are nested too deeply to read") from None
    except tomllib.TOMLDecodeError as error:
        message = str(getattr(error, "msg", "") or error.args[0] if error.args else error)
        line = getattr(error, "lineno", None)
        column = getattr(error, "colno", None)
        match = _SYNTAX_POSITION.search(message)  # older parsers put the place in the message only
        if match:
            line, column = int(match.group(1)), int(match.group(2))
            message = message[: match.start()]
        elif message.endswith("(at end of document)"):
            line, column = text.count("\n") + 1, len(text.rsplit("\n", 1)[-1]) + 1
            message = message.removesuffix("(at end of document)").rstrip()
        hint = next((hint for start, hint in _HINTS if message.startswith(start)), "")
        lines = text.split("\n")
        erring = lines[line - 1] if line and line <= len(lines) else ""
        curly = next((i for i, c in enumerate(erring, 1) if c in _CURLY_QUOTES and (not column or i <= column)), 0)
        if curly:  # a word processor's quote, which TOML does not take for one: the likelier cause
            hint = (f"the quote at column {curly} is a curly quote ({erring[curly - 1]}), which does not count: "
                    'type a straight " instead')
        raise TomlSyntaxError(line or 1, column or 1, f"{message}; {hint}" if hint else message) from None
