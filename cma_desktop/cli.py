"""Command line: parses arguments, runs ``validate`` without Qt, and hands the rest to the app."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from cma_desktop import APP_NAME, __version__
from cma_desktop.locations import CONTENT_ENV, DATA_DIR_ENV, POLICY_FILE, bundled_content_path

TAB_NAMES = ("overview", "duties", "specializations", "settings", "faq", "study", "local")
_TAB_ALIASES = {"work-settings": "settings", "worksettings": "settings", "work settings": "settings"}


def _tab_name(text: str) -> str:
    name = text.strip().lower()
    name = _TAB_ALIASES.get(name, name)
    if name not in TAB_NAMES:
        raise argparse.ArgumentTypeError(f"unknown tab {text!r}; choose one of: {', '.join(TAB_NAMES)}")
    return name


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{2,5})\s*[xX]\s*(\d{2,5})\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"size {text!r} is not WIDTHxHEIGHT, for example 1280x800")
    width, height = int(match.group(1)), int(match.group(2))
    if not (200 <= width <= 10000 and 200 <= height <= 10000):
        raise argparse.ArgumentTypeError(f"size {text!r} must be between 200x200 and 10000x10000")
    return width, height


def non_empty(what: str) -> Callable[[str], str]:
    """An argument type refusing an empty value, which would otherwise quietly mean 'not given'."""

    def check(text: str) -> str:
        if not text.strip():
            raise argparse.ArgumentTypeError(f"{what} is empty; give one, or leave the option out")
        return text

    return check


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cma-desktop",
        description=f"{APP_NAME}: an offline study and career guide for Certified Medical Assistants.",
        epilog="Other commands: 'cma-desktop validate FILE...' checks content files; "
        "'cma-desktop export-notes [--format md|json] OUT' and 'cma-desktop import-notes FILE' "
        "carry notes and bookmarks to another computer (each has --help).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", type=non_empty("the data folder"),
                        help=f"keep notes, bookmarks and progress in DIR (env {DATA_DIR_ENV})")
    parser.add_argument("--content", metavar="FILE", action="append", default=[],
                        help=f"layer a content pack on the bundled content; may be repeated (env {CONTENT_ENV})")
    parser.add_argument("--screenshot", metavar="PNG", type=non_empty("the screenshot's file name"),
                        help="render the main window offscreen to PNG and exit")
    parser.add_argument("--tab", type=_tab_name, default=None, help=f"tab to show: {', '.join(TAB_NAMES)}")
    parser.add_argument("--size", type=_size, default=None, metavar="WxH", help="window size, for example 1280x800")
    parser.add_argument("--theme", choices=("system", "light", "dark"), default=None,
                        help="colour scheme for this run (default: the one chosen in View > Theme)")
    return parser


def build_validate_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cma-desktop validate",
        description="Check content files. Packs (files without [meta] and [overview]) are checked on top of "
        "the bundled content in the order given, each as the app layers it: on the packs before it that "
        "check out. A file named policy.toml is checked as an administrator's policy. Prints one "
        "FILE:LINE: message per problem.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE")
    return parser


def _is_complete_content(path: Path) -> bool:
    """A file with [meta] and [overview] is content of its own; anything else is a pack for the bundled content."""
    try:
        if not path.is_file():
            return False  # missing, a folder, a device or a pipe: checked as a pack, so the files after it still are
        with path.open("rb") as handle:
            head = handle.read(16 * 1024 * 1024).decode("utf-8-sig", errors="replace")
        return all(re.search(rf"^\s*\[\s*{table}\s*\]", head, re.MULTILINE) for table in ("meta", "overview"))
    except OSError:
        return False  # unreadable: the checker says why, and goes on with the other files


def run_validate(argv: Sequence[str]) -> int:
    from cma_desktop.content.loader import check_with_packs  # the checks load only for this command

    args = build_validate_parser().parse_args(argv)
    files = [Path(f) for f in args.files]
    policies = [f for f in files if f.name == POLICY_FILE]  # an administrator's policy.toml, checked as one
    problems: list[object] = []
    for policy in policies:
        from cma_desktop.policy import check_policy_file

        problems += check_policy_file(policy)
    files = [f for f in files if f not in policies]
    if files:
        stack = files if _is_complete_content(files[0]) else [bundled_content_path(), *files]
        found, notes = check_with_packs(stack[0], stack[1:])  # the packs as the app layers them
        problems += found
        from cma_desktop.locations import PACKS_FOLDER, why_admin_file_not_trusted

        for pack in files:  # deployed where the app would refuse it: said here, not at the students' screens
            if pack.parent.name == PACKS_FOLDER and (why := why_admin_file_not_trusted(pack)):
                problems.append(f"{pack}:1: the app will not load this pack from here: {why}")
        for note in notes:  # items a pack replaces: allowed, and easy to do by mistake; said, not counted
            print(f"note: {note}", file=sys.stderr)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["validate"]:
        return run_validate(arguments[1:])
    if arguments[:1] in (["export-notes"], ["import-notes"]):
        from cma_desktop.views.notes_commands import run_export, run_import  # they use Qt's lock file

        return (run_export if arguments[0] == "export-notes" else run_import)(arguments[1:])
    args = build_parser().parse_args(arguments)
    from cma_desktop.views.application import run  # Qt is loaded only when a window is wanted

    return run(args)
