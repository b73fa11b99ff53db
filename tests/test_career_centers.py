"""Career centers and lab computers: content packs, admin policy, portable mode, shared machines."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QPalette

from cma_desktop.content.loader import load_with_packs
from cma_desktop.locations import (
    bundled_content_path,
    choose_data_dir,
    content_pack_paths,
    policy_paths,
    portable_data_dir,
    site_pack_paths,
)
from cma_desktop.policy import load_policy
from cma_desktop.store.notes_store import NOTEBOOK_KEY, NotesStore
from tests.conftest import write

LOCAL_PACK = '''
[center]
name = "Lakeside Career Center"
contact = "Room 114, 200 Main St. Call (555) 010-2000 or write to careers@lakeside.example."

[[programs]]
id = "lakeside-ma-certificate"
name = "Medical Assisting Certificate, Lakeside Community College"
place = "Lakeside campus, evenings"
accreditation = "CAAHEP"
length = "11 months including a 160-hour practicum"
cost = "About $4,800 before aid"
contact = "health-programs@lakeside.example"

[[sources]]
id = "lakeside-wage-survey"
title = "Lakeside County wage survey"
publisher = "Lakeside Workforce Board"
url = "https://workforce.lakeside.example/wages"
year = 2025

[[local_wages]]
id = "lakeside-median"
label = "Median hourly pay for medical assistants"
value = "$21.40"
data_year = 2024
source = "lakeside-wage-survey"
area = "Lakeside County"

[[duties]]
id = "vital-signs"
title = "Vital signs, the Lakeside way"
category = "clinical"
summary = "Our clinics' own routine."
body = "Taught in week two of the certificate."
sources = ["bls-ooh"]
'''


def system_dirs(tmp_path: Path) -> tuple[Path, Path]:
    """Two system configuration folders, as XDG_CONFIG_DIRS lists them: the first matters most."""
    first, second = tmp_path / "etc-xdg-site", tmp_path / "etc-xdg"
    for folder in (first, second):
        (folder / "cma-desktop" / "content.d").mkdir(parents=True)
    return first, second


def test_pack_order_is_system_folders_then_environment_then_command_line(tmp_path: Path) -> None:
    first, second = system_dirs(tmp_path)
    a = write(second / "cma-desktop" / "content.d" / "10-district.toml", "")
    b = write(second / "cma-desktop" / "content.d" / "20-school.toml", "")
    c = write(first / "cma-desktop" / "content.d" / "10-lab.toml", "")
    write(first / "cma-desktop" / "content.d" / "._10-lab.toml", "")  # macOS's companion file: no pack
    write(first / "cma-desktop" / "content.d" / ".#20-lab.toml", "")  # an editor's lock: no pack
    env_pack, cli_pack = tmp_path / "env.toml", tmp_path / "cli.toml"
    packs = content_pack_paths([str(cli_pack)], {"CMA_DESKTOP_CONTENT": str(env_pack)}, site_pack_paths([first, second])[0])
    assert packs == [a, b, c, env_pack, cli_pack]


def test_a_packs_folder_the_user_may_not_read_is_named_in_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, _second = system_dirs(tmp_path)
    folder = first / "cma-desktop" / "content.d"
    write(folder / "10-lab.toml", "")

    real_scandir = os.scandir

    def refused(path: Any) -> Any:  # what a folder with mode 0700 owned by root gives a student
        if Path(path) == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refused)
    packs, warnings = site_pack_paths([first])
    assert packs == [folder] and warnings == []
    content, skipped = load_with_packs(bundled_content_path(), packs)
    monkeypatch.undo()
    assert content.duties and [str(p) for p in skipped] == [
        f"{folder}:1: the packs in this folder cannot be read: Permission denied"]


@pytest.mark.skipif(os.name != "posix", reason="file modes and owners are POSIX's")
def test_policy_and_packs_others_could_have_written_are_ignored_with_a_warning(tmp_path: Path) -> None:
    """A policy or pack anyone can edit would let one student switch off export or change what
    everyone reads; the app leaves it out and says why."""
    first, second = system_dirs(tmp_path)
    policy = write(first / "cma-desktop" / "policy.toml", "allow_export = false\n")
    os.chmod(policy, 0o666)
    trusted = write(second / "cma-desktop" / "policy.toml", 'theme = "dark"\n')
    loaded, warnings = load_policy(policy_paths([first, second]))
    assert loaded.allow_export and loaded.theme == "dark"  # the safe file still counts
    assert warnings == [f"{policy}:1: {policy} can be changed by other users (it is writable by its group or by everyone), "
                        "so anyone could change the rules for every user; the policy file was ignored"]
    os.chmod(policy, 0o644)
    os.chmod(policy.parent, 0o777)
    loaded, warnings = load_policy(policy_paths([first]))
    assert loaded.allow_export and len(warnings) == 1 and f"{policy.parent} can be changed" in warnings[0]
    os.chmod(policy.parent, 0o755)

    pack = write(first / "cma-desktop" / "content.d" / "10-lab.toml", "")
    kept = write(second / "cma-desktop" / "content.d" / "10-district.toml", "")
    os.chmod(pack, 0o646)
    packs, warnings = site_pack_paths([first, second])
    assert packs == [kept] and len(warnings) == 1 and warnings[0].startswith(f"{pack}: not loaded: {pack} can be changed")
    assert trusted.exists()
    write(pack, LOCAL_PACK)
    os.chmod(pack, 0o646)
    checked = subprocess.run([sys.executable, "-m", "cma_desktop", "validate", str(pack)], capture_output=True, text=True,
                             timeout=60)  # validate says so before the students see the warning
    assert checked.returncode == 1 and f"{pack}:1: the app will not load this pack from here: {pack} can be changed" in checked.stdout


@pytest.mark.skipif(os.name != "posix" or os.getuid() != 0, reason="giving a folder to another user takes root")
def test_a_data_folder_another_user_made_is_not_used_for_saving(tmp_path: Path) -> None:
    """With data_dir = "/srv/cma/$USER", another student can make a classmate's folder first; the
    notes saved there would be theirs to read or change."""
    from cma_desktop.views.single_instance import lock_data_dir

    folder = tmp_path / "cma-student"
    folder.mkdir(mode=0o777)
    os.chown(folder, 1002, 1002)
    lock = lock_data_dir(folder)
    assert not lock.writable and "belongs to another user (uid 1002)" in lock.why_not_writable
    assert not (folder / "cma-desktop.lock").exists()
    os.chown(folder, os.getuid(), os.getgid())
    lock = lock_data_dir(folder)
    try:
        assert lock.writable and lock.held_by_us
    finally:
        lock.release()


def test_a_later_pack_overrides_by_id_and_adds_local_kinds(tmp_path: Path) -> None:
    pack = write(tmp_path / "local.toml", LOCAL_PACK)
    later = write(tmp_path / "later.toml", LOCAL_PACK.split("[[duties]]")[0].replace("Lakeside Career Center", "Harbor Career Center")
                  .replace("[[programs]]", "[[programs-unused]]").split("[[programs-unused]]")[0])
    content, skipped = load_with_packs(bundled_content_path(), [pack, later])
    assert skipped == []
    assert content.center is not None and content.center.name == "Harbor Career Center"
    assert [p.name for p in content.programs] == ["Medical Assisting Certificate, Lakeside Community College"]
    assert content.find("duties/vital-signs").title == "Vital signs, the Lakeside way"  # type: ignore[union-attr]
    assert content.local_wages[0].value == "$21.40" and content.has_local


def test_a_broken_pack_is_skipped_and_the_rest_loads(tmp_path: Path) -> None:
    good = write(tmp_path / "good.toml", LOCAL_PACK)
    broken = write(tmp_path / "broken.toml", '[[programs]]\nid = "x"\nname = "No place or contact"\n')
    content, skipped = load_with_packs(bundled_content_path(), [broken, good])
    assert content.center is not None  # the good pack loaded
    assert all(p.file == str(broken) for p in skipped) and skipped[0].line == 1
    assert any('missing required key "place"' in p.message for p in skipped)


def test_validate_checks_a_pack_with_the_bundled_content(tmp_path: Path) -> None:
    pack = write(tmp_path / "local.toml", LOCAL_PACK.replace('sources = ["bls-ooh"]', 'sources = ["bls-oohh"]'))
    result = subprocess.run([sys.executable, "-m", "cma_desktop", "validate", str(pack)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and 'cites source "bls-oohh"' in result.stdout and str(pack) in result.stdout


def test_local_tab_appears_with_programs_and_contacts(make_window: Any, tmp_path: Path) -> None:
    content, _ = load_with_packs(bundled_content_path(), [write(tmp_path / "local.toml", LOCAL_PACK)])
    window = make_window(content)
    assert window.tabs.tabText(window.tabs.count() - 1) == "Local" and window.local_tab is not None
    text = window.local_tab.view.toPlainText()
    for expected in ("Lakeside Career Center", "(555) 010-2000", "CAAHEP", "11 months", "$4,800", "$21.40", "2024",
                     "Lakeside County wage survey"):
        assert expected in text
    assert window.show_tab("local")
    plain = make_window()  # without a pack: no Local tab
    assert plain.local_tab is None and "Local" not in [plain.tabs.tabText(i) for i in range(plain.tabs.count())]


def test_contact_details_keep_their_lines(make_window: Any, tmp_path: Path) -> None:
    """An address, a phone number and opening hours written on lines of their own stay on them."""
    pack = LOCAL_PACK.replace(
        'contact = "Room 114, 200 Main St. Call (555) 010-2000 or write to careers@lakeside.example."',
        'contact = """\nRoom 114, 200 Main St.\nPhone: (555) 010-2000\n\nOpen Monday to Friday, 9 to 5\n"""',
    ).replace('contact = "health-programs@lakeside.example"', 'contact = """\nhealth@lakeside.example\n(555) 010-3000\n"""')
    content, skipped = load_with_packs(bundled_content_path(), [write(tmp_path / "local.toml", pack)])
    assert skipped == []
    window = make_window(content)
    lines = window.local_tab.view.toPlainText().splitlines()
    assert "Room 114, 200 Main St." in lines and "Phone: (555) 010-2000" in lines
    assert "Open Monday to Friday, 9 to 5" in lines
    assert "(555) 010-3000" in lines  # the program's contact too, under its list entry
    bullets = []  # ... and it stays one entry: no bullet of its own for each line
    block = window.local_tab.view.document().begin()
    while block.isValid():
        if block.textList() is not None:
            bullets.append(block.text())
        block = block.next()
    contact = next(b for b in bullets if b.startswith("Contact:"))
    assert "health@lakeside.example" in contact and "(555) 010-3000" in contact
    assert not any(b.startswith("(555) 010-3000") for b in bullets)


def test_policy_keys_and_a_bad_policy(tmp_path: Path) -> None:
    first, second = system_dirs(tmp_path)
    write(second / "cma-desktop" / "policy.toml", 'theme = "dark"\nallow_import = false\n')
    write(first / "cma-desktop" / "policy.toml", 'theme = "light"\ndata_dir = "~/cma-$CMA_TEST_USER"\n')
    os.environ["CMA_TEST_USER"] = "kim"
    try:
        policy, warnings = load_policy(policy_paths([first, second]))
        chosen = choose_data_dir("/from/flag", lambda: Path("/default"), {}, policy_dir=policy.data_dir)
    finally:
        del os.environ["CMA_TEST_USER"]
    assert warnings == []
    assert (policy.theme, policy.allow_import, policy.allow_export) == ("light", False, True)  # the first folder wins
    assert chosen.origin == "policy" and chosen.path == Path("~/cma-kim").expanduser()

    write(first / "cma-desktop" / "policy.toml", 'theme = "purple"\nephemral = true\nallow_export = "no"\n')
    policy, warnings = load_policy(policy_paths([first, second]))
    assert policy.theme == "dark"  # the bad key is ignored; the other folder's theme still applies
    assert any(':1: "theme" must be one of system, light, dark; it was ignored' in w for w in warnings)
    assert any(':2: unknown policy key "ephemral"' in w for w in warnings)
    assert policy.allow_export is False  # the file's other keys still count, a word for false too
    assert any(':3: "allow_export" is read as false; write it without quotes' in w for w in warnings)


def test_one_bad_line_in_a_policy_leaves_the_others_in_force(tmp_path: Path) -> None:
    """A typo in theme never switches off ephemeral or allow_export, even one the TOML reader trips on."""
    first, _second = system_dirs(tmp_path)
    write(first / "cma-desktop" / "policy.toml", "ephemeral = true\nallow_export = false\ntheme = dark\n")
    policy, warnings = load_policy(policy_paths([first]))
    assert policy.ephemeral and not policy.allow_export and policy.theme is None
    assert len(warnings) == 1 and ":3: syntax error" in warnings[0] and "this line was ignored" in warnings[0]
    write(first / "cma-desktop" / "policy.toml", 'allow_import = false\n\n[policy]\nephemeral = true\n')
    policy, warnings = load_policy(policy_paths([first]))
    assert not policy.allow_import and not policy.ephemeral
    assert len(warnings) == 1 and ":3: [policy] starts a table" in warnings[0] and "ephemeral inside it" in warnings[0]
    # read line by line (another line has a syntax error): a key set twice keeps its first value, and says so
    write(first / "cma-desktop" / "policy.toml", "ephemeral = true\nephemeral = false\ntheme = dark\n[guest]\nallow_export = false\n")
    policy, warnings = load_policy(policy_paths([first]))
    assert policy.ephemeral and policy.allow_export
    assert any(":2: ephemeral is set twice" in w for w in warnings)
    assert any(":4: [guest] starts a table" in w and "allow_export inside it" in w for w in warnings)
    write(first / "cma-desktop" / "policy.toml", "allow_export = false\nguest.ephemeral = true\n")
    policy, warnings = load_policy(policy_paths([first]))
    assert not policy.allow_export and len(warnings) == 1 and ":2: [guest] starts a table" in warnings[0]


def test_a_list_of_tables_in_a_broken_policy_is_ignored_with_a_warning(tmp_path: Path) -> None:
    """A syntax error sends the file to be read line by line, where [[lab]] stopped every start."""
    first, _second = system_dirs(tmp_path)
    write(first / "cma-desktop" / "policy.toml", '[[lab]]\ntheme = "dark"\nallow_export = no\n')
    policy, warnings = load_policy(policy_paths([first]))
    assert policy.theme is None and policy.allow_export  # inside the table: not policy keys
    assert any(":1: [[lab]] starts a table" in w for w in warnings)
    assert any(":3: syntax error" in w for w in warnings)
    write(first / "cma-desktop" / "policy.toml", '[[lab]]\ntheme = "dark"\n')  # the same, as valid TOML
    policy, warnings = load_policy(policy_paths([first]))
    assert policy.theme is None and len(warnings) == 1 and "[[lab]] starts a table" in warnings[0]


def test_spaces_around_a_data_dir_are_not_part_of_it(tmp_path: Path) -> None:
    first, _second = system_dirs(tmp_path)
    write(first / "cma-desktop" / "policy.toml", 'data_dir = " ~/cma-notes "\n')
    policy, warnings = load_policy(policy_paths([first]))
    assert warnings == [] and policy.data_dir == "~/cma-notes"


@pytest.mark.parametrize("data_dir", ["/var/lib/cma/$CMA_NOT_SET_ANYWHERE", "cma-data", "  ", "/srv/cma/shared",
                                      "~root/cma", "~/../shared", "$HOME/../shared", "/srv/$SHELL",
                                      "~/cma\\u0000x"])
def test_a_data_dir_every_user_would_share_or_that_depends_on_the_start_folder_is_ignored(tmp_path: Path,
                                                                                          data_dir: str) -> None:
    first, _second = system_dirs(tmp_path)
    write(first / "cma-desktop" / "policy.toml", f'data_dir = "{data_dir}"\nephemeral = true\n')
    policy, warnings = load_policy(policy_paths([first]))
    assert policy.data_dir is None and policy.ephemeral  # the guest-session rule still holds
    assert len(warnings) == 1 and ':1: "data_dir"' in warnings[0] and "it was ignored" in warnings[0]


def test_a_data_dir_in_the_login_sessions_runtime_folder_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Per user, but emptied at every log-out: notes kept there would be lost without a word."""
    monkeypatch.setenv("XDG_RUNTIME_DIR", "/run/user/1000")
    first, _second = system_dirs(tmp_path)
    write(first / "cma-desktop" / "policy.toml", 'data_dir = "$XDG_RUNTIME_DIR/cma"\n')
    policy, warnings = load_policy(policy_paths([first]))
    assert policy.data_dir is None and len(warnings) == 1 and "same folder for every user" in warnings[0]
    write(first / "cma-desktop" / "policy.toml", 'data_dir = "/srv/cma/$USER"\n')
    monkeypatch.setenv("USER", "ann")
    policy, warnings = load_policy(policy_paths([first]))
    assert policy.data_dir == "/srv/cma/$USER" and warnings == []


def test_policy_wins_over_user_settings(make_window: Any, qapp: Any) -> None:
    from cma_desktop.policy import Policy
    from cma_desktop.views.main_window import MainWindow

    user = make_window()
    user.theme_actions["dark"].trigger()  # the user's own choice, saved
    user.close()
    window = make_window()
    policy = Policy(theme="light", allow_export=False, allow_import=False)
    window.theme.apply(policy.theme or window.theme.current)
    locked = MainWindow(window.content, window.settings, window.theme, window.zoom, policy=policy)
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 128
    assert not any(action.isEnabled() for action in locked.theme_actions.values())
    assert not locked.export_action.isEnabled() and not locked.import_action.isEnabled()
    locked.close()
    guest = MainWindow(window.content, window.settings, window.theme, window.zoom,
                       policy=Policy(ephemeral=True, allow_export=False))
    assert "Export" not in guest.notice.text() and "deleted" in guest.notice.text()  # no advice it cannot follow
    guest.close()


def test_portable_marker_keeps_data_beside_the_app(tmp_path: Path) -> None:
    assert portable_data_dir(tmp_path) is None
    (tmp_path / "portable").write_text("", encoding="utf-8")
    assert portable_data_dir(tmp_path) == tmp_path / "cma-desktop-data"
    chosen = choose_data_dir(None, lambda: Path("/home/x/.local/share"), {}, portable_dir=portable_data_dir(tmp_path))
    assert chosen.origin == "portable" and chosen.path == tmp_path / "cma-desktop-data"
    assert choose_data_dir("/explicit", lambda: Path("/d"), {}, portable_dir=tmp_path / "p").origin == "command line"


def lab_env(tmp_path: Path, policy: str = "") -> dict[str, str]:
    first, _second = system_dirs(tmp_path) if not (tmp_path / "etc-xdg-site").exists() else (tmp_path / "etc-xdg-site", None)
    if policy:
        write(first / "cma-desktop" / "policy.toml", policy)
    (tmp_path / "tmp").mkdir(exist_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path / "home"), "TMPDIR": str(tmp_path / "tmp"),
           "XDG_CONFIG_HOME": str(tmp_path / "home" / ".config"), "XDG_DATA_HOME": str(tmp_path / "home" / ".local"),
           "XDG_CACHE_HOME": str(tmp_path / "home" / ".cache"), "XDG_CONFIG_DIRS": f"{tmp_path / 'etc-xdg-site'}{os.pathsep}{tmp_path / 'etc-xdg'}"}
    env.pop("CMA_DESKTOP_DATA_DIR", None)
    env.pop("CMA_DESKTOP_CONTENT", None)
    env.pop("XDG_RUNTIME_DIR", None)  # guest folders then go to TMPDIR, which the tests look into
    return env


def test_site_packs_and_policy_reach_the_app(tmp_path: Path) -> None:
    env = lab_env(tmp_path, 'theme = "dark"\n')
    write(tmp_path / "etc-xdg" / "cma-desktop" / "content.d" / "local.toml", LOCAL_PACK)
    write(tmp_path / "etc-xdg-site" / "cma-desktop" / "content.d" / "broken.toml", "[[programs]]\nid = 'x'\n")
    shot = tmp_path / "local.png"
    result = subprocess.run([sys.executable, "-m", "cma_desktop", "--screenshot", str(shot), "--tab", "local",
                             "--size", "800x600"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "broken.toml:1:" in result.stderr and "Skipped because of the problems below" in result.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    samples = sorted(image.pixelColor(x, y).lightness() for x in range(0, 800, 40) for y in range(0, 600, 40))
    assert samples[len(samples) // 2] < 100  # the policy's dark theme


def test_guest_session_is_wiped_at_exit(tmp_path: Path) -> None:
    env = lab_env(tmp_path, "ephemeral = true\n")
    script = (
        "import sys, argparse\n"
        "from cma_desktop.views import application\n"
        "from PySide6.QtCore import QSettings\n"
        "def session(app, window, warnings):\n"
        "    window.store.save_note('notebook', 'Notebook', 'guest note')\n"
        "    window.save_state()\n"
        "    dialogs = QSettings(QSettings.Scope.UserScope, 'QtProject')  # where Qt's file dialogs keep recent folders\n"
        "    dialogs.setValue('FileDialog/history', ['/home/guest/private-exports'])\n"
        "    dialogs.sync()\n"
        "    print('NOTICE', window.notice.isVisibleTo(window), window.notice.text())\n"
        "    print('DATA', window.data_dir_text)\n"
        "    return 0\n"
        "application._run_window = session\n"
        "args = argparse.Namespace(screenshot=None, content=[], data_dir=None, theme=None, tab=None, size=None)\n"
        "sys.exit(application.run(args))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
                            cwd=Path(__file__).resolve().parent.parent)
    assert result.returncode == 0, result.stderr
    assert "NOTICE True This is a guest session" in result.stdout
    data_dir = Path(result.stdout.split("DATA ", 1)[1].strip())
    assert data_dir.name.startswith("cma-desktop-guest-") and data_dir.parent == tmp_path / "tmp"
    assert not data_dir.exists()  # wiped at exit
    assert list((tmp_path / "tmp").iterdir()) == []
    assert not (tmp_path / "home" / ".cache").exists()  # not even a copy of the content stays behind
    assert not (tmp_path / "home" / ".config").exists()  # nor window settings or the file dialogs' recent folders


SESSION_UNTIL_SIGNALLED = (
    "import sys, argparse\n"
    "from PySide6.QtCore import QTimer\n"
    "from cma_desktop.views import application\n"
    "original = application._run_window\n"
    "def session(app, window, warnings):\n"
    "    window.toggle_notes()\n"
    "    window.notes_dock.editor.setPlainText('typed just before logging out')\n"
    "    QTimer.singleShot(0, lambda: print('READY', window.data_dir_text, flush=True))  # the loop runs\n"
    "    return original(app, window, warnings)\n"
    "application._run_window = session\n"
    "args = argparse.Namespace(screenshot=None, content=[], data_dir=sys.argv[1] or None, theme=None, tab=None, size=None)\n"
    "sys.exit(application.run(args))\n"
)


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX log-out signals")
@pytest.mark.parametrize("ending", ["SIGTERM", "SIGHUP"])
def test_logging_out_saves_the_note_and_wipes_a_guest_session(tmp_path: Path, ending: str) -> None:
    env = lab_env(tmp_path, "ephemeral = true\n")
    stale = tmp_path / "tmp" / "cma-desktop-guest-killed"  # what a guest session killed outright left behind
    stale.mkdir(parents=True)
    (stale / "notes.sqlite3").write_text("the last guest's notes", encoding="utf-8")
    starting = tmp_path / "tmp" / "cma-desktop-guest-starting"  # another copy starting this very moment
    starting.mkdir()
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))

    def session(data_dir: str = "") -> tuple[Path, int]:
        process = subprocess.Popen([sys.executable, "-c", SESSION_UNTIL_SIGNALLED, data_dir], env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   cwd=Path(__file__).resolve().parent.parent)
        assert process.stdout is not None
        ready = process.stdout.readline()
        assert ready.startswith("READY"), process.stderr.read() if process.stderr else ready
        process.send_signal(getattr(signal, ending))
        status = process.wait(timeout=60)
        assert process.stderr is not None and "Traceback" not in process.stderr.read()
        return Path(ready.split(" ", 1)[1].strip()), status

    guest_folder, status = session()
    assert not stale.exists()  # swept at the start of the next guest session
    assert starting.exists()  # too new to judge: its copy may be about to lock it
    assert status == 0 and not guest_folder.exists()  # wiped although the app never saw its window closed
    (tmp_path / "etc-xdg" / "cma-desktop" / "policy.toml").unlink(missing_ok=True)
    (tmp_path / "etc-xdg-site" / "cma-desktop" / "policy.toml").unlink(missing_ok=True)
    own_folder, status = session(str(tmp_path / "data"))
    assert status == 0
    store = NotesStore(own_folder, read_only=True)
    assert store.note(NOTEBOOK_KEY).body == "typed just before logging out"  # type: ignore[union-attr]


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX hang-up signal")
def test_a_copy_started_with_nohup_keeps_running_after_a_hang_up(tmp_path: Path) -> None:
    env = lab_env(tmp_path)
    launcher = ("import os, signal, sys\n"
                "signal.signal(signal.SIGHUP, signal.SIG_IGN)  # what nohup does; the app it becomes inherits it\n"
                "os.execv(sys.executable, [sys.executable, '-c', sys.argv[1], sys.argv[2]])\n")
    process = subprocess.Popen([sys.executable, "-c", launcher, SESSION_UNTIL_SIGNALLED, str(tmp_path / "data")], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=Path(__file__).resolve().parent.parent)
    assert process.stdout is not None and process.stdout.readline().startswith("READY")
    process.send_signal(signal.SIGHUP)
    time.sleep(1)
    still_running = process.poll() is None
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0 and still_running


def test_guest_folders_go_where_logging_out_empties_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cma_desktop.locations import guest_folder_base

    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert guest_folder_base() == tmp_path
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "missing"))
    assert guest_folder_base() == Path(tempfile.gettempdir())


def test_a_killed_guest_sessions_folder_is_wiped_at_once_by_the_next_start(tmp_path: Path) -> None:
    """However recently it was saved to: its lock names a process that is gone."""
    from PySide6.QtCore import QSysInfo

    from cma_desktop.views.guest_session import GUEST_PREFIX, sweep_stale_guest_folders
    from cma_desktop.views.single_instance import LOCK_NAME, lock_data_dir

    killed = tmp_path / f"{GUEST_PREFIX}killed"
    killed.mkdir()
    write(killed / "notes.sqlite3", "a note saved a second ago")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    write(killed / LOCK_NAME, f"{dead}\ncma-desktop\n{QSysInfo.machineHostName()}\n")
    starting = tmp_path / f"{GUEST_PREFIX}starting"  # made this instant, not locked yet
    starting.mkdir()
    running = tmp_path / f"{GUEST_PREFIX}running"
    lock = lock_data_dir(running)
    try:
        assert sweep_stale_guest_folders(tmp_path) == [killed]
        assert starting.exists() and running.exists() and not killed.exists()
    finally:
        lock.release()


def test_an_empty_lock_file_left_by_a_power_cut_does_not_lock_the_user_out(tmp_path: Path) -> None:
    from cma_desktop.views.single_instance import LOCK_NAME, lock_data_dir

    lock_file = tmp_path / LOCK_NAME
    lock_file.write_bytes(b"")
    just_now = lock_data_dir(tmp_path)  # a copy may be writing its details into it this instant
    assert not just_now.held_by_us
    an_hour_ago = time.time() - 3600
    os.utime(lock_file, (an_hour_ago, an_hour_ago))
    lock = lock_data_dir(tmp_path)
    try:
        assert lock.held_by_us and lock_file.stat().st_size > 0  # ours now, with our details
    finally:
        lock.release()


def test_policy_switches_off_export_on_the_command_line(tmp_path: Path) -> None:
    env = lab_env(tmp_path, 'theme = "Dark"\nallow_export = false\nallow_import = false\n')  # a typo beside the rule
    export = subprocess.run([sys.executable, "-m", "cma_desktop", "export-notes", str(tmp_path / "n.md")], env=env,
                            capture_output=True, text=True, timeout=60)
    assert export.returncode == 1 and "switched off on this computer" in export.stderr
    assert '"theme" must be one of' in export.stderr  # the administrator hears of the typo here too
    assert not (tmp_path / "n.md").exists()


def test_validate_checks_a_policy_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cma_desktop.cli import main

    policy = write(tmp_path / "policy.toml", 'theme = "Dark"\nallow_export = false\n')
    assert main(["validate", str(policy)]) == 1
    assert capsys.readouterr().out == f'{policy}:1: "theme" must be one of system, light, dark; it was ignored\n'
    write(policy, "allow_export = false\ntheme =\n")
    assert main(["validate", str(policy)]) == 1
    assert capsys.readouterr().out.startswith(f"{policy}:2: syntax error at column 8: ")  # FILE:LINE like every problem
    write(policy, "allow_export = false\n")
    assert main(["validate", str(policy)]) == 0


def test_a_policy_folder_the_user_may_not_read_is_a_warning(tmp_path: Path) -> None:
    first, _second = system_dirs(tmp_path)
    locked = first / "cma-desktop" / "policy.toml"
    write(locked, "ephemeral = true\n")
    real_is_file = Path.is_file

    def refused(path: Path) -> bool:  # what a folder with mode 0700 owned by root gives a student
        if path == locked:
            raise PermissionError(13, "Permission denied")
        return real_is_file(path)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "is_file", refused)
        patch.setattr(Path, "stat", lambda self, **_k: (_ for _ in ()).throw(PermissionError(13, "Permission denied")))
        policy, warnings = load_policy(policy_paths([first]))
    assert policy.ephemeral is False and len(warnings) == 1 and "cannot be read" in warnings[0]


def test_a_second_copy_on_the_same_data_folder_says_the_app_is_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from cma_desktop.views import application

    env = lab_env(tmp_path)
    data = tmp_path / "data"
    first = subprocess.Popen([sys.executable, "-m", "cma_desktop", "--data-dir", str(data)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    try:
        deadline = time.monotonic() + 60
        while not (data / "cma-desktop.lock").exists():
            assert first.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        args = argparse.Namespace(screenshot=None, content=[], data_dir=str(data), theme=None, tab=None, size=None)
        assert application.run(args) == 1  # a second window: refused, with a message
        assert shown and "already open" in shown[-1] and "process" in shown[-1] and "cma-desktop.lock" in shown[-1]
        # a screenshot only reads, so it works while the app is open and changes nothing
        before = sorted(p.name for p in data.iterdir())
        shot = subprocess.run([sys.executable, "-m", "cma_desktop", "--data-dir", str(data), "--screenshot",
                               str(tmp_path / "x.png")], env=env, capture_output=True, text=True, timeout=60)
        assert shot.returncode == 0, shot.stderr
        assert sorted(p.name for p in data.iterdir()) == before
        empty_export = tmp_path / "nothing.json"
        empty_export.write_text('{"format": "cma-desktop-notes", "version": 1, "notes": []}', encoding="utf-8")
        imported = subprocess.run([sys.executable, "-m", "cma_desktop", "import-notes", "--data-dir", str(data),
                                   str(empty_export)], env=env, capture_output=True, text=True, timeout=60)
        assert imported.returncode == 1 and "Close it first" in imported.stderr
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=30)
    # a copy that died leaves a stale lock, which the next start takes over
    again = application.lock_data_dir(data)
    assert again.held_by_us
    again.release()


def test_a_full_data_folder_is_not_mistaken_for_another_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a full disk the lock file cannot be written: no other copy holds the folder, so the app
    opens (the store then says notes are read-only) instead of refusing to start."""
    from PySide6.QtCore import QLockFile

    from cma_desktop.views.single_instance import lock_data_dir

    from cma_desktop.store.notes_store import NotesStore
    from cma_desktop.views.application import _open_store

    earlier = NotesStore(tmp_path)
    earlier.save_note("notebook", "Notebook", "kept")
    earlier.close()
    monkeypatch.setattr(QLockFile, "tryLock", lambda self, timeout=0: False)
    monkeypatch.setattr(QLockFile, "error", lambda self: QLockFile.LockError.UnknownError)
    monkeypatch.setattr(QLockFile, "getLockInfo", lambda self: (0, "", ""))
    lock = lock_data_dir(tmp_path)
    assert lock.held_by_us and lock.holder == "" and not lock.other_computer
    # but nothing guards the folder, so a second copy could start too: no copy may save there
    assert not lock.writable
    store, message = _open_store(tmp_path, why_unwritable=lock.why_not_writable)
    assert store is not None and store.read_only and [n.body for n in store.notes()] == ["kept"]
    assert not store.read_only_by_choice  # so the window's status bar keeps saying so
    assert f"the data folder {tmp_path} cannot be written" in message
    store.close()
    lock.release()


def test_a_screenshot_reads_notes_without_a_read_only_notice(tmp_path: Path) -> None:
    from cma_desktop.views.application import _open_store

    store, message = _open_store(tmp_path, read_only=True)
    assert store is not None and store.read_only and store.read_only_by_choice and message == ""
    store.close()


def test_a_data_folder_that_cannot_be_created_says_so(tmp_path: Path) -> None:
    from cma_desktop.views.application import _open_store
    from cma_desktop.views.single_instance import lock_data_dir

    blocked = write(tmp_path / "a-file", "") / "notes"  # its parent is a file: no one can create it
    lock = lock_data_dir(blocked)
    assert lock.held_by_us and not lock.writable and lock.why_not_writable.startswith("cannot be created (")
    store, message = _open_store(blocked, why_unwritable=lock.why_not_writable)
    assert store is not None and store.read_only and f"the data folder {blocked} cannot be created (" in message
    assert not store.read_only_by_choice
    store.close()


def test_declining_to_take_over_another_computers_lock_says_so_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from PySide6.QtWidgets import QMessageBox

    from cma_desktop.views import application
    from cma_desktop.views.single_instance import LOCK_NAME

    data = tmp_path / "data"
    data.mkdir()
    (data / LOCK_NAME).write_text("4242\ncma-desktop\nlab-07.example\n", encoding="utf-8")
    asked: list[str] = []
    monkeypatch.setattr(application, "_ask_take_over", lambda folder, holder: asked.append(holder) or False)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: pytest.fail(f"a second dialog: {box.text()}"))
    args = argparse.Namespace(screenshot=None, content=[], data_dir=str(data), theme=None, tab=None, size=None)
    assert application.run(args) == 1
    assert asked == ["process 4242 on lab-07.example"]
    message = capsys.readouterr().err
    assert "was not opened: your data folder" in message and "lab-07.example" in message and "crashed" not in message


def test_a_take_over_that_fails_is_explained_in_a_dialog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The user chose "Open here anyway", but the other computer still holds the lock."""
    from PySide6.QtWidgets import QMessageBox

    from cma_desktop.views import application
    from cma_desktop.views.single_instance import DataDirLock

    held_elsewhere = DataDirLock(None, "process 4242 on lab-07.example", other_computer=True)
    monkeypatch.setattr(application, "lock_data_dir", lambda folder, take_over=False: held_elsewhere)
    monkeypatch.setattr(application, "_ask_take_over", lambda folder, holder: True)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    args = argparse.Namespace(screenshot=None, content=[], data_dir=str(tmp_path / "data"), theme=None, tab=None, size=None)
    assert application.run(args) == 1
    assert len(shown) == 1 and "is already open" in shown[0] and "lab-07.example" in shown[0]


def test_a_lock_from_another_computer_can_be_taken_over(tmp_path: Path) -> None:
    from cma_desktop.views.single_instance import LOCK_NAME, lock_data_dir

    tmp_path.mkdir(exist_ok=True)
    (tmp_path / LOCK_NAME).write_text("4242\ncma-desktop\nlab-07.example\n", encoding="utf-8")
    held = lock_data_dir(tmp_path)
    assert not held.held_by_us and held.other_computer and held.holder == "process 4242 on lab-07.example"
    taken = lock_data_dir(tmp_path, take_over=True)
    assert taken.held_by_us
    taken.release()


def test_screenshot_on_a_fresh_machine_creates_no_user_data(tmp_path: Path) -> None:
    env = lab_env(tmp_path)
    result = subprocess.run([sys.executable, "-m", "cma_desktop", "--screenshot", str(tmp_path / "x.png")], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "home" / ".local").exists()


def test_clear_my_data_removes_everything_after_asking(make_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window(data_dir=tmp_path)
    store = window.store
    store.save_note("notebook", "Notebook", "private thought")
    window.set_bookmark("duties/vital-signs", "Vital signs", True)
    window.show_tab("study")
    progress = window.study_tab.quiz.progress
    session = progress.start_session("quick")
    progress.record_answer(session, "q-x", "career", "a", False)
    assert store.backup_if_changed() is not None

    answers = iter(["cancel"])
    monkeypatch.setattr(window, "_ask_clear", lambda: next(answers))
    assert not window.clear_my_data()
    assert store.note("notebook") is not None  # cancelled: nothing changed

    exported: list[bool] = []
    monkeypatch.setattr(window, "export_notes", lambda: exported.append(True))
    answers = iter(["export", "clear"])
    assert window.clear_my_data()
    assert exported == [True]  # the export was offered and taken first
    assert store.notes() == [] and store.bookmarks() == [] and progress.last_results() == {}
    assert store.backups() == []
    assert b"private thought" not in store.path.read_bytes()  # not left in the file's free pages
    assert not window.topic_tabs["duties"].model.bookmarked_keys()


def test_content_copy_stays_beside_a_portable_install_and_nowhere_for_guests(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from cma_desktop.views import application

    monkeypatch.setattr(application, "app_dir", lambda: tmp_path)
    from cma_desktop.locations import content_cache_file, content_cache_for

    assert content_cache_for(True, application.portable_data_dir(application.app_dir())) is None
    assert content_cache_for(False, application.portable_data_dir(application.app_dir())) == content_cache_file()  # installed
    (tmp_path / "portable").write_text("", encoding="utf-8")
    assert content_cache_for(False, application.portable_data_dir(application.app_dir())) == (
        tmp_path / "cma-desktop-data" / "cache" / "content.pickle")


def test_a_backup_still_being_written_does_not_outlive_clear_my_data(make_window: Any, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from cma_desktop.store.notes_store import PendingBackup

    window = make_window(data_dir=tmp_path)
    window.store.save_note("notebook", "Notebook", "private thought")
    copying, finish = threading.Event(), threading.Event()

    def slow_write(backup: PendingBackup) -> int | None:
        data = backup.source.read_bytes()  # the copy is taken now...
        copying.set()
        finish.wait(5)  # ...and would land only later, as a large store's does, unless called off
        if backup.cancel.is_set():
            return None
        backup.target.parent.mkdir(exist_ok=True)
        backup.target.write_bytes(data)
        return 1

    monkeypatch.setattr(PendingBackup, "write", slow_write)
    assert window.backups.start() and copying.wait(5)
    monkeypatch.setattr(window, "_ask_clear", lambda: "clear")
    threading.Timer(0.2, finish.set).start()  # the copy lands while Clear my data waits for it
    assert window.clear_my_data()
    finish.set()
    window.backups.wait()
    assert window.store.backups() == []
    assert not any(b"private thought" in f.read_bytes() for f in tmp_path.rglob("*") if f.is_file())


def test_backups_run_off_the_ui_thread_and_are_recorded(make_window: Any, qtbot: Any, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from cma_desktop.store.notes_store import PendingBackup

    window = make_window(data_dir=tmp_path)
    window.store.save_note("notebook", "Notebook", "worth keeping")
    threads: list[str] = []
    real_write = PendingBackup.write

    def recording_write(backup: PendingBackup) -> int | None:
        threads.append(threading.current_thread().name)
        return real_write(backup)

    monkeypatch.setattr(PendingBackup, "write", recording_write)
    assert window.backups.start()
    qtbot.waitUntil(lambda: not window.backups.running, timeout=5000)  # finished, back on the UI thread
    assert threads == ["notes-backup"]
    assert len(window.store.backups()) == 1 and window.store.prepare_backup() is None  # recorded: nothing new to copy
