"""The MSI: built with wixl from packaging/windows/desk.wxs around a small stand-in bundle, read back with msiinfo.

The table checks take a second or two and run with the normal suite. Installing under Wine (silent install,
upgrade, same-version rebuild, refused downgrade, custom folder, uninstall with and without REMOVEDATA) is
slower and is marked `packaging`, like the NSIS Wine test. Wine checks the package's own logic only: its icacls
does nothing, and it puts all-users shortcuts in the user's Start menu. The MSI around the real bundle is
built in test_bundle.py.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT
from tests.packaging.wine import Wine, wine_prefix

if os.environ.get("SAFEDESK_SKIP_PACKAGING") == "1":
    pytest.skip("SAFEDESK_SKIP_PACKAGING=1", allow_module_level=True)
if shutil.which("wixl") is None or shutil.which("msiinfo") is None:
    pytest.skip("wixl and msiinfo are not installed (apt-get install wixl msitools)", allow_module_level=True)


def _load_build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("safedesk_build_script_msi", ROOT / "packaging" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build_script()
APP: str = build.APP
UPGRADE_CODE = "{81870947-89D4-4691-BE44-2712A713D32E}"  # packaging/windows/desk.wxs: never changes
USERS_SID = "*S-1-5-32-545"


def make_bundle(folder: Path, version: str, *extra: str) -> Path:
    """A stand-in Windows bundle: the two programs, a file in _internal and the named extra files."""
    bundle = folder / APP
    for name in (f"{APP}.exe", "safedesk.exe", "_internal/resources/policies/pack.toml", *extra):
        path = bundle / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"stand-in for {name} {version}".encode())
    return bundle


def make_msi(tmp: Path, version: str, *extra: str) -> Path:
    work = tmp / f"work-{version}-{len(list(tmp.glob('work-*')))}"
    bundle = make_bundle(work / "dist", version, *extra)
    return build.build_msi(bundle, work / f"{APP}-{version}.msi", version=version, work=work)


def table(msi: Path, name: str) -> list[dict[str, str]]:
    """One table of the package as rows of column -> value (msiinfo export: names, types, key, then rows)."""
    # In the package's folder: exporting a table with binary columns (Icon) writes their streams to the cwd.
    done = subprocess.run(
        ["msiinfo", "export", str(msi), name], capture_output=True, text=True, check=True, cwd=msi.parent
    )
    lines = done.stdout.split("\r\n") if "\r\n" in done.stdout else done.stdout.split("\n")
    columns = lines[0].split("\t")
    return [dict(zip(columns, line.split("\t"), strict=False)) for line in lines[3:] if line]


def properties(msi: Path) -> dict[str, str]:
    return {row["Property"]: row["Value"] for row in table(msi, "Property")}


@pytest.fixture(scope="module")
def msi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_msi(tmp_path_factory.mktemp("msi"), "0.1.0")


# -- the tables ---------------------------------------------------------------------------------------------------


def test_product_properties(msi: Path) -> None:
    values = properties(msi)
    assert values["ProductName"] == "Safe Communities Desk"
    assert values["Manufacturer"] == "City of Northampton"
    assert values["ProductVersion"] == "0.1.0"
    assert values["UpgradeCode"] == UPGRADE_CODE
    assert values["ALLUSERS"] == "1"  # per machine
    assert values["ARPPRODUCTICON"] == "desk.ico"  # Apps & features shows the icon
    assert "NEWERVERSIONDETECTED" in values["SecureCustomProperties"].split(";")


def test_every_build_is_a_new_product_of_the_same_family(msi: Path, tmp_path: Path) -> None:
    again = make_msi(tmp_path, "0.1.0")
    assert properties(again)["UpgradeCode"] == properties(msi)["UpgradeCode"]
    assert properties(again)["ProductCode"] != properties(msi)["ProductCode"]


def test_summary_says_64_bit_per_machine(msi: Path) -> None:
    done = subprocess.run(["msiinfo", "suminfo", str(msi)], capture_output=True, text=True, check=True)
    assert "Template: x64;1033" in done.stdout
    assert "Subject: Safe Communities Desk 0.1.0" in done.stdout


def test_directories_program_files_data_and_start_menu(msi: Path) -> None:
    rows = {row["Directory"]: row for row in table(msi, "Directory")}
    assert rows["INSTALLDIR"]["Directory_Parent"] == "ProgramFiles64Folder"
    assert rows["INSTALLDIR"]["DefaultDir"] == "Safe Communities Desk"
    assert rows["DATADIR"]["Directory_Parent"] == "CommonAppDataFolder"
    assert rows["DATADIR"]["DefaultDir"] == "SafeCommunitiesDesk"  # desktop/paths.py's folder
    assert rows["ProgramMenuDir"]["Directory_Parent"] == "ProgramMenuFolder"
    # The bundle's own tree under INSTALLDIR.
    internal = [d for d, row in rows.items() if row["DefaultDir"] == "_internal"]
    assert len(internal) == 1 and rows[internal[0]]["Directory_Parent"] == "INSTALLDIR"


def test_the_data_folder_is_created_and_never_removed(msi: Path) -> None:
    assert {"Directory_": "DATADIR", "Component_": "DataFolder"} in table(msi, "CreateFolder")
    component = next(row for row in table(msi, "Component") if row["Component"] == "DataFolder")
    # No ComponentId: Windows Installer does not register the component, so no uninstall or upgrade removes it.
    assert component["ComponentId"] == ""


def test_every_file_of_the_bundle_is_installed_by_a_64_bit_component(tmp_path: Path) -> None:
    msi = make_msi(tmp_path, "0.1.0", "_internal/PySide6/Qt6Core.dll")
    files = {row["FileName"] for row in table(msi, "File")}
    assert files == {f"{APP}.exe", "safedesk.exe", "pack.toml", "Qt6Core.dll"}
    components = {row["Component"]: row for row in table(msi, "Component")}
    for row in table(msi, "File"):
        component = components[row["Component_"]]
        assert int(component["Attributes"]) & 256, "msidbComponentAttributes64bit"
        assert component["KeyPath"] == row["File"]
        assert component["ComponentId"].startswith("{")


def test_component_guids_are_stable_across_builds(msi: Path, tmp_path: Path) -> None:
    """The same path gets the same component GUID in every build, as Windows Installer's component rules want."""
    again = make_msi(tmp_path, "0.2.0")
    ids = {r["Component"]: r["ComponentId"] for r in table(msi, "Component")}
    ids_again = {r["Component"]: r["ComponentId"] for r in table(again, "Component")}
    file_components = {r["Component_"] for r in table(msi, "File")}
    assert {c: ids[c] for c in file_components} == {c: ids_again[c] for c in file_components}


def test_start_menu_shortcuts_with_the_icon(msi: Path) -> None:
    shortcuts = {row["Shortcut"]: row for row in table(msi, "Shortcut")}
    desk = shortcuts["DeskShortcut"]
    assert desk["Name"] == "Safe Communities Desk"
    assert desk["Directory_"] == "ProgramMenuDir"
    assert desk["Target"] == f"[INSTALLDIR]{APP}.exe"
    assert desk["Icon_"] == "desk.ico"
    selftest = shortcuts["SelfTestShortcut"]
    assert selftest["Target"] == "[System64Folder]cmd.exe"
    assert selftest["Arguments"] == '/k ""[INSTALLDIR]safedesk.exe" --self-test"'
    assert selftest["Icon_"] == "desk.ico"
    assert [row["Name"] for row in table(msi, "Icon")] == ["desk.ico"]
    icon = (ROOT / "resources" / "icons" / "desk.ico").read_bytes()
    assert (msi.parent / "Icon" / "Icon.desk.ico").read_bytes() == icon  # the icon itself, as msiinfo exports it


def test_upgrade_table_replaces_this_and_older_versions_and_detects_newer(msi: Path) -> None:
    rows = table(msi, "Upgrade")
    assert {row["UpgradeCode"] for row in rows} == {UPGRADE_CODE}
    by_property = {row["ActionProperty"]: row for row in rows}
    older = by_property["PREVIOUSVERSIONSINSTALLED"]
    assert (older["VersionMin"], older["VersionMax"]) == ("0.0.0", "")  # every version: same, older (newer stops)
    assert int(older["Attributes"]) & 256  # minimum inclusive
    assert not int(older["Attributes"]) & 2  # not detect-only: these are removed
    newer = by_property["NEWERVERSIONDETECTED"]
    assert (newer["VersionMin"], newer["VersionMax"]) == ("0.1.0", "")
    assert int(newer["Attributes"]) == 2  # detect only, minimum exclusive
    conditions = {row["Condition"] for row in table(msi, "LaunchCondition")}
    assert {"NOT NEWERVERSIONDETECTED", "Privileged", "Installed OR NOT NSISUNINSTALL"} <= conditions
    # Windows 10 1903 or later, as setup.exe's MIN_WINDOWS_BUILD (DEPLOYMENT.md, section 1: the ICU question).
    assert "Installed OR WINDOWSBUILD >= 18362" in conditions
    nsi = (ROOT / "packaging" / "windows" / "installer.nsi").read_text(encoding="utf-8")
    assert "!define MIN_WINDOWS_BUILD 18362" in nsi
    search = {row["Signature_"]: row for row in table(msi, "RegLocator")}["WindowsBuildSearch"]
    assert (search["Key"], search["Name"]) == (r"SOFTWARE\Microsoft\Windows NT\CurrentVersion", "CurrentBuildNumber")


def test_custom_actions_grant_users_modify_on_the_data_folder(msi: Path) -> None:
    actions = {row["Action"]: row for row in table(msi, "CustomAction")}
    grant = actions["GrantUsersModify"]
    kind = int(grant["Type"])
    assert kind & 0x3F == 50  # an executable named by a property
    assert kind & 0x400 and kind & 0x800  # deferred, in the system context (not impersonated)
    assert not kind & 0x40  # its failure fails the install
    assert grant["Source"] == "ICACLS_EXE"
    assert grant["Target"] == f'"[DATAPATH]" /grant {USERS_SID}:(OI)(CI)M'  # setup.exe's grant, word for word
    assert actions["SetIcaclsExe"]["Target"] == "[System64Folder]icacls.exe"
    # No trailing backslash (a directory property has one, and icacls would read \" as a quote).
    assert actions["SetDataPath"]["Target"] == "[CommonAppDataFolder]SafeCommunitiesDesk"
    remove = actions["RemoveDataFolder"]
    assert remove["Target"] == '/d /c rmdir /s /q "[DATAPATH]"'


def test_the_sequence_runs_each_action_where_it_can(msi: Path) -> None:
    """Deferred actions between InstallInitialize and InstallFinalize; the paths set before them."""
    order = {row["Action"]: int(row["Sequence"]) for row in table(msi, "InstallExecuteSequence")}
    conditions = {row["Action"]: row["Condition"] for row in table(msi, "InstallExecuteSequence")}
    assert order["FindRelatedProducts"] < order["LaunchConditions"]  # a newer version stops the install
    assert order["AppSearch"] < order["UsePreviousInstallDir"] < order["CostFinalize"]
    assert order["CostFinalize"] < order["SetIcaclsExe"] < order["SetDataPath"] < order["InstallInitialize"]
    assert order["InstallValidate"] < order["RemoveExistingProducts"] < order["InstallInitialize"]
    assert order["CreateFolders"] < order["GrantUsersModify"] < order["InstallFinalize"]
    assert order["RemoveFiles"] < order["RemoveDataFolder"] < order["InstallFinalize"]
    assert conditions["GrantUsersModify"] == 'NOT REMOVE~="ALL"'
    assert conditions["RemoveDataFolder"] == 'REMOVE~="ALL" AND REMOVEDATA="1" AND NOT UPGRADINGPRODUCTCODE'
    ui = {row["Action"]: int(row["Sequence"]) for row in table(msi, "InstallUISequence")}
    assert ui["AppSearch"] < ui["UsePreviousInstallDir"] < ui["CostFinalize"]


def test_build_script_reports_a_missing_bundle_in_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build.py"), "--skip-build", "--msi", "--dist", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [f"error: {tmp_path / APP} holds no bundle; build it first"]


def test_msi_version_keeps_the_three_numbers_windows_installer_compares() -> None:
    assert build.msi_version("0.1.0") == "0.1.0"
    assert build.msi_version("0.2.0rc1") == "0.2.0"
    assert build.msi_version("1.2.3.4") == "1.2.3"


# -- installed under Wine --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wine]:
    yield from wine_prefix(tmp_path_factory.mktemp("wineprefix-msi"))


def _copy_in(wine: Wine, msi: Path, name: str) -> str:
    shutil.copyfile(msi, wine.drive_c / name)
    return rf"C:\{name}"


def _uninstall_key(code: str) -> str:
    return rf"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\{code}"


@pytest.mark.packaging
def test_silent_install_upgrade_downgrade_and_uninstall_under_wine(wine: Wine, tmp_path: Path) -> None:
    started = time.perf_counter()
    program_dir = wine.drive_c / "Program Files" / "Safe Communities Desk"
    data_dir = wine.drive_c / "ProgramData" / "SafeCommunitiesDesk"
    v1 = make_msi(tmp_path, "0.1.0", "_internal/only-in-0.1.0.dll")
    v2 = make_msi(tmp_path, "0.1.1")
    v2_rebuilt = make_msi(tmp_path, "0.1.1")
    v1_code, v2_code = properties(v1)["ProductCode"], properties(v2)["ProductCode"]
    rebuilt_code = properties(v2_rebuilt)["ProductCode"]

    # Windows 10 before 1903 (here 1809, LTSC 2019) lacks the ICU functions Qt loads: refused, nothing installed.
    wine.set_registry_build("17763")
    assert wine.msiexec("/i", _copy_in(wine, v1, "v1.msi"), log="old-windows.log") != 0
    assert "WINDOWSBUILD = 17763" in wine.log("old-windows.log")
    assert "LaunchConditions. Return value 0" in wine.log("old-windows.log")
    assert not program_dir.exists()
    wine.set_registry_build("18362")  # 1903, the oldest build admitted (what Wine's "win10" reports)

    assert wine.msiexec("/i", r"C:\v1.msi") == 0, wine.log()[-3000:]
    assert (program_dir / f"{APP}.exe").read_bytes() == f"stand-in for {APP}.exe 0.1.0".encode()
    assert (program_dir / "_internal" / "only-in-0.1.0.dll").is_file()
    assert data_dir.is_dir()
    assert "GrantUsersModify. Return value 1" in wine.log()  # the icacls action ran (Wine's icacls is a no-op)
    # Wine resolves ProgramMenuFolder to the user's Start menu even for ALLUSERS=1; Windows uses the common one.
    user_profile = wine.drive_c / "users" / os.environ.get("USER", "root") / "AppData" / "Roaming"
    menus = [
        wine.drive_c / "ProgramData" / "Microsoft" / "Windows" / "Start Menu" / "Programs",
        user_profile / "Microsoft" / "Windows" / "Start Menu" / "Programs",
    ]
    shortcuts = [m / "Safe Communities Desk" for m in menus if (m / "Safe Communities Desk").is_dir()]
    assert len(shortcuts) == 1, menus
    assert {p.name for p in shortcuts[0].iterdir()} == {
        "Safe Communities Desk.lnk",
        "Safe Communities Desk self-test.lnk",
    }
    values = wine.reg_values(_uninstall_key(v1_code))
    assert values.get("DisplayName") == "Safe Communities Desk", values
    assert values.get("DisplayVersion") == "0.1.0"
    assert values.get("Publisher") == "City of Northampton"

    # The case log an officer made; nothing below but REMOVEDATA=1 may touch it.
    (data_dir / "backups").mkdir()
    (data_dir / "cases.db").write_bytes(b"SQLite format 3\x00 the case log")

    # Upgrade in place: the old product goes first, so a file only the old bundle had is gone.
    assert wine.msiexec("/i", _copy_in(wine, v2, "v2.msi")) == 0, wine.log()[-3000:]
    assert not (program_dir / "_internal" / "only-in-0.1.0.dll").exists()
    assert (program_dir / f"{APP}.exe").read_bytes() == f"stand-in for {APP}.exe 0.1.1".encode()
    assert (program_dir / "_internal" / "resources" / "policies" / "pack.toml").is_file()
    assert wine.reg_values(_uninstall_key(v1_code)) == {}
    assert wine.reg_values(_uninstall_key(v2_code)).get("DisplayVersion") == "0.1.1"
    assert (data_dir / "cases.db").read_bytes().endswith(b"the case log")

    # A rebuild of the same version replaces it too (one entry in Apps & features, not two).
    assert wine.msiexec("/i", _copy_in(wine, v2_rebuilt, "v2b.msi")) == 0, wine.log()[-3000:]
    assert wine.reg_values(_uninstall_key(v2_code)) == {}
    assert wine.reg_values(_uninstall_key(rebuilt_code)).get("DisplayVersion") == "0.1.1"

    # No downgrade: the older package stops at its launch condition and changes nothing.
    assert wine.msiexec("/i", r"C:\v1.msi", log="downgrade.log") != 0
    # (Wine's log leaves out the condition's message; Windows writes it to the log and the event log.)
    assert f"NEWERVERSIONDETECTED = {rebuilt_code}" in wine.log("downgrade.log")
    assert "LaunchConditions. Return value 0" in wine.log("downgrade.log")
    assert wine.reg_values(_uninstall_key(rebuilt_code)).get("DisplayVersion") == "0.1.1"

    # Uninstall keeps the case log.
    assert wine.msiexec("/x", rebuilt_code) == 0, wine.log()[-3000:]
    assert not program_dir.exists()
    assert not shortcuts[0].exists()
    assert wine.reg_values(_uninstall_key(rebuilt_code)) == {}
    assert (data_dir / "cases.db").read_bytes().endswith(b"the case log"), "uninstall must keep the case log"
    assert (data_dir / "backups").is_dir()

    # INSTALLDIR names another folder, and an upgrade without it stays there.
    assert wine.msiexec("/i", r"C:\v1.msi", r"INSTALLDIR=C:\Apps\SCDesk") == 0, wine.log()[-3000:]
    assert (wine.drive_c / "Apps" / "SCDesk" / f"{APP}.exe").is_file()
    assert not program_dir.exists()
    assert wine.msiexec("/i", r"C:\v2.msi") == 0, wine.log()[-3000:]
    assert (wine.drive_c / "Apps" / "SCDesk" / f"{APP}.exe").read_bytes().endswith(b"0.1.1")
    assert (wine.drive_c / "Apps" / "SCDesk" / "_internal" / "resources" / "policies" / "pack.toml").is_file()
    assert not (wine.drive_c / "Apps" / "SCDesk" / "_internal" / "only-in-0.1.0.dll").exists()
    assert not program_dir.exists()

    # A copy installed by setup.exe (NSIS) blocks the MSI until it is uninstalled.
    nsis_key = r"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\SafeCommunitiesDesk"
    wine.run("reg", "add", nsis_key, "/v", "UninstallString", "/d", r"C:\x\uninstall.exe", "/f")
    assert wine.msiexec("/i", r"C:\v2b.msi", log="nsis.log") != 0
    assert r"NSISUNINSTALL = C:\x\uninstall.exe" in wine.log("nsis.log")
    assert "LaunchConditions. Return value 0" in wine.log("nsis.log")
    assert (wine.drive_c / "Apps" / "SCDesk" / f"{APP}.exe").is_file()
    wine.run("reg", "delete", nsis_key, "/f")

    # Deleting the data takes the documented property.
    assert wine.msiexec("/x", v2_code, "REMOVEDATA=1") == 0, wine.log()[-3000:]
    assert not data_dir.exists()
    assert not (wine.drive_c / "Apps" / "SCDesk").exists()
    print(f"[packaging] MSI under Wine: {time.perf_counter() - started:.1f} s")
