"""Start-up benchmark: whole-process time and peak memory, from launch to a painted main window.

Runs the app (all bundled content, ``--screenshot``) and a bare PySide6 window with a tab widget
(benchmarks/bare_window.py), alternating them in one run. Both grab the painted window and write it
as BMP, so image encoding does not weigh on either side. It and reports the median of each and the
ratio app / bare. Target: at most 1.5x for both. Linux and macOS (uses os.wait4 for peak memory).

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


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one run of command."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(command)}")
    peak_kib = usage.ru_maxrss / (1024 if sys.platform == "darwin" else 1)  # bytes on macOS, KiB on Linux
    return elapsed, peak_kib / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--check", action="store_true", help="exit 1 when a ratio is above the target")
    parser.add_argument("--content", action="append", default=[], help="extra content pack for the app")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": tmp, "XDG_CONFIG_HOME": f"{tmp}/config",
               "XDG_DATA_HOME": f"{tmp}/data"}
        env.pop("CMA_DESKTOP_CONTENT", None)
        # Let the warm-up runs cache bytecode, as every normal run and every installed wheel does;
        # otherwise the app recompiles its own modules on each run while PySide6 and the standard
        # library (all the bare window imports) load from their caches.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        packs = [a for pack in args.content for a in ("--content", pack)]
        app = [sys.executable, "-m", "cma_desktop", "--screenshot", f"{tmp}/app.bmp", "--size", "1280x800", *packs]
        bare = [sys.executable, str(HERE / "bare_window.py"), f"{tmp}/bare.bmp"]
        measure(app, env), measure(bare, env)  # warm the file cache for both
        results: dict[str, list[tuple[float, float]]] = {"app": [], "bare": []}
        for _ in range(args.rounds):
            results["app"].append(measure(app, env))
            results["bare"].append(measure(bare, env))

    def median(name: str, index: int) -> float:
        return statistics.median(run[index] for run in results[name])

    time_ratio = median("app", 0) / median("bare", 0)
    memory_ratio = median("app", 1) / median("bare", 1)
    print(f"rounds: {args.rounds} (alternated)")
    print(f"start-up time  app {median('app', 0) * 1000:7.0f} ms   bare {median('bare', 0) * 1000:7.0f} ms   ratio {time_ratio:.2f}x")
    print(f"peak memory    app {median('app', 1):7.1f} MiB  bare {median('bare', 1):7.1f} MiB  ratio {memory_ratio:.2f}x")
    print(f"target: at most {TARGET_RATIO}x for both")
    if args.check and (time_ratio > TARGET_RATIO or memory_ratio > TARGET_RATIO):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
