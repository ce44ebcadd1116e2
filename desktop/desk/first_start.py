"""The first start: nothing is written into the data folder until `setup`, and a killed `setup` can simply run again.

Before set-up a data folder is empty (the installer makes it so): looking at it writes nothing there, no
key, no diagnostics, no marker, so a command run by mistake before set-up can never make the folder look
like one whose log was lost. `setup` then builds the whole new log aside, in `setting-up/<random>/`: the
log with its first admin, and the desk's own key. Putting the log in place under its name is the one step
that commits the set-up; the desk key follows it, and a kill in between is finished at the next start (a
staging folder whose log is gone is one whose set-up committed). A kill before that step leaves only a
staging folder, which is no sign of a log: the next `setup` runs as if nothing had happened, and clears
what killed ones left.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Final

from desktop.atomic import sync_path as _sync

if TYPE_CHECKING:
    from desktop.records import Actor

STAGING: Final = "setting-up"
STALE_S: Final = 60  # a staging folder younger than this may belong to a set-up still running


def is_fresh(data_dir: Path) -> bool:
    """Whether the folder holds no log and nothing that shows one was kept: a desk before its set-up."""
    from desktop.desk.accounts import DESK_KEY_FILE
    from desktop.store.marker import evidence_of_a_log

    data_dir = Path(data_dir)
    path = data_dir / "cases.db"
    try:
        if path.stat().st_size > 0:
            return False
    except FileNotFoundError:
        pass
    except OSError:
        return False  # something is there; opening it says what
    return evidence_of_a_log(data_dir, desk_known=(data_dir / DESK_KEY_FILE).exists()) is None


def not_set_up(data_dir: Path) -> str:
    """The words for a look at a desk before its set-up."""
    return (
        f"this desk is not set up yet ({data_dir} holds no case log): run setup first (`main.py setup --admin "
        "USERNAME --name NAME --badge BADGE`, or start the window); nothing was written"
    )


def settle_setups(data_dir: Path) -> None:
    """Finish a set-up killed after its log was put in place (its desk key follows the log), and clear the
    staging folders of set-ups killed before that (older than a minute: a younger one may still be running)."""
    from desktop.desk.accounts import DESK_KEY_FILE

    root = Path(data_dir) / STAGING
    if not root.is_dir():
        return
    key = Path(data_dir) / DESK_KEY_FILE
    for stage in root.iterdir():
        staged_key = stage / "desk.key"
        with contextlib.suppress(OSError):
            if not (stage / "cases.db").exists() and staged_key.is_file():
                if (Path(data_dir) / "cases.db").exists() and not key.exists():
                    key.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(staged_key, key)  # the committed set-up's key, put where the log expects it
                shutil.rmtree(stage, ignore_errors=True)
            elif time.time() - stage.stat().st_mtime > STALE_S:
                shutil.rmtree(stage, ignore_errors=True)
    with contextlib.suppress(OSError):
        root.rmdir()  # only when empty


def _place(staged: Path, target: Path) -> bool:
    """Put the staged log under its name, never over another (two set-ups at once: one wins); False if taken."""
    if sys.platform == "win32":
        try:
            os.rename(staged, target)  # Windows' rename never replaces an existing file
        except FileExistsError:
            return False
        return True
    try:
        os.link(staged, target)  # a hard link fails where the name is taken: no set-up replaces another's log
    except FileExistsError:
        return False
    os.unlink(staged)
    return True


def set_up(
    data_dir: Path, *, username: str, name: str, badge: str, password: str, desk_label: str, now: dt.datetime
) -> Actor:
    """Build the new log with its first admin aside, then put it in place; returns the admin (signed in).

    Raises AccountError when the folder was set up meanwhile (by another set-up), or for a bad user name,
    name, badge or password (checked before anything is written).
    """
    from desktop.desk import accounts as acc
    from desktop.records import Actor
    from desktop.signing import Signer
    from desktop.store import DB_NAME
    from desktop.store.errors import AccountError, StoreError, describe_os_error
    from desktop.store.store import close_as_one_file, open_store

    Actor(name, badge)  # a bad user name, name, badge or password is refused before anything is written
    acc.check_new_fields(username, password)
    data_dir = Path(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        settle_setups(data_dir)
        (data_dir / STAGING).mkdir(exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix="setup-", dir=data_dir / STAGING))
    except OSError as exc:
        raise StoreError(f"the data folder {data_dir} cannot be set up: {describe_os_error(exc)}") from None
    try:
        signer = Signer.generate()
        key = stage / "desk.key"
        with open(key, "wb") as out:
            out.write((signer.raw().hex() + "\n").encode("ascii"))
            out.flush()
            os.fsync(out.fileno())
        store = open_store(stage, now=now, desk_signer=signer)
        try:
            admin = acc.setup_first_admin(
                store, username=username, name=name, badge=badge, password=password, desk_label=desk_label, now=now
            )
            close_as_one_file(store)
        finally:
            store.close()
        _sync(stage / DB_NAME)
        target = data_dir / DB_NAME
        if target.exists() and target.stat().st_size == 0:
            target.unlink()  # an empty file where no log was ever kept (is_fresh said so): nothing to lose
        if not _place(stage / DB_NAME, target):
            raise AccountError("this desk was set up meanwhile (by another set-up); sign in instead")
        _sync(data_dir)
        keys = data_dir / acc.DESK_KEY_FILE
        keys.parent.mkdir(parents=True, exist_ok=True)
        os.replace(key, keys)
        _sync(keys.parent)
    except OSError as exc:
        raise StoreError(f"the data folder {data_dir} cannot be set up: {describe_os_error(exc)}") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        with contextlib.suppress(OSError):
            (data_dir / STAGING).rmdir()
    return admin
