"""Where things live: the bundled content and resources, extra content packs, user data.

Every location has one override chain, resolved here and nowhere else; the rest of the core takes
paths as arguments.
"""

from __future__ import annotations

import os
import sys
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


SITE_FOLDER = "cma-desktop"  # under each system configuration folder
PACKS_FOLDER = "content.d"
POLICY_FILE = "policy.toml"
PORTABLE_MARKER = "portable"
PORTABLE_DATA = "cma-desktop-data"


def system_config_dirs() -> list[Path]:
    """Qt's system-wide configuration folders, most important first: /etc/xdg (or $XDG_CONFIG_DIRS)
    on Linux, ProgramData on Windows, /Library/Preferences on macOS. Students cannot write there."""
    from PySide6.QtCore import QStandardPaths  # only when a window or a pack lookup is wanted

    locations = QStandardPaths.standardLocations(QStandardPaths.StandardLocation.GenericConfigLocation)
    user = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    return [Path(p) for p in locations if p and Path(p) != Path(user)]


def foreign_owner(path: Path) -> str:
    """ "uid 1002" when another user owns path (POSIX), else "" (also where it cannot be looked at).
    Root is no other user: it owns USB sticks and network shares mounted for everyone."""
    if os.name != "posix":
        return ""
    try:
        owner = path.stat().st_uid
    except OSError:
        return ""
    return f"uid {owner}" if owner not in (0, os.getuid()) else ""


def why_not_trusted(path: Path) -> str:
    """Why an administrator's file or folder (a policy, a content pack) could have been written by
    someone else, so that it must not steer every user's app; "" when only root or this user can
    have written it (POSIX; elsewhere the system's own rules guard these folders)."""
    if owner := foreign_owner(path):
        return f"belongs to another user ({owner})"
    try:
        writable_by_others = os.name == "posix" and bool(path.stat().st_mode & 0o022)
    except OSError:
        return ""  # reading it says what is wrong
    return "can be changed by other users (it is writable by its group or by everyone)" if writable_by_others else ""


def why_admin_file_not_trusted(path: Path) -> str:
    """For a policy file, or a pack in a system content.d folder: "<it or its folder> <why>" when
    another user could have written either (see why_not_trusted), else ""."""
    for written_in in (path.parent, path):
        if why := why_not_trusted(written_in):
            return f"{written_in} {why}"
    return ""


def site_pack_paths(config_dirs: list[Path]) -> tuple[list[Path], list[str]]:
    """Packs in <config dir>/cma-desktop/content.d/*.toml: the least important folder first, each
    folder's files in name order, so a more important folder's pack overrides a lesser one's. And a
    warning for each pack left out because another user could have written it."""
    packs: list[Path] = []
    warnings: list[str] = []
    for folder in reversed(config_dirs):
        packs_folder = folder / SITE_FOLDER / PACKS_FOLDER
        try:  # scandir, not glob: glob says nothing of a folder it may not read
            with os.scandir(packs_folder) as entries:
                # Not hidden files: editors' lock links (.#pack.toml) and macOS's ._pack.toml are no packs.
                found = sorted(packs_folder / e.name for e in entries if e.name.endswith(".toml") and not e.name.startswith("."))
        except FileNotFoundError:
            continue
        except OSError:  # a folder this user may not read: loading it says so, naming it, as for a bad pack
            packs.append(packs_folder)
            continue
        for pack in found:
            if why := why_admin_file_not_trusted(pack):
                warnings.append(f"{pack}: not loaded: {why}, so anyone could change what every user sees")
            else:
                packs.append(pack)
    return packs, warnings


def policy_paths(config_dirs: list[Path]) -> list[Path]:
    """policy.toml files, the least important first (later ones win key by key)."""
    paths = []
    for folder in reversed(config_dirs):
        candidate = folder / SITE_FOLDER / POLICY_FILE
        try:
            present = candidate.is_file()
        except OSError:  # a folder this user may not look into: reading it says why, in a warning
            present = True
        if present:
            paths.append(candidate)
    return paths


def content_pack_paths(cli_packs: list[str] | None, environ: Mapping[str, str] = os.environ,
                       site_packs: list[Path] | None = None) -> list[Path]:
    """Packs layered on the bundled content, in this order (a later pack overrides an earlier one):
    the system folders' packs, then CMA_DESKTOP_CONTENT's, then the command line's."""
    packs = list(site_packs or [])
    packs += [Path(p.strip()) for p in environ.get(CONTENT_ENV, "").split(os.pathsep) if p.strip()]
    packs += [Path(p) for p in cli_packs or []]
    return packs


def app_dir() -> Path:
    """The folder the app was started from: the bundle's folder, or the checkout/site-packages."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return _PACKAGE_DIR.parent


def portable_data_dir(folder: Path) -> Path | None:
    """With a file named ``portable`` beside the app (a USB stick), data lives beside it too."""
    return folder / PORTABLE_DATA if (folder / PORTABLE_MARKER).is_file() else None


@dataclass(frozen=True)
class DataDirChoice:
    path: Path
    origin: str  # "policy", "command line", "environment", "portable" or "default"


def choose_data_dir(
    cli_value: str | None,
    default_dir: Callable[[], Path],
    environ: Mapping[str, str] = os.environ,
    policy_dir: str | None = None,
    portable_dir: Path | None = None,
) -> DataDirChoice:
    """The administrator's policy, then --data-dir, then CMA_DESKTOP_DATA_DIR, then a portable
    install's own folder, then the platform's per-user local data folder."""
    if policy_dir:
        return DataDirChoice(Path(os.path.expandvars(policy_dir)).expanduser(), "policy")
    if cli_value:
        return DataDirChoice(Path(cli_value).expanduser(), "command line")
    if environ.get(DATA_DIR_ENV, "").strip():
        return DataDirChoice(Path(environ[DATA_DIR_ENV]).expanduser(), "environment")
    if portable_dir is not None:
        return DataDirChoice(portable_dir, "portable")
    return DataDirChoice(default_dir(), "default")


def content_cache_file() -> Path:
    """Where the checked copy of the content is kept: the per-user cache folder, as Qt defines it."""
    from PySide6.QtCore import QStandardPaths

    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)) / "content.pickle"


def content_cache_for(ephemeral: bool, portable_dir: Path | None) -> Path | None:
    """The checked copy of the content for this run: none in a guest session (nothing outlives
    it), beside a portable install's data (nothing is left on the host), else the user's cache."""
    if ephemeral:
        return None
    return portable_dir / "cache" / "content.pickle" if portable_dir is not None else content_cache_file()


def guest_folder_base(environ: Mapping[str, str] = os.environ) -> Path:
    """Where guest sessions' folders go: the login session's runtime folder where there is one
    (private, and emptied at log out even if the app never got to), else the temporary folder."""
    import tempfile

    runtime = environ.get("XDG_RUNTIME_DIR", "")
    if runtime and Path(runtime).is_dir() and os.access(runtime, os.W_OK):
        return Path(runtime)
    return Path(tempfile.gettempdir())


def platform_data_dir() -> Path:
    """The per-user, local (not roaming) application data folder, as Qt defines it on each platform."""
    from PySide6.QtCore import QCoreApplication, QStandardPaths  # only when no folder was given

    if not QCoreApplication.organizationName():
        QCoreApplication.setOrganizationName(ORGANIZATION)
        QCoreApplication.setApplicationName(APPLICATION)
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation))
