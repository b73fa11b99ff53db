"""Administrator policy for lab computers: policy.toml in the system configuration folders.

Documented keys (all optional):

    data_dir = "D:/cma-data/$USERNAME"   # where user data goes; ~ and $VARS are expanded
    ephemeral = true                      # guest accounts: data in a temporary folder, wiped at exit
    allow_export = false                  # File > Export notes and export-notes
    allow_import = false                  # File > Import notes and import-notes
    theme = "dark"                        # system, light or dark; users cannot change it

Policy wins over the user's own settings. A key with a problem is ignored, with a warning that names
its file and line, and the file's other keys still apply: a typo in the theme must not switch off
guest sessions. true and false written as words ("yes", "no") are read, with a warning.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from cma_desktop.locations import why_admin_file_not_trusted

THEMES = ("system", "light", "dark")
_MAX_POLICY_BYTES = 64 * 1024


@dataclass(frozen=True)
class Policy:
    data_dir: str | None = None
    ephemeral: bool = False
    allow_export: bool = True
    allow_import: bool = True
    theme: str | None = None
    sources: tuple[str, ...] = ()  # the files it came from, for Help > About


_TYPES: dict[str, type] = {"data_dir": str, "ephemeral": bool, "allow_export": bool, "allow_import": bool, "theme": str}


def _line_of(text: str, key: str) -> int:
    """The line that sets key (key = ..., key.sub = ..., or [key] / [key.sub] for a table)."""
    name = rf"""(["']?){re.escape(key)}\1"""
    pattern = re.compile(rf"""\s*(?:\[+\s*)?{name}\s*[=.\]]""")
    for number, line in enumerate(text.split("\n"), 1):  # TOML's lines: not split at U+2028 or form feeds
        if pattern.match(line):
            return number
    return 1


def _read_line_by_line(path: Path, text: str) -> tuple[dict[str, Any], list[str]]:
    """A policy file with a syntax error, read a line at a time: one bad line must not switch off
    ephemeral or allow_export set on the others (policy keys are single lines)."""
    from cma_desktop.toml_text import TomlSyntaxError, parse_toml

    document: dict[str, Any] = {}
    problems: list[str] = []
    table: dict[str, Any] | None = None  # the [table] the lines now belong to, not the policy's top level
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            part = parse_toml(line)
        except TomlSyntaxError as error:
            problems.append(f"{path}:{number}: syntax error at column {error.column}: {error.message}; "
                            "this line was ignored")
            continue
        if line.lstrip().startswith("["):
            value: Any = next(iter(part.values()), {}) if part else {}
            if isinstance(value, list):  # [[name]]: a list of tables, whose lines go into its last table
                value = value[-1] if value and isinstance(value[-1], dict) else {}
            table = value if isinstance(value, dict) else {}
            document.update(part)
        elif table is not None:
            table.update(part)  # named in the table's warning
        elif set(part) & set(document):
            problems.append(f"{path}:{number}: {', '.join(sorted(set(part) & set(document)))} is set twice; "
                            "this line was ignored and the first one kept")
        else:
            document.update(part)
    return document, problems


_WORDS = {"true": True, "yes": True, "on": True, "1": True, "false": False, "no": False, "off": False, "0": False}


def _read(path: Path) -> tuple[dict[str, Any], list[str]]:
    """The file's usable keys, and a warning for each problem (that key is ignored)."""
    from cma_desktop.toml_text import TomlSyntaxError, parse_toml  # the parser loads only when a policy file exists

    if why := why_admin_file_not_trusted(path):
        return {}, [f"{path}:1: {why}, so anyone could change the rules for every user; the policy file was ignored"]
    try:
        if path.stat().st_size > _MAX_POLICY_BYTES:
            return {}, [f"{path}:1: the policy file is larger than {_MAX_POLICY_BYTES // 1024} KiB; it was ignored"]
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return {}, [f"{path}:1: the policy file cannot be read ({error}); it was ignored"]
    problems: list[str] = []
    try:
        document = parse_toml(text)
    except TomlSyntaxError:
        document, problems = _read_line_by_line(path, text)
    values: dict[str, Any] = {}
    for key, value in document.items():
        where = f"{path}:{_line_of(text, key)}"
        expected = _TYPES.get(key)
        tables = value if isinstance(value, list) and value and all(isinstance(v, dict) for v in value) else None
        if isinstance(value, dict) or tables is not None:
            keys = [k for table in (tables or [value]) for k in table]
            inside = f" ({', '.join(keys)} inside it too)" if keys else ""
            header = f"[[{key}]]" if tables is not None else f"[{key}]"
            problems.append(f"{where}: {header} starts a table, but policy keys go at the top level, with no [table] "
                            f"line above them; it was ignored{inside}")
        elif expected is None:
            problems.append(f'{where}: unknown policy key "{key}" (known keys: {", ".join(_TYPES)}); it was ignored')
        elif expected is bool and isinstance(value, str) and value.strip().lower() in _WORDS:
            values[key] = _WORDS[value.strip().lower()]
            problems.append(f'{where}: "{key}" is read as {str(values[key]).lower()}; write it without quotes')
        elif not isinstance(value, expected):
            problems.append(f'{where}: "{key}" must be {"true or false" if expected is bool else "text"}; it was ignored')
        elif key == "theme" and value not in THEMES:
            problems.append(f'{where}: "theme" must be one of {", ".join(THEMES)}; it was ignored')
        elif key == "data_dir" and (reason := _data_dir_problem(str(value))):
            problems.append(f'{where}: "data_dir" {reason}; it was ignored, and each user keeps data in their own folder')
        else:
            values[key] = str(value).strip() if key == "data_dir" else value  # " /srv/..." would be a relative folder
    return values, problems


# Variables that differ from user to user. $SHELL or $HOSTNAME would give every user one folder, and
# $XDG_RUNTIME_DIR is emptied at log-out, notes and all.
_PER_USER = re.compile(r"\$\{?(HOME|USER|LOGNAME|USERNAME|UID|XDG_DATA_HOME)\b\}?")


def _data_dir_problem(value: str) -> str:
    """Why a data_dir cannot be used here, or "" when it can (checked after ~ and variables are expanded)."""
    if not value.strip():
        return "must not be empty"
    if any(ord(character) < 32 or ord(character) == 127 for character in value):
        return "contains a control character (a stray escape such as \\u0000 or \\n)"
    expanded = os.path.expanduser(os.path.expandvars(value.strip()))
    if re.search(r"\$\w|\$\{|%\w+%", expanded):  # a variable this computer does not set: all users would share it
        return f"names a variable that is not set here ({value})"
    if not Path(expanded).is_absolute():
        return f"must be a full path, not one relative to where the app was started ({value})"
    # The first student would own such a folder and lock everyone else out. (Not on Windows, where
    # labs map a drive such as H: to each user's own home.)
    if os.name != "nt":
        if ".." in Path(value.strip()).parts:
            return f"climbs out of a user's own folder with .. ({value}); every user would share where it leads"
        if not (re.match(r"\s*~(/|$)", value) or _PER_USER.search(value)):
            return (f"names the same folder for every user ({value}); start it with ~/ or include a per-user "
                    "variable such as $USER or $HOME")
    return ""


def check_policy_file(path: Path) -> list[str]:
    """Every problem in one policy file, as FILE:LINE: message (for cma-desktop validate)."""
    return _read(path)[1]


def load_policy(paths: list[Path]) -> tuple[Policy, list[str]]:
    """The policy from the given files (least important first), and a warning per problem."""
    policy = Policy()
    warnings: list[str] = []
    for path in paths:
        try:
            values, problems = _read(path)
        except Exception as error:  # noqa: BLE001 - a file the checks above did not foresee must never stop the app
            values, problems = {}, [f"{path}:1: the policy file could not be used ({error!r}); it was ignored"]
        warnings += problems
        if values:
            known = {f.name for f in fields(Policy)}
            policy = replace(policy, **{k: v for k, v in values.items() if k in known},
                             sources=(*policy.sources, str(path)))
    return policy, warnings
