"""The officer on duty: asked once per shift and remembered for this computer user."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

SHIFT = dt.timedelta(hours=12)


def officer_text(name: str, badge: str) -> str:
    """The form every record carries: 'NAME #BADGE'."""
    return f"{' '.join(name.split())} #{badge.strip().lstrip('#')}"


def remembered_officer(settings: QSettings, *, now: dt.datetime | None = None) -> str | None:
    """The officer confirmed during this shift, or None when a new shift must say who is on duty."""
    name = str(settings.value("officer/name", "") or "")
    badge = str(settings.value("officer/badge", "") or "")
    confirmed = str(settings.value("officer/confirmed_at", "") or "")
    if not name or not badge or not confirmed:
        return None
    try:
        when = dt.datetime.fromisoformat(confirmed)
    except ValueError:
        return None
    if (now or dt.datetime.now(dt.UTC)) - when > SHIFT:
        return None
    return officer_text(name, badge)


class OfficerDialog(QDialog):
    """Asks for the officer's name and badge; both are required."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        from desktop.ui.widgets import add_field  # widgets (and Qt's signal machinery) load with the dialog

        super().__init__(parent)
        self._settings = settings
        self.setWindowTitle("Officer on duty")
        form = QFormLayout(self)
        form.addRow(QLabel("Every case you record carries your name and badge."))
        self.name = QLineEdit(str(settings.value("officer/name", "") or ""))
        self.name_error = add_field(form, "&Name:", self.name, "Officer name")
        self.badge = QLineEdit(str(settings.value("officer/badge", "") or ""))
        self.badge_error = add_field(form, "&Badge number:", self.badge, "Badge number")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        name, badge = self.name.text().strip(), self.badge.text().strip().lstrip("#")
        ok = True
        if not name:
            self.name_error.show_error("Enter your name.")
            self.name.setFocus()
            ok = False
        else:
            self.name_error.clear()
        if not badge or " " in badge:
            self.badge_error.show_error("Enter your badge number (no spaces).")
            if ok:
                self.badge.setFocus()
            ok = False
        else:
            self.badge_error.clear()
        if not ok:
            return
        self._settings.setValue("officer/name", name)
        self._settings.setValue("officer/badge", badge)
        self._settings.setValue("officer/confirmed_at", dt.datetime.now(dt.UTC).isoformat())
        self._settings.sync()
        super().accept()

    @property
    def officer(self) -> str:
        return officer_text(self.name.text(), self.badge.text())
