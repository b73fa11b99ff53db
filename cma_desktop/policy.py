"""Administrator policy for lab computers: policy.toml in the system configuration folders.

Documented keys (all optional):

    data_dir = "D:/cma-data/$USERNAME"   # where user data goes; ~ and $VARS are expanded
    ephemeral = true                      # guest accounts: data in a temporary folder, wiped at exit
    allow_export = false                  # File > Export notes and export-notes
    allow_import = false                  # File > Import notes and import-notes
    theme = "dark"                        # system, light or dark; users cannot change it

Policy wins over the user's own settings. A file with any problem is ignored, with a warning that
names it, so the app falls back to its safe defaults rather than half a policy.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

try:  # the same parser as the content loader's
    import tomli as tomllib
except ImportError:  # pragma: no cover
    import tomllib  # type: ignore[no-redef]

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
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith(key):
            return number
    return 1


def _read(path: Path) -> tuple[dict[str, Any], list[str]]:
    try:
        if path.stat().st_size > _MAX_POLICY_BYTES:
            return {}, [f"{path}:1: the policy file is larger than {_MAX_POLICY_BYTES // 1024} KiB; it was ignored"]
        text = path.read_text(encoding="utf-8-sig")
        document = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as error:
        return {}, [f"{path}:1: the policy file cannot be read ({error}); it was ignored"]
    except tomllib.TOMLDecodeError as error:
        return {}, [f"{path}: {error}; the policy file was ignored"]
    problems = []
    for key, value in document.items():
        expected = _TYPES.get(key)
        if expected is None:
            problems.append(f"{path}:{_line_of(text, key)}: unknown policy key \"{key}\" "
                            f"(known keys: {', '.join(_TYPES)})")
        elif not isinstance(value, expected):
            problems.append(f"{path}:{_line_of(text, key)}: \"{key}\" must be "
                            f"{'true or false' if expected is bool else 'text'}")
        elif key == "theme" and value not in THEMES:
            problems.append(f"{path}:{_line_of(text, key)}: \"theme\" must be one of {', '.join(THEMES)}")
        elif key == "data_dir" and not str(value).strip():
            problems.append(f"{path}:{_line_of(text, key)}: \"data_dir\" must not be empty")
    if problems:
        return {}, [p + "; the policy file was ignored" for p in problems]
    return document, []


def load_policy(paths: list[Path]) -> tuple[Policy, list[str]]:
    """The policy from the given files (least important first), and a warning per problem."""
    policy = Policy()
    warnings: list[str] = []
    for path in paths:
        values, problems = _read(path)
        warnings += problems
        if values:
            known = {f.name for f in fields(Policy)}
            policy = replace(policy, **{k: v for k, v in values.items() if k in known},
                             sources=(*policy.sources, str(path)))
    return policy, warnings
