"""Page 3 of the intake: the person the request is about. There is deliberately no field for
immigration status, citizenship, nationality or place of birth."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit, QWidget, QWizardPage

from desktop.rules import labels, vocab
from desktop.ui.intake.layout import scrolling, text_of
from desktop.ui.ops import DeskOp
from desktop.ui.widgets import CheckList, EnumCombo, FieldError, add_field, with_mnemonic

if TYPE_CHECKING:
    from desktop.ui.intake.wizard import IntakeWizard


class PersonPage(QWizardPage):
    """3. The person the request is about. There is deliberately no field for immigration status."""

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self.setTitle("3. The person")
        self.setSubTitle(
            "Booking number and name as booked. Never record immigration status, citizenship, "
            "nationality or place of birth."
        )
        self._wizard = wizard
        form = QFormLayout(scrolling(self))
        self.booking = QLineEdit()
        add_field(form, "Boo&king number:", self.booking, "Booking number")
        self.earlier = FieldError("Earlier requests for this booking number")
        form.addRow("", self.earlier)
        self.name = QLineEdit()
        add_field(form, "N&ame (as booked):", self.name, "Name as booked")
        self.custody = EnumCombo(vocab.CUSTODY, labels.CUSTODY, name="Custody")
        add_field(
            form,
            "&Custody:",
            self.custody,
            "Custody",
            "Not in City custody includes a person handed to the court or the Sheriff.",
        )
        self.blockers = CheckList(vocab.RELEASE_BLOCKERS, labels.RELEASE_BLOCKER, name="Release blockers")
        self.blockers.setMaximumHeight(170)
        add_field(
            form,
            "What else keeps the person &held:",
            self.blockers,
            "Release blockers",
            "Tick what, other than the immigration request, keeps the person in custody. None ticked "
            "means eligible for release.",
        )
        self.minor = QCheckBox(with_mnemonic(labels.FIELD["minor"], "under"))
        self.minor.setAccessibleName("Under 18")
        form.addRow("", self.minor)
        self.booking.editingFinished.connect(self.check_booking)
        for signal in (
            self.booking.textChanged,
            self.name.textChanged,
            self.custody.currentIndexChanged,
            self.blockers.changed,
            self.minor.toggled,
        ):
            signal.connect(wizard.changed)

    def first_field(self) -> QWidget:
        return self.booking

    # --- the page's answers ---------------------------------------------------------------------

    def answers(self) -> dict[str, Any]:
        """This page's part of the intake: the subject."""
        subject: dict[str, Any] = {
            "custody": self.custody.value(),
            "release_blockers": self.blockers.values(),
            "minor": self.minor.isChecked(),
        }
        for key, widget in (("booking_number", self.booking), ("name", self.name)):
            if value := text_of(widget):
                subject[key] = value
        return {"subject": subject}

    def load(self, data: dict[str, Any]) -> None:
        subject = data.get("subject") or {}
        if "custody" in subject:
            self.custody.set_value(subject["custody"])
        if "release_blockers" in subject:
            self.blockers.set_values(subject["release_blockers"])
        if "minor" in subject:
            self.minor.setChecked(bool(subject["minor"]))
        if "booking_number" in subject:
            self.booking.setText(subject["booking_number"] or "")
        if "name" in subject:
            self.name.setText(subject["name"] or "")

    # --- the log's earlier requests for the booking number ------------------------------------------

    def check_booking(self) -> None:
        """Warn when the log already holds an immigration request for this booking number (3C v2, item 9)."""
        booking = text_of(self.booking)
        if not booking:
            self.earlier.clear()
            return
        wizard = self._wizard
        found = (
            DeskOp(
                self, "looking up the booking number", lambda: wizard.desk.cases.for_booking(wizard.session, booking)
            )
            .on_failure(lambda exc: self.earlier.show_error(f"The earlier requests cannot be read: {exc}"))
            .run()
        )
        if found is None:
            return
        earlier = [c for c in found if c.case_number != wizard.amend_case]  # not the case being amended
        if not earlier:
            self.earlier.clear()
            return
        listed = ", ".join(f"{c.case_number} ({c.status})" for c in earlier[:5])
        more = f" and {len(earlier) - 5} more" if len(earlier) > 5 else ""
        self.earlier.show_error(
            f"The log already holds {len(earlier)} immigration request(s) for booking {booking}: {listed}{more}."
        )

    def validatePage(self) -> bool:
        self.check_booking()
        return True
