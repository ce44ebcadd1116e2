"""Build the one-folder bundle, and on request the Windows installer, with the pinned tools; prints sizes and times.

Usage (from any folder; the same script on Windows and Linux):

    python packaging/build.py                     # dist/SafeCommunitiesDesk/
    python packaging/build.py --installer         # + dist/SafeCommunitiesDesk-<version>-setup.exe (needs makensis)
    python packaging/build.py --skip-build --msi  # + dist/SafeCommunitiesDesk-<version>.msi (needs wixl: Linux)
    python packaging/build.py --installer --sign-cmd "powershell -File C:/src/desk/packaging/windows/sign.ps1"
    python packaging/build.py --check             # + run the frozen --version and --self-test
    python packaging/build.py --skip-build --installer   # only the installer, around the bundle in dist/

Install the tools first: `pip install -r packaging/requirements-build.txt`. The build stops when an installed
version differs from those pins (`--allow-unpinned` turns that into a warning). PyInstaller builds for the system
it runs on: the Windows bundle has to be built on Windows; on Linux this builds the bundle CI tests.
Name files in --sign-cmd by absolute path: makensis runs the command from packaging/windows/.
The MSI is built by wixl (Debian's `wixl` package, from msitools), which runs on Linux only: the Windows workflow
builds the bundle on Windows and the MSI from that bundle in a Linux job (packaging/DEPLOYMENT.md, section 12).
Exit codes: 0 built; 1 a step failed; 2 bad usage or unpinned tools.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from xml.sax.saxutils import quoteattr

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "desk.spec"
NSI = ROOT / "packaging" / "windows" / "installer.nsi"
WXS = ROOT / "packaging" / "windows" / "desk.wxs"
ICON = ROOT / "resources" / "icons" / "desk.ico"
PINS = ROOT / "packaging" / "requirements-build.txt"
APP = "SafeCommunitiesDesk"
CONSOLE_APP = "safedesk"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""


class BuildError(Exception):
    """A step failed; the message says which and why."""


def app_version() -> str:
    """desktop.__version__, read without importing the package."""
    tree = ast.parse((ROOT / "desktop" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__version__" for t in node.targets):
            return str(ast.literal_eval(node.value))
    raise BuildError("desktop/__init__.py has no __version__")


def version_quad(version: str) -> str:
    """Four numbers for a Windows version resource: "0.2.0rc1" -> "0.2.0.0" (the same rule as desk.spec)."""
    release = re.match(r"\d+(\.\d+)*", version)
    parts = release.group(0).split(".") if release else []
    return ".".join((parts + ["0", "0", "0", "0"])[:4])


def read_pins(path: Path) -> dict[str, str]:
    """name -> version for every `name==version` line, following `-r other.txt` includes."""
    pins: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith(("-r ", "--requirement ")):
            pins.update(read_pins(path.parent / line.split(maxsplit=1)[1]))
        elif "==" in line:
            name, version = (part.strip() for part in line.split("==", 1))
            name = name.split("[", 1)[0]  # "psycopg[binary]": the distribution is psycopg, its extra pinned beside it
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version.split(";")[0].strip()
    return pins


def check_pins(path: Path = PINS) -> list[str]:
    """One line per installed package whose version differs from its pin (empty when all match)."""
    problems = []
    for name, wanted in sorted(read_pins(path).items()):
        try:
            found = metadata.version(name)
        except metadata.PackageNotFoundError:
            found = "not installed"
        if found != wanted:
            problems.append(f"{name}: pinned {wanted}, found {found}")
    if sys.version_info[:2] != (3, 11):
        problems.append(f"python: the app is built and tested with 3.11, this is {sys.version.split()[0]}")
    return problems


def folder_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) under a folder."""
    total = count = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            count += 1
    return total, count


def mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def build_bundle(dist: Path, work: Path, clean: bool = False) -> Path:
    """Run PyInstaller on desk.spec; returns the bundle folder."""
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    command += ["--distpath", str(dist), "--workpath", str(work)]
    if clean:
        command.append("--clean")
    started = time.perf_counter()
    done = subprocess.run([*command, str(SPEC)], cwd=ROOT, check=False)
    seconds = time.perf_counter() - started
    bundle = dist / APP
    if done.returncode != 0 or not (bundle / f"{APP}{EXE_SUFFIX}").is_file():
        raise BuildError(f"PyInstaller failed (exit {done.returncode}) after {seconds:.1f} s")
    size, files = folder_size(bundle)
    print(f"bundle: {bundle}  {mib(size)} in {files} files, built in {seconds:.1f} s", flush=True)
    return bundle


def run_sign(sign_cmd: str, path: Path) -> None:
    """Sign one file in place; the command gets the path as its last argument, as NSIS's !finalize does."""
    done = subprocess.run(f'{sign_cmd} "{path}"', shell=True, check=False)
    if done.returncode != 0:
        raise BuildError(f"signing {path.name} failed (exit {done.returncode})")
    print(f"signed: {path}", flush=True)


def find_makensis(explicit: str | None) -> str:
    if explicit:
        return explicit
    found = shutil.which("makensis")
    if found:
        return found
    for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles")):
        if base and (Path(base) / "NSIS" / "makensis.exe").is_file():
            return str(Path(base) / "NSIS" / "makensis.exe")
    raise BuildError("makensis not found: apt-get install nsis (Linux) or choco install nsis (Windows)")


def build_installer(
    bundle: Path,
    out: Path,
    *,
    makensis: str | None = None,
    compressor: str | None = None,
    sign_cmd: str | None = None,
    version: str | None = None,
) -> Path:
    """Compile packaging/windows/installer.nsi around the bundle with `makensis -WX` (warnings fail it)."""
    version = version or app_version()
    command = [find_makensis(makensis), "-WX", "-V2"]
    command += [f"-DDIST_DIR={bundle.resolve()}", f"-DVERSION={version}", f"-DVERSION_QUAD={version_quad(version)}"]
    command.append(f"-DOUTFILE={out.resolve()}")
    if compressor:
        command.append(f"-DCOMPRESSOR={compressor}")
    if sign_cmd:
        command.append(f"-DSIGN_CMD={sign_cmd}")
    started = time.perf_counter()
    done = subprocess.run([*command, str(NSI)], check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0 or not out.is_file():
        raise BuildError(f"makensis failed (exit {done.returncode}) after {seconds:.1f} s")
    print(f"installer: {out}  {mib(out.stat().st_size)}, compiled in {seconds:.1f} s", flush=True)
    return out


def msi_version(version: str) -> str:
    """The three numbers Windows Installer compares (it ignores a fourth): "0.2.0rc1" -> "0.2.0"."""
    return ".".join(version_quad(version).split(".")[:3])


def _msi_id(prefix: str, relative: str) -> str:
    """A Windows Installer identifier for a bundle path: stable across builds, at most 72 characters."""
    return f"{prefix}{hashlib.sha1(relative.encode('utf-8')).hexdigest()[:32]}"


def bundle_files_wxs(bundle: Path, base: Path) -> str:
    """A WiX fragment: every file of the bundle as one component (GUID from its path) in group BundleFiles.

    Sources are named relative to `base`, the folder the fragment is written to: wixl looks files up only
    relative to the folders of its input files.
    """
    if not bundle.is_dir():
        raise BuildError(f"{bundle} is not a folder")
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<!-- Generated by packaging/build.py from the bundle folder; not edited by hand. -->",
        '<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">',
        "  <Fragment>",
        '    <DirectoryRef Id="INSTALLDIR">',
    ]
    components: list[str] = []

    def walk(folder: Path, depth: int) -> None:
        indent = "  " * (depth + 3)
        # Files first, then sub-folders, each sorted, so the same bundle gives the same source.
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
        for path in entries:
            if path.is_file():
                relative = path.relative_to(bundle).as_posix()
                component = _msi_id("c", relative)
                components.append(component)
                lines.append(
                    f'{indent}<Component Id="{component}" Guid="*" Win64="yes">'
                    f'<File Id="{_msi_id("f", relative)}" Name={quoteattr(path.name)} '
                    f'Source={quoteattr(os.path.relpath(path.resolve(), base))} KeyPath="yes" /></Component>'
                )
        for path in entries:
            if path.is_dir() and not path.is_symlink():
                relative = path.relative_to(bundle).as_posix()
                lines.append(f'{indent}<Directory Id="{_msi_id("d", relative)}" Name={quoteattr(path.name)}>')
                walk(path, depth + 1)
                lines.append(f"{indent}</Directory>")

    walk(bundle, 0)
    if not components:
        raise BuildError(f"{bundle} holds no files")
    lines.append("    </DirectoryRef>")
    lines.append('    <ComponentGroup Id="BundleFiles">')
    lines += [f'      <ComponentRef Id="{c}" />' for c in components]
    lines += ["    </ComponentGroup>", "  </Fragment>", "</Wix>", ""]
    return "\n".join(lines)


def find_wixl(explicit: str | None) -> str:
    if explicit:
        return explicit
    found = shutil.which("wixl")
    if found:
        return found
    if sys.platform == "win32":
        raise BuildError(
            "wixl runs on Linux only: build the MSI from this bundle on Linux (the Windows workflow's msi job), "
            "with python packaging/build.py --skip-build --msi --dist <folder holding the bundle>"
        )
    raise BuildError("wixl not found: apt-get install wixl (Debian's msitools)")


def build_msi(
    bundle: Path,
    out: Path,
    *,
    wixl: str | None = None,
    sign_cmd: str | None = None,
    version: str | None = None,
    work: Path | None = None,
) -> Path:
    """Build the MSI from packaging/windows/desk.wxs and a fragment listing the bundle's files, with wixl."""
    version = version or app_version()
    program = find_wixl(wixl)
    exe_suffix = ".exe" if (bundle / f"{APP}.exe").is_file() else ""
    if not (bundle / f"{APP}{exe_suffix}").is_file():
        raise BuildError(f"{bundle} holds no {APP}.exe: build the bundle first (python packaging/build.py)")
    if not ICON.is_file():
        raise BuildError(f"{ICON} is missing: run python packaging/make_icon.py")
    # wixl finds a source file only relative to the folders of its inputs, so both sources go into one work
    # folder and name every file relative to it.
    folder = (work or out.parent) / "msi"
    folder.mkdir(parents=True, exist_ok=True)
    product_wxs = folder / WXS.name
    shutil.copyfile(WXS, product_wxs)
    files_wxs = folder / "bundle-files.wxs"
    files_wxs.write_text(bundle_files_wxs(bundle, folder.resolve()), encoding="utf-8")
    command = [program, "-a", "x64", "-o", str(out.resolve())]
    for name, value in (
        ("Version", msi_version(version)),
        ("SourceDir", os.path.relpath(bundle.resolve(), folder.resolve())),
        ("IconFile", os.path.relpath(ICON, folder.resolve())),
        ("ExeSuffix", exe_suffix),
    ):
        command += ["-D", f"{name}={value}"]
    out.unlink(missing_ok=True)
    started = time.perf_counter()
    done = subprocess.run([*command, str(product_wxs), str(files_wxs)], check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0 or not out.is_file():
        raise BuildError(f"wixl failed (exit {done.returncode}) after {seconds:.1f} s")
    print(f"msi: {out}  {mib(out.stat().st_size)}, built in {seconds:.1f} s", flush=True)
    if sign_cmd:
        run_sign(sign_cmd, out)
    return out


def check_bundle(bundle: Path) -> None:
    """Run the frozen console program: --version, then --self-test offscreen."""
    program = bundle / f"{CONSOLE_APP}{EXE_SUFFIX}"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for args in (["--version"], ["--self-test"]):
        started = time.perf_counter()
        done = subprocess.run([str(program), *args], env=env, check=False, timeout=300)
        seconds = time.perf_counter() - started
        print(f"check: {program.name} {' '.join(args)} exited {done.returncode} in {seconds:.1f} s", flush=True)
        if done.returncode != 0:
            raise BuildError(f"{program.name} {' '.join(args)} exited {done.returncode}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller's work folder")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    parser.add_argument("--skip-build", action="store_true", help="reuse the bundle already in --dist")
    parser.add_argument("--installer", action="store_true", help="also compile the NSIS installer")
    parser.add_argument("--makensis", metavar="PATH", help="the makensis program (default: found on PATH)")
    parser.add_argument("--msi", action="store_true", help="also build the MSI (needs wixl, Linux only)")
    parser.add_argument("--wixl", metavar="PATH", help="the wixl program (default: found on PATH)")
    parser.add_argument("--compressor", metavar="C", help='NSIS compressor (default "/SOLID lzma"; "zlib" is fast)')
    parser.add_argument(
        "--sign-cmd",
        metavar="CMD",
        help="sign the programs and the installers with CMD FILE (see packaging/windows/sign.ps1; absolute paths)",
    )
    parser.add_argument("--check", action="store_true", help="run the frozen --version and --self-test")
    parser.add_argument("--allow-unpinned", action="store_true", help="warn instead of stopping on unpinned tools")
    args = parser.parse_args(argv)

    # The pins decide what goes into the bundle; a run that only packs an existing bundle needs none of them
    # (the Windows workflow's Linux job builds the MSI from the Windows bundle with wixl alone).
    problems = [] if args.skip_build else check_pins()
    for problem in problems:
        print(f"{'warning' if args.allow_unpinned else 'error'}: {problem}", file=sys.stderr)
    if problems and not args.allow_unpinned:
        print(f"error: run `pip install -r {PINS.relative_to(ROOT)}` (or pass --allow-unpinned)", file=sys.stderr)
        return 2
    try:
        version = app_version()
        print(f"Safe Communities Desk {version}, Python {sys.version.split()[0]}, {sys.platform}", flush=True)
        if args.skip_build:
            bundle = args.dist / APP
            if not any((bundle / f"{APP}{suffix}").is_file() for suffix in {EXE_SUFFIX, ".exe"}):
                raise BuildError(f"{bundle} holds no bundle; build it first")
        else:
            bundle = build_bundle(args.dist, args.work, clean=args.clean)
        # --sign-cmd signs what this run makes: the programs when it builds them (Authenticode is for the Windows
        # ones), the uninstaller and setup.exe when it compiles the installer, the .msi when it builds one.
        if args.sign_cmd and EXE_SUFFIX and not args.skip_build:
            for name in (APP, CONSOLE_APP):
                run_sign(args.sign_cmd, bundle / f"{name}{EXE_SUFFIX}")
        if args.check:
            check_bundle(bundle)
        if args.installer:
            out = args.dist / f"{APP}-{version}-setup.exe"
            build_installer(
                bundle,
                out,
                makensis=args.makensis,
                compressor=args.compressor,
                sign_cmd=args.sign_cmd,
                version=version,
            )
        if args.msi:
            build_msi(
                bundle,
                args.dist / f"{APP}-{version}.msi",
                wixl=args.wixl,
                sign_cmd=args.sign_cmd,
                version=version,
                work=args.work,
            )
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
