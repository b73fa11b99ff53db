"""Build CMA Career Explorer as a one-folder bundle with PyInstaller: <dist>/cma-desktop/.

    python3 packaging/build_bundle.py [--dist DIR] [--work DIR]

Builds from this checkout (its cma_desktop/, content.toml and resources/) with the Python that runs
this script, whose PySide6 and fsrs are the ones bundled. The bundle runs only on the operating
system and processor it was built on; build on each platform you ship to.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "packaging" / "cma-desktop.spec"
NAME = "cma-desktop"


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def executable(bundle: Path) -> Path:
    return bundle / (f"{NAME}.exe" if os.name == "nt" else NAME)


def bundled_file(bundle: Path, *parts: str) -> Path | None:
    """A data file inside the bundle (PyInstaller 6 keeps them under _internal/ by default)."""
    for base in (bundle / "_internal", bundle):
        candidate = base.joinpath("cma_desktop", "bundled", *parts)
        if candidate.exists():
            return candidate
    return None


def build(dist: Path, work: Path) -> Path:
    """Runs PyInstaller on the spec and returns the bundle folder; raises SystemExit on failure."""
    if importlib.util.find_spec("PyInstaller") is None:
        raise SystemExit(
            "PyInstaller is not installed for this Python. Install it with\n"
            f"    {sys.executable} -m pip install 'pyinstaller>=6.10'\n"
            "(it is in the project's test extra: pip install '.[test]')."
        )
    dist.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", str(dist), "--workpath", str(work), str(SPEC),
    ]
    result = subprocess.run(command, cwd=REPO)
    if result.returncode != 0:
        raise SystemExit(f"PyInstaller failed with exit status {result.returncode}.")
    bundle = dist / NAME
    missing = [what for what, found in (
        ("the executable", executable(bundle).is_file()),
        ("content.toml", bundled_file(bundle, "content.toml") is not None),
        ("resources/icons/cma-desktop.svg", bundled_file(bundle, "resources", "icons", "cma-desktop.svg") is not None),
    ) if not found]
    if missing:
        raise SystemExit(f"The bundle in {bundle} lacks {', '.join(missing)}.")
    return bundle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=REPO / "dist",
                        help="where the bundle folder goes (default: dist/ in the checkout)")
    parser.add_argument("--work", type=Path, default=REPO / "build" / "pyinstaller",
                        help="PyInstaller's scratch folder (default: build/pyinstaller/ in the checkout)")
    parser.add_argument("--keep-work", action="store_true", help="keep the scratch folder afterwards")
    args = parser.parse_args(argv)

    started = time.monotonic()
    bundle = build(args.dist.resolve(), args.work.resolve())
    if not args.keep_work:
        shutil.rmtree(args.work, ignore_errors=True)
    print(f"Built {bundle} ({folder_size(bundle) / 2**20:.0f} MiB) in {time.monotonic() - started:.0f} s.")
    print(f"Start it with {executable(bundle)}; copy the whole folder to install it.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
