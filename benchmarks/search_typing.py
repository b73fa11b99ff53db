"""Search benchmark: a generated pack of 10,000 content items and a store of 10,000 notes.

Types queries letter by letter into the real Search field and times each keystroke until the
result list has updated (p50, p95); then times start-up with the pack, whole process, to a
painted window. Targets: p95 at most 16 ms per keystroke; start-up under 1.5 s.

    python benchmarks/search_typing.py [--items 10000] [--notes 10000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from large_pack import WORDS, bulk_add_notes, write_pack  # noqa: E402

QUERIES = ("vital signs", "billing", "pediatrics", "medicaton", "schedule appointments", "steril", "insurance claims",
           "recertification exam", "wound", "patient history intake")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def fill_notes(data_dir: Path, count: int) -> None:
    bulk_add_notes(data_dir, ((f"duties/generated-{n}", f"Note {n}", " ".join(WORDS[(n * 7 + k) % len(WORDS)] for k in range(40)),
                               f"2026-01-01T00:00:00.{n:06d}+00:00") for n in range(count)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--startup-rounds", type=int, default=5)
    args = parser.parse_args()

    from PySide6.QtCore import QSettings
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from cma_desktop.store.notes_store import NotesStore
    from cma_desktop.content.loader import load_content
    from cma_desktop.locations import bundled_content_path
    from cma_desktop.views.main_window import MainWindow
    from cma_desktop.views.theme import ThemeController, ZoomController

    with tempfile.TemporaryDirectory() as tmp:
        pack = write_pack(Path(tmp) / "pack.toml", args.items)
        data_dir = Path(tmp) / "data"
        fill_notes(data_dir, args.notes)

        app = QApplication.instance() or QApplication([])
        started = time.perf_counter()
        content = load_content([bundled_content_path(), pack])
        load_ms = (time.perf_counter() - started) * 1000
        store = NotesStore(data_dir)
        settings = QSettings(f"{tmp}/settings.ini", QSettings.Format.IniFormat)
        window = MainWindow(content, settings, ThemeController(app), ZoomController(app, settings), store=store)
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        started = time.perf_counter()
        window.searcher.build()  # in the app this runs on a worker thread after the window is up
        index_ms = (time.perf_counter() - started) * 1000

        keystrokes: list[float] = []
        results = 0
        for query in QUERIES:
            window.focus_search()
            window.search_field.clear()
            app.processEvents()
            for letter in query:
                started = time.perf_counter()
                QTest.keyClicks(window.search_field, letter)
                app.processEvents()  # the result list has updated and repainted
                keystrokes.append((time.perf_counter() - started) * 1000)
            results += window.search_panel.result_count()
        window.close()
        store.close()

        env = {**os.environ, "HOME": tmp, "XDG_CONFIG_HOME": f"{tmp}/config", "XDG_CACHE_HOME": f"{tmp}/cache",
               "CMA_DESKTOP_DATA_DIR": str(data_dir)}
        startups = []
        # The first start after the pack appeared parses and checks it and keeps a checked copy;
        # the later ones start from that copy, as every start does until a file changes.
        for _ in range(1 + args.startup_rounds):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "cma_desktop", "--content", str(pack), "--screenshot", f"{tmp}/s.bmp",
                            "--size", "1280x800"], env=env, check=True, capture_output=True)
            startups.append(time.perf_counter() - started)

    print(f"pack: {args.items} items; store: {args.notes} notes; {len(keystrokes)} keystrokes over {len(QUERIES)} queries "
          f"({results} results shown at the ends)")
    print(f"load and check the content with the pack: {load_ms:.0f} ms; build the search index: {index_ms:.0f} ms")
    print(f"per keystroke: p50 {statistics.median(keystrokes):.1f} ms, p95 {percentile(keystrokes, 0.95):.1f} ms, "
          f"max {max(keystrokes):.1f} ms (target p95 <= 16 ms)")
    print(f"start-up with the pack, whole process to a painted window: first (checking the new pack) "
          f"{startups[0]:.2f} s, later starts median {statistics.median(startups[1:]):.2f} s (target < 1.5 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
