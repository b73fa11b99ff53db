"""The Linux desktop entry and AppStream metainfo name the app, its command, icon and version."""

from __future__ import annotations

import configparser
import re
import sys
import xml.etree.ElementTree as ET

from cma_desktop import APP_NAME, __version__
from tests.conftest import REPO_ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

RESOURCES = REPO_ROOT / "resources"
DESKTOP_FILE = RESOURCES / "cma-desktop.desktop"
METAINFO = RESOURCES / "io.github.cma_desktop.CmaDesktop.metainfo.xml"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment, method-assign]  # keys are case-sensitive
    parser.read_string(DESKTOP_FILE.read_text(encoding="utf-8"), source=str(DESKTOP_FILE))
    assert parser.sections() == ["Desktop Entry"]
    return parser["Desktop Entry"]


def console_command() -> str:
    scripts = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert list(scripts) == ["cma-desktop"]
    return "cma-desktop"


def test_desktop_entry_starts_the_installed_command_with_its_icon() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == APP_NAME
    assert entry["Comment"].strip()
    assert entry["Exec"].split()[0] == console_command()
    assert entry["Terminal"] == "false"
    assert entry["Categories"].split(";")[:-1] == ["Education"]  # lists end with ';'
    assert entry["Keywords"].endswith(";") and len(entry["Keywords"].split(";")) > 3
    # The icon is named by theme name, and the file installed under that name is ours.
    assert "/" not in entry["Icon"]
    assert (RESOURCES / "icons" / f"{entry['Icon']}.svg").is_file()
    # Qt sets the window's class and the desktop file name to cma-desktop; docks match on it.
    assert entry["StartupWMClass"] == DESKTOP_FILE.stem


def test_metainfo_describes_the_app_and_its_current_release() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == METAINFO.name.removesuffix(".metainfo.xml")
    assert root.findtext("name") == APP_NAME
    assert root.findtext("summary", "").strip()
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == "MIT"
    assert root.find("description/p") is not None

    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP_FILE.name
    assert [b.text for b in root.findall("provides/binary")] == [console_command()]

    releases = root.findall("releases/release")
    assert releases, "no release listed"
    newest = releases[0]  # AppStream lists the newest first
    assert newest.get("version") == __version__
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", newest.get("date", ""))

    rating = root.find("content_rating")
    assert rating is not None and rating.get("type") == "oars-1.1"


def test_both_files_ship_with_the_resources() -> None:
    # resources/ goes into the wheel and the bundle whole, so admins find these files there too.
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    force_include = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert force_include["resources"] == "cma_desktop/bundled/resources"
    assert DESKTOP_FILE.parent == METAINFO.parent == RESOURCES
