"""Filling %1, %2... in translatable text, as Qt's QString::arg does."""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"%(\d)")


def fill(template: str, *values: object) -> str:
    """template with %1 replaced by the first value, %2 by the second... in one pass, so a value that
    itself holds "%2" (a folder named My%20Notes) is never filled again. Translators may reorder them."""

    def value_for(match: re.Match[str]) -> str:
        number = int(match.group(1))
        return str(values[number - 1]) if 1 <= number <= len(values) else match.group(0)

    return _PLACEHOLDER.sub(value_for, template)
