"""Start-up benchmark: time and peak memory of the whole process, from launch to a painted main window.

Runs the app (all bundled content, ``--screenshot``) and a bare PySide6 window with a tab widget
(benchmarks/bare_window.py), alternating them in one run. For reference it runs three more programs,
each the bare window plus one part of what the app must do, showing where the time goes:

- Qt namespace: after the first use of PySide's ``Qt`` namespace (benchmarks/qt_namespace.py);
- floor: after importing the app's modules and reading its content from the cache, building no
  widget of ours (benchmarks/import_floor.py), the floor any window of this app starts from;
- Overview alone: with the app's Overview page on the cached content as its first tab, and nothing
  else of the app (benchmarks/overview_alone.py), the least a window showing the first page costs.

Each grabs its painted window and writes it as BMP (no encoding cost) at once. For each run it records:

- launch to painted: from starting the process until the painted window's image was written (the
  file's modification time, against the wall clock at launch); this is the start-up figure;
- launch to exit: the same plus shutting down, for reference;
- peak resident memory of the process (os.wait4).

It reports medians and the ratios to the bare window. Target: at most 1.5x for time and for memory.
Linux and macOS.

    python benchmarks/startup.py [--rounds 15] [--check]
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

HERE = Path(__file__).resolve().parent
TARGET_RATIO = 1.5
REFERENCES = {  # name: (program, what it adds to the bare window)
    "qt": ("qt_namespace.py", "Qt namespace: its first use"),
    "floor": ("import_floor.py", "floor: the app's imports and cached content, no widgets of ours"),
    "overview": ("overview_alone.py", "Overview alone: the app's first page on cached content"),
}


def measure(command: list[str], env: dict[str, str], image: Path) -> tuple[float, float, float]:
    """Seconds to the painted image, seconds to exit, and peak resident memory (MiB) of one run."""
    image.unlink(missing_ok=True)
    launched_ns = time.time_ns()
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    to_exit = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0 or not image.exists():
        raise SystemExit(f"benchmark command failed: {' '.join(command)}")
    to_painted = (image.stat().st_mtime_ns - launched_ns) / 1e9
    peak_kib = usage.ru_maxrss / (1024 if sys.platform == "darwin" else 1)  # bytes on macOS, KiB on Linux
    return to_painted, to_exit, peak_kib / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--check", action="store_true", help="exit 1 when a ratio is above the target")
    parser.add_argument("--content", action="append", default=[], help="extra content pack for the app")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": tmp, "XDG_CONFIG_HOME": f"{tmp}/config",
               "XDG_DATA_HOME": f"{tmp}/data", "XDG_CACHE_HOME": f"{tmp}/cache"}
        env.pop("CMA_DESKTOP_CONTENT", None)
        # Let the warm-up runs cache bytecode, as every normal run and every installed wheel does;
        # otherwise the app recompiles its own modules on each run while PySide6 and the standard
        # library (all the bare window imports) load from their caches.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        packs = [a for pack in args.content for a in ("--content", pack)]
        image = Path(tmp, "window.bmp")
        programs = {
            "app": [sys.executable, "-m", "cma_desktop", "--screenshot", str(image), "--size", "1280x800", *packs],
            "bare": [sys.executable, str(HERE / "bare_window.py"), str(image)],
            **{name: [sys.executable, str(HERE / script), str(image)] for name, (script, _) in REFERENCES.items()},
        }
        for command in programs.values():  # warm the caches
            measure(command, env, image)
        results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in programs}
        for _ in range(args.rounds):
            for name, command in programs.items():
                results[name].append(measure(command, env, image))

    def median(name: str, index: int) -> float:
        return statistics.median(run[index] for run in results[name])

    ratios = [median("app", i) / median("bare", i) for i in range(3)]
    print(f"rounds: {args.rounds} (alternated)")
    print(f"launch to painted  app {median('app', 0) * 1000:6.0f} ms   bare {median('bare', 0) * 1000:6.0f} ms   ratio {ratios[0]:.2f}x")
    print(f"launch to exit     app {median('app', 1) * 1000:6.0f} ms   bare {median('bare', 1) * 1000:6.0f} ms   ratio {ratios[1]:.2f}x")
    print(f"peak memory        app {median('app', 2):6.1f} MiB  bare {median('bare', 2):6.1f} MiB  ratio {ratios[2]:.2f}x")
    print("references, launch to painted (the bare window plus one part of the app):")
    for name, (_, what) in REFERENCES.items():
        print(f"  {what:70s} {median(name, 0) * 1000:4.0f} ms  ratio {median(name, 0) / median('bare', 0):.2f}x")
    print(f"target: at most {TARGET_RATIO}x for launch to painted and for peak memory")
    if args.check and (ratios[0] > TARGET_RATIO or ratios[2] > TARGET_RATIO):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
