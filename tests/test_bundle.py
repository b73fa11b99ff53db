"""The one-folder PyInstaller bundle runs from anywhere, finds its content and icons, and validates."""

from __future__ import annotations

import importlib.util
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from cma_desktop import __version__
from tests.conftest import REPO_ROOT, write

pytestmark = pytest.mark.slow

BUILD_SCRIPT = REPO_ROOT / "packaging" / "build_bundle.py"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A missing PyInstaller is a broken test environment, not a reason to skip: it is in the test extra.
    assert importlib.util.find_spec("PyInstaller") is not None, (
        "PyInstaller is not installed; install the test extra: python3 -m pip install '.[test]'")
    root = tmp_path_factory.mktemp("bundle")
    result = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--dist", str(root / "dist"), "--work", str(root / "work")],
        cwd=root, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, f"build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    folder = root / "dist" / "cma-desktop"
    assert (folder / "cma-desktop").is_file()
    return folder


def run_bundled(bundle: Path, *args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Runs the bundle's executable from an unrelated folder with a fresh home and no site config."""
    home = tmp_path / "home"
    elsewhere = tmp_path / "elsewhere"
    for folder in (home, elsewhere, tmp_path / "no-site-config", tmp_path / "runtime"):
        folder.mkdir(mode=0o700, exist_ok=True)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("CMA_DESKTOP_", "PYTHON", "XDG_"))}  # nothing leaks in from the test run
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", XDG_CONFIG_DIRS=str(tmp_path / "no-site-config"),
               XDG_RUNTIME_DIR=str(tmp_path / "runtime"))
    return subprocess.run([str(bundle / "cma-desktop"), *args], cwd=elsewhere, env=env,
                          capture_output=True, text=True, timeout=120)


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_bundle_holds_content_and_resources_where_the_app_looks(bundle: Path) -> None:
    bundled = bundle / "_internal" / "cma_desktop" / "bundled"
    assert (bundled / "content.toml").read_bytes() == (REPO_ROOT / "content.toml").read_bytes()
    assert (bundled / "resources" / "icons" / "cma-desktop.svg").is_file()
    assert (bundled / "resources" / "icons" / "bookmark.svg").is_file()


def test_bundle_takes_a_screenshot_from_another_folder(bundle: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    result = run_bundled(bundle, "--screenshot", str(shot), "--tab", "duties", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert shot.stat().st_size > 10_000
    width, height = png_size(shot)
    assert width >= 400 and height >= 300


def test_bundle_validates_its_own_content_and_reports_a_broken_pack(bundle: Path, tmp_path: Path) -> None:
    content = bundle / "_internal" / "cma_desktop" / "bundled" / "content.toml"
    result = run_bundled(bundle, "validate", str(content), tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr

    pack = write(tmp_path / "pack.toml", '[[duties]]\nid = "x"\ntitle = "T"\ncategory = "surgery"\n')
    result = run_bundled(bundle, "validate", str(pack), tmp_path=tmp_path)
    assert result.returncode == 1
    assert f"{pack}:4:" in result.stdout


def test_bundle_reports_its_version(bundle: Path, tmp_path: Path) -> None:
    result = run_bundled(bundle, "--version", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["cma-desktop", __version__]
