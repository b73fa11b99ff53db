"""The checked copy of the content: used while the files are unchanged, never when anything differs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cma_desktop.content import loader
from cma_desktop.content.cache import cache_key, load_with_packs_cached, read_cache, write_cache
from cma_desktop.locations import bundled_content_path

PACK = """
[[duties]]
id = "front-desk-greeting"
title = "{title}"
category = "administrative"
summary = "Welcomes patients."
body = "Greets each patient and checks them in."
sources = ["bls-ooh"]
"""


def _pack(folder: Path, title: str = "Greeting patients") -> Path:
    path = folder / "site.toml"
    path.write_text(PACK.format(title=title), encoding="utf-8")
    return path


def _title(content: object, duty_id: str) -> str:
    item = content.find(f"duties/{duty_id}")  # type: ignore[attr-defined]
    assert item is not None
    return str(item.title)


def test_unchanged_files_load_from_the_copy_without_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache" / "content.pickle"
    pack = _pack(tmp_path)
    first, _ = load_with_packs_cached(bundled_content_path(), [pack], cache)
    assert cache.exists()

    def parse_again(*_args: object) -> None:
        raise AssertionError("the files were parsed again although nothing changed")

    monkeypatch.setattr(loader, "load_with_packs", parse_again)
    second, skipped = load_with_packs_cached(bundled_content_path(), [pack], cache)
    assert second == first and skipped == []
    assert _title(second, "front-desk-greeting") == "Greeting patients"


def test_an_edited_pack_is_read_again(tmp_path: Path) -> None:
    cache = tmp_path / "content.pickle"
    pack = _pack(tmp_path)
    load_with_packs_cached(bundled_content_path(), [pack], cache)
    _pack(tmp_path, "Welcoming patients at the desk")  # a different size, and a newer time
    content, _ = load_with_packs_cached(bundled_content_path(), [pack], cache)
    assert _title(content, "front-desk-greeting") == "Welcoming patients at the desk"


def test_an_edit_of_the_same_size_is_read_again(tmp_path: Path) -> None:
    cache = tmp_path / "content.pickle"
    pack = _pack(tmp_path, "Greeting patients")
    load_with_packs_cached(bundled_content_path(), [pack], cache)
    stamp = pack.stat().st_mtime_ns
    _pack(tmp_path, "Greeting visitors")
    os.utime(pack, ns=(stamp + 1_000_000, stamp + 1_000_000))
    content, _ = load_with_packs_cached(bundled_content_path(), [pack], cache)
    assert _title(content, "front-desk-greeting") == "Greeting visitors"


def test_a_removed_pack_is_gone_from_the_next_start(tmp_path: Path) -> None:
    cache = tmp_path / "content.pickle"
    load_with_packs_cached(bundled_content_path(), [_pack(tmp_path)], cache)
    content, _ = load_with_packs_cached(bundled_content_path(), [], cache)
    assert content.find("duties/front-desk-greeting") is None


def test_a_skipped_packs_warning_survives_the_copy(tmp_path: Path) -> None:
    cache = tmp_path / "content.pickle"
    broken = tmp_path / "broken.toml"
    broken.write_text("[[duties]]\nid = 'x'\ntitle = \n", encoding="utf-8")
    _, first = load_with_packs_cached(bundled_content_path(), [broken], cache)
    _, second = load_with_packs_cached(bundled_content_path(), [broken], cache)
    assert first and second == first
    assert all(problem.file.endswith("broken.toml") for problem in second)


@pytest.mark.parametrize("damage", [b"", b"not a pickle at all", b"\x80\x05garbage"])
def test_a_damaged_copy_is_ignored_and_replaced(tmp_path: Path, damage: bytes) -> None:
    cache = tmp_path / "content.pickle"
    pack = _pack(tmp_path)
    load_with_packs_cached(bundled_content_path(), [pack], cache)
    cache.write_bytes(damage)
    content, _ = load_with_packs_cached(bundled_content_path(), [pack], cache)
    assert _title(content, "front-desk-greeting") == "Greeting patients"
    assert read_cache(cache, cache_key([bundled_content_path(), pack])) is not None  # written afresh


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_copy_others_could_have_changed_is_not_read(tmp_path: Path) -> None:
    cache = tmp_path / "content.pickle"
    key = cache_key([bundled_content_path()])
    content, _ = load_with_packs_cached(bundled_content_path(), [], cache)
    write_cache(cache, key, content, [])
    assert read_cache(cache, key) is not None
    cache.chmod(0o666)
    assert read_cache(cache, key) is None


def test_an_unwritable_cache_folder_still_starts(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    content, skipped = load_with_packs_cached(bundled_content_path(), [], blocker / "content.pickle")
    assert content.duties and skipped == []
    assert blocker.read_text(encoding="utf-8") == "a file where the cache folder would be"


def test_a_changed_loader_makes_the_copy_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cma_desktop.content import cache

    key = cache_key([bundled_content_path()])
    newer_loader = tmp_path / "loader.py"
    newer_loader.write_text("# a loader that checks one more thing\n", encoding="utf-8")
    monkeypatch.setattr(cache, "_LOADER_SOURCE", newer_loader)
    assert cache_key([bundled_content_path()]) != key


def test_a_pack_copied_in_with_its_old_time_is_read_again(tmp_path: Path) -> None:
    cache = tmp_path / "content.pickle"
    pack = _pack(tmp_path, "Greeting patients")
    load_with_packs_cached(bundled_content_path(), [pack], cache)
    before = pack.stat()
    _pack(tmp_path, "Greeting visitors")  # the same size, as "cp -p" or an unzip would bring it
    os.utime(pack, ns=(before.st_atime_ns, before.st_mtime_ns))
    content, _ = load_with_packs_cached(bundled_content_path(), [pack], cache)
    assert _title(content, "front-desk-greeting") == "Greeting visitors"


def test_a_pack_made_readable_since_is_read_again(tmp_path: Path) -> None:
    pack = _pack(tmp_path)
    key = cache_key([bundled_content_path(), pack])
    pack.chmod(0o600)  # as an administrator fixing the pack's permissions would
    assert cache_key([bundled_content_path(), pack]) != key
