"""Reading TOML text, for content files and policy files alike, with syntax errors placed at a line."""

from __future__ import annotations

import re
from typing import Any

try:  # tomli's compiled wheels parse about three times faster than the standard library's copy
    import tomli as tomllib
except ImportError:  # pragma: no cover - a platform without a tomli wheel, Python 3.11+
    import tomllib  # type: ignore[no-redef]

_SYNTAX_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


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
        raise TomlSyntaxError(line or 1, column or 1, message) from None
