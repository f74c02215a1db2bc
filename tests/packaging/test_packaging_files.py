"""The desktop-integration files pass their platforms' validators: the Linux .desktop file and
AppStream metainfo, the Windows installer script (compiled by makensis, which runs on Linux),
and the icon set. The tools come from Debian packages that .ci/run installs."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (.ci/run installs it with apt)")
    return found


def test_the_desktop_file_is_valid() -> None:
    desktop = PACKAGING / "linux" / "helpdesk-desktop.desktop"
    done = subprocess.run([_tool("desktop-file-validate"), str(desktop)], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr
    text = desktop.read_text(encoding="utf-8")
    # The window says it belongs to this file (QGuiApplication.setDesktopFileName).
    from helpdesk_desktop.ui.app import DESKTOP_FILE_NAME
    assert desktop.stem == DESKTOP_FILE_NAME and "Icon=helpdesk-desktop" in text


def test_the_appstream_metainfo_is_valid() -> None:
    metainfo = next((PACKAGING / "linux").glob("*.metainfo.xml"))
    done = subprocess.run([_tool("appstreamcli"), "validate", "--no-net", str(metainfo)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_windows_installer_script_compiles(tmp_path: Path) -> None:
    # A stand-in for the PyInstaller folder: the script's own logic is what is checked.
    source = tmp_path / "helpdesk-desktop"
    (source / "_internal").mkdir(parents=True)
    for name in ("helpdesk-desktop.exe", "helpdesk-desktop-cli.exe", "_internal/base.dll"):
        (source / name).write_bytes(b"MZ stand-in")
    out = tmp_path / "HelpDeskDesktop-0.1.0-installer.exe"
    done = subprocess.run([_tool("makensis"), "-WX", "-V2", "-DVERSION=0.1.0",
                           f"-DSOURCE={source}", f"-DOUTFILE={out}", "installer.nsi"],
                          cwd=PACKAGING / "windows", capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert out.read_bytes()[:2] == b"MZ"
    script = (PACKAGING / "windows" / "installer.nsi").read_text(encoding="utf-8")
    assert "RequestExecutionLevel user" in script and "$LOCALAPPDATA\\Programs" in script
    uninstall = script[script.index('Section "Uninstall"'):]
    # The uninstaller removes the program, never the data folder.
    assert "RMDir /r \"$INSTDIR\\_internal\"" in uninstall
    assert "RMDir /r \"$INSTDIR\"" not in uninstall and "${APP_ID}\"" not in \
        uninstall.replace('"Software\\${APP_ID}"', "")
    # Nor the settings: QSettings keeps them in HKCU\Software\<organization>\<application>,
    # inside the key where the installer notes its folder.
    from helpdesk_desktop.ui.app import APPLICATION, ORGANIZATION
    assert '!define APP_ID "' + ORGANIZATION + '"' in script
    assert '!define APP_NAME "' + APPLICATION + '"' in script
    deleted_keys = [line.split(None, 1)[1] for line in uninstall.splitlines()
                    if line.strip().startswith("DeleteRegKey")]
    assert 'HKCU "Software\\${APP_ID}"' not in deleted_keys, "deletes the user's settings"
    assert '/ifempty HKCU "Software\\${APP_ID}"' in deleted_keys


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", header[16:24])


def test_every_icon_size_is_there() -> None:
    hicolor = PACKAGING / "linux" / "icons" / "hicolor"
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert _png_size(hicolor / f"{size}x{size}" / "apps" / "helpdesk-desktop.png") == \
            (size, size)
    master = (ROOT / "resources" / "icons" / "helpdesk-desktop.svg").read_bytes()
    assert (hicolor / "scalable" / "apps" / "helpdesk-desktop.svg").read_bytes() == master
    assert (ROOT / "helpdesk_desktop" / "assets" / "icons" / "app.svg").read_bytes() == master
    ico = (PACKAGING / "windows" / "helpdesk-desktop.ico").read_bytes()
    assert ico[:4] == b"\x00\x00\x01\x00" and struct.unpack("<H", ico[4:6])[0] >= 6
    assert (PACKAGING / "macos" / "helpdesk-desktop.icns").read_bytes()[:4] == b"icns"


def test_the_windows_version_resource_is_well_formed() -> None:
    # PyInstaller evaluates the file as one Python expression on Windows (with pefile, which
    # Linux lacks): check here that the spec's filled-in template is one, with the version.
    import ast

    from helpdesk_desktop import __version__
    template = (PACKAGING / "windows" / "version_info.template").read_text(encoding="utf-8")
    parts = (__version__.split(".") + ["0"] * 4)[:4]
    text = template.replace("{version}", __version__).replace("{version_tuple}",
                                                              ", ".join(parts))
    tree = ast.parse(text, mode="eval")
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call)
             and isinstance(n.func, ast.Name)}
    assert {"VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringStruct"} <= calls
    assert f"StringStruct('ProductVersion', '{__version__}')" in text
