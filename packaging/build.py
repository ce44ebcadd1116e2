"""Build the one-folder bundle, and on request the Windows installer, with the pinned tools; prints sizes and times.

Usage (from any folder; the same script on Windows and Linux):

    python packaging/build.py                     # dist/SafeCommunitiesDesk/
    python packaging/build.py --installer         # + dist/SafeCommunitiesDesk-<version>-setup.exe (needs makensis)
    python packaging/build.py --installer --sign-cmd "powershell -File C:/src/desk/packaging/windows/sign.ps1"
    python packaging/build.py --check             # + run the frozen --version and --self-test
    python packaging/build.py --skip-build --installer   # only the installer, around the bundle in dist/

Install the tools first: `pip install -r packaging/requirements-build.txt`. The build stops when an installed
version differs from those pins (`--allow-unpinned` turns that into a warning). PyInstaller builds for the system
it runs on: the Windows bundle has to be built on Windows; on Linux this builds the bundle CI tests.
Name files in --sign-cmd by absolute path: makensis runs the command from packaging/windows/.
Exit codes: 0 built; 1 a step failed; 2 bad usage or unpinned tools.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "desk.spec"
NSI = ROOT / "packaging" / "windows" / "installer.nsi"
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
    parser.add_argument("--compressor", metavar="C", help='NSIS compressor (default "/SOLID lzma"; "zlib" is fast)')
    parser.add_argument(
        "--sign-cmd",
        metavar="CMD",
        help="sign the programs and the installer with CMD FILE (see packaging/windows/sign.ps1; absolute paths)",
    )
    parser.add_argument("--check", action="store_true", help="run the frozen --version and --self-test")
    parser.add_argument("--allow-unpinned", action="store_true", help="warn instead of stopping on unpinned tools")
    args = parser.parse_args(argv)

    problems = check_pins()
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
            if not (bundle / f"{APP}{EXE_SUFFIX}").is_file():
                raise BuildError(f"{bundle} holds no bundle; build it first")
        else:
            bundle = build_bundle(args.dist, args.work, clean=args.clean)
        # --sign-cmd signs what this run makes: the programs when it builds them (Authenticode is for the Windows
        # ones), the uninstaller and setup.exe when it compiles the installer.
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
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
