"""``cma-desktop export-notes`` and ``import-notes``: carry notes to another computer from a shell.

With the views because they share the app's lock file, which is Qt's (QLockFile), and its data
folder lookup (QStandardPaths); no window is made."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from cma_desktop.locations import (
    DATA_DIR_ENV,
    app_dir,
    choose_data_dir,
    platform_data_dir,
    policy_paths,
    portable_data_dir,
    system_config_dirs,
)
from cma_desktop.policy import Policy, load_policy
from cma_desktop.store.notes_store import DB_NAME, NotesStore, StoreError
from cma_desktop.store.transfer import TransferError, export_json, export_markdown, merge_export, read_export, write_atomically
from cma_desktop.cli import non_empty
from cma_desktop.views.single_instance import lock_data_dir


def _policy() -> Policy:
    policy, warnings = load_policy(policy_paths(system_config_dirs()))
    for warning in warnings:  # the administrator may be the one running this
        print(f"cma-desktop: {warning}", file=sys.stderr)
    return policy


def _data_dir(data_dir: str | None, policy: Policy) -> Path:
    """The same folder the app would use (policy, --data-dir, environment, portable, default)."""
    return choose_data_dir(data_dir, platform_data_dir, policy_dir=policy.data_dir,
                           portable_dir=portable_data_dir(app_dir())).path


def _guest_sessions(what: str) -> int:
    print(f"cma-desktop: {what} from the command line is not possible here: this computer runs guest sessions "
          "(policy.toml), whose notes live only while the app is open. Use the app's File menu.", file=sys.stderr)
    return 1


def _switched_off(what: str) -> int:
    print(f"cma-desktop: {what} is switched off on this computer by its administrator (policy.toml).", file=sys.stderr)
    return 1


def _load_content_quietly() -> object | None:
    """Content gives notes their tab and title in Markdown; without it they are still exported."""
    from cma_desktop.content.loader import load_with_packs
    from cma_desktop.content.problems import ContentError
    from cma_desktop.locations import bundled_content_path, content_pack_paths, site_pack_paths

    try:
        packs = content_pack_paths(None, site_packs=site_pack_paths(system_config_dirs())[0])
        return load_with_packs(bundled_content_path(), packs)[0]
    except ContentError:
        return None


def run_export(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="cma-desktop export-notes", description="Export notes and bookmarks.")
    parser.add_argument("out", metavar="OUT", help="file to write (replaced atomically)")
    parser.add_argument("--format", choices=("md", "json"), default=None,
                        help="md (readable) or json (complete, for import); default: from OUT's extension, else md")
    parser.add_argument("--data-dir", metavar="DIR", type=non_empty("the data folder"), help=f"data folder (env {DATA_DIR_ENV})")
    args = parser.parse_args(argv)
    out = Path(args.out)
    kind = args.format or ("json" if out.suffix.lower() == ".json" else "md")
    policy = _policy()
    if not policy.allow_export:
        return _switched_off("Exporting notes")
    if policy.ephemeral:
        return _guest_sessions("Exporting notes")
    folder = _data_dir(args.data_dir, policy)
    try:
        has_notes = (folder / DB_NAME).is_file()
    except OSError as error:  # a folder this user may not open
        print(f"cma-desktop: the data folder {folder} cannot be read: {error.strerror or error}", file=sys.stderr)
        return 1
    if not has_notes:  # a mistyped folder must not give an empty export that looks fine
        print(f"cma-desktop: there are no notes in {folder} (no {DB_NAME} there). Check --data-dir, or the "
              "folder shown in the app's Help > About.", file=sys.stderr)
        return 1
    try:
        store = NotesStore(folder, read_only=True)  # reading is safe while the app runs
        try:
            text = export_json(store) if kind == "json" else export_markdown(store, _load_content_quietly())  # type: ignore[arg-type]
        finally:
            store.close()
        write_atomically(out, text)
    except (StoreError, TransferError) as error:
        print(f"cma-desktop: {error}", file=sys.stderr)
        return 1
    except sqlite3.Error as error:  # damage quick_check does not catch, met while reading every note
        print(f"cma-desktop: the notes file in {folder} could not be read in full ({error}); nothing was exported. "
              "Open the app to have it checked.", file=sys.stderr)
        return 1
    print(f"Exported to {out}.")
    return 0


def run_import(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="cma-desktop import-notes",
                                     description="Merge a JSON export into your notes; a bad file changes nothing.")
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--data-dir", metavar="DIR", type=non_empty("the data folder"), help=f"data folder (env {DATA_DIR_ENV})")
    args = parser.parse_args(argv)
    policy = _policy()
    if not policy.allow_import:
        return _switched_off("Importing notes")
    if policy.ephemeral:
        return _guest_sessions("Importing notes")
    try:  # the whole file is checked before the data folder is touched: a bad file changes nothing
        contents = read_export(Path(args.file))
    except TransferError as error:
        print(f"cma-desktop: {error}", file=sys.stderr)
        return 1
    folder = _data_dir(args.data_dir, policy)
    lock = lock_data_dir(folder)
    if lock.held_by_us and not lock.writable:
        print(f"cma-desktop: the data folder {folder} {lock.why_not_writable}; nothing was imported.", file=sys.stderr)
        return 1
    if not lock.held_by_us:
        print(f"cma-desktop: CMA Career Explorer is open with the data folder {folder}"
              f"{f' ({lock.holder})' if lock.holder else ''}. Close it first, or import from its File menu.",
              file=sys.stderr)
        return 1
    try:
        store = NotesStore(folder)
        try:
            if store.recovery is not None:  # the notes file was damaged and restored on opening
                print(f"cma-desktop: {store.recovery.message()}", file=sys.stderr)
            if store.read_only:
                raise StoreError(f"Notes are read-only: {store.read_only_reason}.")
            summary = merge_export(store, contents)
            store.backup_if_changed()
        finally:
            store.close()
    except (StoreError, TransferError) as error:
        print(f"cma-desktop: {error}", file=sys.stderr)
        return 1
    except sqlite3.Error as error:  # damage met while merging: the transaction rolled back
        print(f"cma-desktop: the notes file in {folder} could not be updated ({error}); nothing was imported.",
              file=sys.stderr)
        return 1
    finally:
        lock.release()
    print(f"{summary.message()} (into {folder})")  # a mistyped --data-dir shows here
    return 0
