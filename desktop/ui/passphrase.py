"""The passphrase that seals a backup or export leaving the station (CJIS SC-28(1), MP-5): typed twice, checked inline.

The rules and the sealing live in desktop/encrypted.py; this dialog only gathers the passphrase and
shows, in one line, why one is refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QVBoxLayout,
    QWidget,
)

from desktop.encrypted import check_passphrase
from desktop.ui.ops import DeskOp
from desktop.ui.widgets import FieldError, password_field

if TYPE_CHECKING:
    from desktop.desk import Desk


class PassphraseDialog(QDialog):
    """Ask for a new passphrase (twice) to seal a copy; `passphrase` holds it once accepted."""

    def __init__(self, *, target: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.passphrase: str | None = None
        self.setWindowTitle("Encrypt the copy")
        layout = QVBoxLayout(self)
        text = QLabel(
            f"{target} is outside the desk's data folder, so it may leave the station: it is encrypted "
            "(AES-256-GCM). Whoever restores it needs this passphrase: keep it where your department's "
            "backup procedure says, never with the copy. At least 10 characters, with an upper-case and "
            "a lower-case letter, a digit and a sign."
        )
        text.setWordWrap(True)
        text.setFixedWidth(text.fontMetrics().averageCharWidth() * 72)
        # A top-level dialog does not ask a wrapped label how tall it is at its width: say it here.
        text.setMinimumHeight(text.heightForWidth(text.width()))
        layout.addWidget(text)
        layout.addSpacing(text.fontMetrics().height() // 2)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # grows when an error line appears
        form = QFormLayout()
        self.first = password_field("Passphrase")
        self.second = password_field("Passphrase again")
        form.addRow("&Passphrase:", self.first)
        form.addRow("&Again:", self.second)
        layout.addLayout(form)
        self.error = FieldError("Passphrase")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.first.setFocus()

    def _accept(self) -> None:
        first, second = self.first.text(), self.second.text()
        checked = DeskOp(self, "checking the passphrase", lambda: check_passphrase(first))
        checked.on_failure(self._weak).run()
        if not checked.ok:
            return
        if first != second:
            self.error.show_error("The two passphrases typed differ")
            self.second.clear()
            self.second.setFocus()
            return
        self.passphrase = first
        self.accept()

    def _weak(self, exc: BaseException) -> None:
        self.error.show_error(str(exc).capitalize())
        self.first.setFocus()


def ask_copy_passphrase(desk: Desk, target: Path, parent: QWidget | None = None) -> tuple[bool, str | None]:
    """Whether to go on, and the passphrase to seal a copy at `target` (None for one inside the data folder).

    A copy outside the data folder may leave the station: the passphrase is asked for; Cancel stops.
    """
    leaves = DeskOp(parent, "looking where the copy goes", lambda: desk.copies.leaves_station(target)).run()
    if leaves is None:
        return False, None
    if not leaves:
        return True, None
    dialog = PassphraseDialog(target=str(target), parent=parent)
    if not dialog.exec() or dialog.passphrase is None:
        return False, None
    return True, dialog.passphrase
