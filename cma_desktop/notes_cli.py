"""``cma-desktop export-notes`` and ``import-notes``: carry notes to another computer from a shell."""

from __future__ import annotations

import argparse
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
from cma_desktop.store.notes_store import NotesStore, StoreError
from cma_desktop.store.transfer import TransferError, export_json, export_markdown, import_export, write_atomically


def _policy() -> Policy:
    return load_policy(policy_paths(system_config_dirs()))[0]


def _open_store(data_dir: str | None, policy: Policy) -> NotesStore:
    choice = choose_data_dir(data_dir, platform_data_dir, policy_dir=policy.data_dir,
                             portable_dir=portable_data_dir(app_dir()))
    return NotesStore(choice.path)


def _switched_off(what: str) -> int:
    print(f"cma-desktop: {what} is switched off on this computer by its administrator (policy.toml).", file=sys.stderr)
    return 1


def _load_content_quietly() -> object | None:
    """Content gives notes their tab and title in Markdown; without it they are still exported."""
    from cma_desktop.content.loader import load_content
    from cma_desktop.content.problems import ContentError
    from cma_desktop.locations import bundled_content_path, content_pack_paths

    try:
        return load_content([bundled_content_path(), *content_pack_paths(None)])
    except ContentError:
        return None


def run_export(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="cma-desktop export-notes", description="Export notes and bookmarks.")
    parser.add_argument("out", metavar="OUT", help="file to write (replaced atomically)")
    parser.add_argument("--format", choices=("md", "json"), default=None,
                        help="md (readable) or json (complete, for import); default: from OUT's extension, else md")
    parser.add_argument("--data-dir", metavar="DIR", help=f"data folder (env {DATA_DIR_ENV})")
    args = parser.parse_args(argv)
    out = Path(args.out)
    kind = args.format or ("json" if out.suffix.lower() == ".json" else "md")
    policy = _policy()
    if not policy.allow_export:
        return _switched_off("Exporting notes")
    try:
        store = _open_store(args.data_dir, policy)
        try:
            text = export_json(store) if kind == "json" else export_markdown(store, _load_content_quietly())  # type: ignore[arg-type]
        finally:
            store.close()
        write_atomically(out, text)
    except (StoreError, TransferError) as error:
        print(f"cma-desktop: {error}", file=sys.stderr)
        return 1
    print(f"Exported to {out}.")
    return 0


def run_import(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="cma-desktop import-notes",
                                     description="Merge a JSON export into your notes; a bad file changes nothing.")
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--data-dir", metavar="DIR", help=f"data folder (env {DATA_DIR_ENV})")
    args = parser.parse_args(argv)
    policy = _policy()
    if not policy.allow_import:
        return _switched_off("Importing notes")
    try:
        store = _open_store(args.data_dir, policy)
        try:
            if store.read_only:
                raise StoreError(f"Notes are read-only: {store.read_only_reason}.")
            summary = import_export(store, Path(args.file))
            store.backup_if_changed()
        finally:
            store.close()
    except (StoreError, TransferError) as error:
        print(f"cma-desktop: {error}", file=sys.stderr)
        return 1
    print(summary.message())
    return 0
