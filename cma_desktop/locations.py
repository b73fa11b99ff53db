"""Where things live: the bundled content and resources, extra content packs, user data.

Every location has one override chain, resolved here and nowhere else; the rest of the core takes
paths as arguments.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

ORGANIZATION = "cma-desktop"
APPLICATION = "cma-desktop"
DATA_DIR_ENV = "CMA_DESKTOP_DATA_DIR"
CONTENT_ENV = "CMA_DESKTOP_CONTENT"

_PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    """A file shipped in the wheel under cma_desktop/bundled, or at the top of a source checkout."""
    installed = _PACKAGE_DIR / "bundled" / name
    if installed.exists():
        return installed
    return _PACKAGE_DIR.parent / name


def bundled_content_path() -> Path:
    return _bundled("content.toml")


def resources_dir() -> Path:
    return _bundled("resources")


def content_pack_paths(cli_packs: list[str] | None, environ: Mapping[str, str] = os.environ) -> list[Path]:
    """Packs layered on the bundled content: the environment's first, then the command line's."""
    packs = [Path(p) for p in environ.get(CONTENT_ENV, "").split(os.pathsep) if p.strip()]
    packs += [Path(p) for p in cli_packs or []]
    return packs


@dataclass(frozen=True)
class DataDirChoice:
    path: Path
    origin: str  # "command line", "environment" or "default"


def choose_data_dir(
    cli_value: str | None,
    default_dir: Callable[[], Path],
    environ: Mapping[str, str] = os.environ,
) -> DataDirChoice:
    """--data-dir, then CMA_DESKTOP_DATA_DIR, then the platform's per-user data folder."""
    if cli_value:
        return DataDirChoice(Path(cli_value).expanduser(), "command line")
    if environ.get(DATA_DIR_ENV, "").strip():
        return DataDirChoice(Path(environ[DATA_DIR_ENV]).expanduser(), "environment")
    return DataDirChoice(default_dir(), "default")


def platform_data_dir() -> Path:
    """The per-user, local (not roaming) application data folder, as Qt defines it on each platform."""
    from PySide6.QtCore import QCoreApplication, QStandardPaths  # only when no folder was given

    if not QCoreApplication.organizationName():
        QCoreApplication.setOrganizationName(ORGANIZATION)
        QCoreApplication.setApplicationName(APPLICATION)
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation))
