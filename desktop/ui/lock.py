"""The idle lock: after the desk's idle limit (15 minutes unless an admin set less; at most 30), every
window of the app, open dialogs included, is hidden behind one lock screen (CJIS 5.5).

KeePassXC's issues #2336 and #4037 show how an open dialog can outlive a lock: here the lock hides
every top-level window the application has, remembers which were shown, and shows them again only
after the same officer's password, or another officer's sign-in, unlocks the desk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QWidget

from desktop.desk.accounts import IDLE_DEFAULT
from desktop.ui.ops import DeskOp
from desktop.ui.signin import SignInDialog

if TYPE_CHECKING:
    from desktop.desk import Desk, Session

CHECK_EVERY_MS = 15_000
_ACTIVITY = (
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
)


class IdleLock(QObject):
    """Watches input to the whole application and locks the desk once it has been idle long enough.

    The time comes from the desk's clock, so tests move it instead of waiting.
    """

    def __init__(
        self,
        *,
        desk: Desk,
        session: Callable[[], Session | None],
        unlocked: Callable[[Session], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._session = session
        self._unlocked = unlocked
        self.last_activity = desk.clock()
        self.locked = False
        self.hidden: list[QWidget] = []
        self.screen: QWidget | None = None
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.locked and event.type() in _ACTIVITY:
            self.last_activity = self._desk.clock()
        return False

    def idle_for(self) -> dt.timedelta:
        return self._desk.clock() - self.last_activity

    def check(self) -> bool:
        """Lock when idle past the limit; returns whether the desk is locked."""
        if self.locked or self._session() is None:
            return self.locked
        read = DeskOp(None, "reading the idle limit", self._desk.people.idle_limit).on_failure(_keep_going)
        limit = read.run() or IDLE_DEFAULT  # an unreadable setting locks at the default, never later
        if self.idle_for() >= limit:
            self.lock("idle for more than " + f"{int(limit.total_seconds() // 60)} minutes")
        return self.locked

    def lock(self, reason: str) -> None:
        """Hide every window of the app (dialogs too) and show the lock screen over nothing."""
        actor = self._session()
        if self.locked or actor is None:
            return
        self.locked = True
        # Only live widgets: a window deleted since (WA_DeleteOnClose, a test's teardown) may still be listed by a
        # stale wrapper, and asking it anything would crash the app at the very moment it must lock.
        widgets = [w for w in QApplication.topLevelWidgets() if shiboken6.isValid(w) and w.isVisible()]
        self.hidden = widgets
        for widget in widgets:
            widget.hide()
        # The desk refuses the session from now on; a lock that cannot be audited is logged, and still locks.
        DeskOp(None, "locking the session", lambda: self._desk.people.lock(actor, reason=reason)).on_failure(
            _keep_going
        ).run()
        screen = LockScreen(desk=self._desk, locked=actor)
        screen.rejected.connect(screen.show)  # Escape or closing does not get past the lock
        screen.accepted.connect(lambda: self._unlock(screen))
        self.screen = screen
        screen.show()

    def _unlock(self, screen: LockScreen) -> None:
        """The same person's password shows their windows again; anyone else gets the main window alone,
        at Home: the locked person's windows are closed, never handed over (their request is their draft)."""
        who = screen.actor
        if who is None:
            return
        self.locked = False
        self.screen = None
        self.last_activity = self._desk.clock()
        same = who is screen.locked_session
        self._unlocked(who)
        main = self.parent()
        for widget in self.hidden:
            if not shiboken6.isValid(widget):
                continue  # closed and deleted while the desk was locked
            if same or widget is main:
                widget.show()
            else:
                widget.close()
        self.hidden = []
        screen.deleteLater()


class LockScreen(SignInDialog):
    """The lock screen: the locked officer's password opens the same session; anyone else signs in anew."""

    def __init__(self, *, desk: Desk, locked: Session) -> None:
        super().__init__(desk=desk, username=locked.username or "", locked_for=locked.label)
        self.setAccessibleName("Lock screen")
        self.locked_session = locked  # the session the lock is over
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.hide()  # there is no way past the lock but a password

    def accept(self) -> None:
        if self.username.text().strip().lower() != (self.locked_session.username or ""):
            super().accept()  # another officer: a sign-in of their own
            return
        locked, password = self.locked_session, self.password.text()
        unlocked = DeskOp(self, "unlocking", lambda: self._desk.people.unlock(locked, password))
        unlocked.on_failure(self._refused).run()
        if unlocked.ok:
            self.actor = locked
            QDialog.accept(self)


def _keep_going(_exc: BaseException) -> None:
    """Logged by the DeskOp; the lock goes on regardless (it never waits on the log)."""
