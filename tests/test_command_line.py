"""The installed command as a user or an admin runs it: screenshots, help, bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.conftest import write
from tests.samples import MINIMAL


def run_app(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data")}
    env.pop("CMA_DESKTOP_CONTENT", None)
    return subprocess.run([sys.executable, "-m", "cma_desktop", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_screenshot_renders_the_chosen_tab_at_the_chosen_size(tmp_path: Path) -> None:
    out = tmp_path / "duties.png"
    result = run_app("--screenshot", str(out), "--tab", "duties", "--size", "1024x700", cwd=tmp_path, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # nothing that reads like a problem (Qt's offscreen notice about size hints)
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1024, 700)
    # Not a blank frame: a rendered window has many distinct colours.
    colours = {image.pixel(x, y) for x in range(0, 1024, 16) for y in range(0, 700, 16)}
    assert len(colours) > 4


def test_a_screenshot_without_a_size_has_the_first_start_size(tmp_path: Path) -> None:
    from cma_desktop.views.main_window import DEFAULT_SIZE

    out = tmp_path / "overview.png"
    assert run_app("--screenshot", str(out), cwd=tmp_path, home=tmp_path).returncode == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (DEFAULT_SIZE.width(), DEFAULT_SIZE.height())


def test_a_screenshot_leaves_the_remembered_tab_and_size_alone(tmp_path: Path) -> None:
    assert run_app("--screenshot", str(tmp_path / "faq.png"), "--tab", "faq", "--size", "700x500",
                   cwd=tmp_path, home=tmp_path).returncode == 0
    written = [path.read_text(encoding="utf-8") for path in (tmp_path / "config").rglob("*.conf")]
    assert not any("faq" in text or "geometry" in text for text in written)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="displays are an X11 and Wayland matter")
def test_no_display_gets_a_message_not_an_abort(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["HOME"] = str(tmp_path)
    result = subprocess.run([sys.executable, "-m", "cma_desktop"], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1 and "there is no display" in result.stderr and "Traceback" not in result.stderr


def test_screenshot_dark_theme_is_dark(tmp_path: Path) -> None:
    out = tmp_path / "dark.png"
    result = run_app("--screenshot", str(out), "--theme", "dark", "--size", "800x600", cwd=tmp_path, home=tmp_path)
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    samples = [image.pixelColor(x, y).lightness() for x in range(0, 800, 40) for y in range(0, 600, 40)]
    assert sorted(samples)[len(samples) // 2] < 100


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--size", "big"), "is not WIDTHxHEIGHT"),
        (("--tab", "payroll"), "unknown tab 'payroll'"),
        (("--theme", "purple"), "invalid choice: 'purple'"),
        (("--data-dir", ""), "the data folder is empty"),
    ],
)
def test_bad_arguments_get_a_clear_message(tmp_path: Path, args: tuple[str, ...], expected: str) -> None:
    result = run_app("--screenshot", str(tmp_path / "x.png"), *args, cwd=tmp_path, home=tmp_path)
    assert result.returncode == 2
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_broken_content_pack_is_skipped_with_file_and_line(tmp_path: Path) -> None:
    pack = write(tmp_path / "pack.toml", '[[duties]]\nid = "x"\ntitle = "T"\ncategory = "surgery"\n')
    result = run_app("--content", str(pack), "--screenshot", str(tmp_path / "x.png"), cwd=tmp_path, home=tmp_path)
    assert result.returncode == 0  # everything else loaded
    assert f"Skipped because of the problems below (everything else loaded): {pack}" in result.stderr
    assert f"{pack}:4:" in result.stderr and '"surgery" is not one of' in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "x.png").exists()


def test_a_screenshot_of_the_local_tab_says_why_the_pack_bringing_it_was_skipped(tmp_path: Path) -> None:
    pack = write(tmp_path / "pack.toml", '[center]\nname = "Lakeside"\ncontact = "Room 4"\nwebsite = "http://x.org"\n')
    result = run_app("--content", str(pack), "--screenshot", str(tmp_path / "x.png"), "--tab", "local",
                     cwd=tmp_path, home=tmp_path)
    assert result.returncode == 1 and "there is no Local tab" in result.stderr
    assert f"(everything else loaded): {pack}" in result.stderr and f"{pack}:" in result.stderr


def test_every_skipped_pack_is_named_and_long_problem_lists_say_how_many_more(tmp_path: Path) -> None:
    many = write(tmp_path / "10-many.toml", "".join(f'[[duties]]\nid = "d{n}"\ntitle = "T"\ncategory = "x"\n'
                                                     'summary = "s"\nbody = "b"\nsources = ["bls-ooh"]\n'
                                                     for n in range(25)))
    other = write(tmp_path / "20-other.toml", '[[faq]]\nid = "q"\nquestion = "Q?"\nanswer = "A."\ncategory = "x"\n'
                  'sources = ["bls-ooh"]\n')
    result = run_app("--content", str(many), "--content", str(other), "--screenshot", str(tmp_path / "x.png"),
                     cwd=tmp_path, home=tmp_path)
    assert result.returncode == 0
    assert f"(everything else loaded): {many}, {other}" in result.stderr
    assert "... and 6 more" in result.stderr


def test_missing_content_pack_from_the_environment(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "CMA_DESKTOP_CONTENT": str(tmp_path / "gone.toml"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, "-m", "cma_desktop", "--screenshot", str(tmp_path / "x.png")],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0
    assert "gone.toml:1: cannot read the file" in result.stderr and "Traceback" not in result.stderr


def test_broken_bundled_content_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    from cma_desktop.views import application

    broken = write(tmp_path / "content.toml", MINIMAL.replace('version = "1.0"', 'version = 1'))
    monkeypatch.setattr(application, "bundled_content_path", lambda: broken)
    args = argparse.Namespace(screenshot=str(tmp_path / "x.png"), content=[], data_dir=str(tmp_path / "d"),
                              theme=None, tab=None, size=None)
    assert application.run(args) == 1
    assert not (tmp_path / "x.png").exists()


def test_unwritable_screenshot_path(tmp_path: Path) -> None:
    result = run_app("--screenshot", str(tmp_path / "no" / "such" / "dir.png"), cwd=tmp_path, home=tmp_path)
    assert result.returncode == 1
    assert "cannot write the screenshot" in result.stderr and "Traceback" not in result.stderr
    assert f"the folder {tmp_path / 'no' / 'such'} does not exist" in result.stderr


def test_a_screenshot_of_a_tab_the_content_lacks_says_so(tmp_path: Path) -> None:
    result = run_app("--screenshot", str(tmp_path / "x.png"), "--tab", "local", cwd=tmp_path, home=tmp_path)
    assert result.returncode == 1 and "there is no Local tab" in result.stderr
    assert not (tmp_path / "x.png").exists()
    empty = run_app("--screenshot", "", cwd=tmp_path, home=tmp_path)
    assert empty.returncode == 2 and "the screenshot's file name is empty" in empty.stderr


def test_content_pack_shows_up_in_the_window(tmp_path: Path) -> None:
    pack = write(tmp_path / "pack.toml", '''
[[faq]]
id = "local-contact"
question = "Who do I talk to at our career center?"
answer = "Ask at the front desk."
category = "work"
sources = ["bls-ooh"]
''')
    result = run_app("--content", str(pack), "--screenshot", str(tmp_path / "x.png"), "--tab", "faq", cwd=tmp_path, home=tmp_path)
    assert result.returncode == 0, result.stderr


def test_validate_from_the_shell(tmp_path: Path) -> None:
    good = write(tmp_path / "good.toml", MINIMAL)
    bad = write(tmp_path / "bad.toml", MINIMAL.replace('version = "1.0"', "version = 1.0"))
    ok = run_app("validate", str(good), cwd=tmp_path, home=tmp_path)
    assert ok.returncode == 0 and ok.stdout == ""
    failed = run_app("validate", str(bad), cwd=tmp_path, home=tmp_path)
    assert failed.returncode == 1
    assert failed.stdout.splitlines() == [f"{bad}:3: meta.version: expected text, got a decimal number"]


def test_help_and_version(tmp_path: Path) -> None:
    from cma_desktop import __version__

    help_result = run_app("--help", cwd=tmp_path, home=tmp_path)
    assert help_result.returncode == 0
    for option in ("--data-dir", "--content", "--screenshot", "--tab", "--size", "validate"):
        assert option in help_result.stdout
    version = run_app("--version", cwd=tmp_path, home=tmp_path)
    assert version.returncode == 0 and __version__ in version.stdout

