"""The core (everything outside cma_desktop.views) must work with PySide6 absent."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import REPO_ROOT


def test_core_modules_import_and_validate_without_qt() -> None:
    script = textwrap.dedent(
        """
        import importlib, pkgutil, sys

        class BlockQt:
            def find_spec(self, name, path=None, target=None):
                if name == "PySide6" or name.startswith("PySide6."):
                    raise ImportError(f"the core imported {name}")
                return None

        sys.meta_path.insert(0, BlockQt())
        import cma_desktop
        core = [m.name for m in pkgutil.walk_packages(cma_desktop.__path__, "cma_desktop.")
                if not m.name.startswith("cma_desktop.views") and m.name != "cma_desktop.__main__"]
        for name in core:
            importlib.import_module(name)
        from cma_desktop.cli import main
        from cma_desktop.locations import bundled_content_path
        sys.exit(main(["validate", str(bundled_content_path())]))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "cma_desktop.content.loader" in subprocess.run(
        [sys.executable, "-c", "import pkgutil, cma_desktop; print([m.name for m in pkgutil.walk_packages(cma_desktop.__path__, 'cma_desktop.')])"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=60,
    ).stdout


def test_the_core_check_catches_a_qt_import(tmp_path: object) -> None:
    """A control: the same blocker really stops a module that imports Qt."""
    script = textwrap.dedent(
        """
        import sys
        class BlockQt:
            def find_spec(self, name, path=None, target=None):
                if name == "PySide6" or name.startswith("PySide6."):
                    raise ImportError(name)
        sys.meta_path.insert(0, BlockQt())
        import cma_desktop.views.theme
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "ImportError" in result.stderr
