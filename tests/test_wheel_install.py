"""The wheel carries content.toml and resources: installed into a fresh environment, it runs anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_takes_a_screenshot(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(REPO_ROOT)],
                   check=True, capture_output=True, timeout=600)
    wheel = next(dist.glob("cma_desktop-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "cma_desktop/bundled/content.toml" in names
    assert any(n.startswith("cma_desktop/bundled/resources/") for n in names)
    assert any(n.endswith("entry_points.txt") for n in names)

    # Qt itself comes from the outer environment; everything of ours comes from the wheel, even when
    # the outer environment already has cma-desktop installed (as CI's does).
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--no-index", "--no-deps", "--ignore-installed", "--quiet", str(wheel)],
                   check=True, capture_output=True, timeout=600)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "HOME": str(elsewhere), "XDG_CONFIG_HOME": str(elsewhere / "config")}
    located = subprocess.run(
        [str(bin_dir / "python"), "-c", "import cma_desktop.locations as l; print(l.__file__); print(l.bundled_content_path())"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True, timeout=60,
    ).stdout.splitlines()
    assert all(Path(line).resolve().is_relative_to(env_dir.resolve()) for line in located), located

    shot = elsewhere / "shot.png"
    result = subprocess.run([str(bin_dir / "cma-desktop"), "--screenshot", str(shot), "--tab", "faq"],
                            cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert shot.stat().st_size > 10_000
    assert (bin_dir / "cma-desktop-gui").exists()
