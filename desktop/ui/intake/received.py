"""Page 1 of the intake: when, how and from whom the request came."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QWidget, QWizardPage

from desktop.desk.cases import FUTURE_SKEW
from desktop.rules import PackError, labels, vocab
from desktop.ui.intake.layout import help_label, scrolling, text_of
from desktop.ui.ops import DeskOp
from desktop.ui.when import EXAMPLES, as_text, moment_of, read_when, say_when
from desktop.ui.widgets import EnumCombo, add_field, with_mnemonic

if TYPE_CHECKING:
    from desktop.ui.intake.wizard import IntakeWizard


class ReceivedPage(QWizardPage):
    """1. When, how and from whom the request came."""

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self.setTitle("1. The request received")
        self.setSubTitle("When it came, how, and from whom. Pick a common paper to fill in the usual answers.")
        self._wizard = wizard
        form = QFormLayout(scrolling(self))
        self.preset = QComboBox()
        self.preset.addItem("(start from a common paper…)", None)
        for preset in wizard.guidance.presets:  # the pack's own starting points
            self.preset.addItem(preset.name, preset.name)
        add_field(
            form,
            "Common &paper:",
            self.preset,
            "Common paper",
            "Fills the usual answers for this kind of request; every answer can still be changed.",
        )
        self.preset.activated.connect(self._apply_preset)
        # One field for the moment received, read on the desk's clock and said back in words.
        self.received = QLineEdit(as_text(wizard.now()))
        self.received.setPlaceholderText(EXAMPLES)
        # Alt+V: on every page of the intake Alt+R means one thing, Record case.
        self.received_error = add_field(
            form, "Recei&ved:", self.received, "Received at", f"When the desk received the request: {EXAMPLES}."
        )
        self.received_echo = QLabel()
        self.received_echo.setAccessibleName("Received, as understood")
        form.insertRow(form.rowCount() - 1, "", self.received_echo)
        self.channel = EnumCombo(vocab.CHANNELS, labels.CHANNEL, name="Channel")
        add_field(form, "&Channel:", self.channel, "Channel")
        self.requester = EnumCombo(vocab.REQUESTERS, labels.REQUESTER, name="Requester")
        add_field(
            form, "Re&quester:", self.requester, "Requester", "Who is asking, as far as the paper or caller says."
        )
        self.requester_help = help_label("About this requester")
        form.addRow("", self.requester_help)
        self.consent = QCheckBox(with_mnemonic(labels.FIELD["consent_confirmed"], "agreed"))
        self.consent.setAccessibleName("Consent confirmed")
        self.consent_help = help_label("About consent")
        self.consent_help.setText(wizard.guidance.help_for("field", "consent_confirmed", labels.FIELD_HELP))
        form.addRow("", self.consent)
        form.addRow("", self.consent_help)
        self.requester_name = QLineEdit()
        self.requester_name.setPlaceholderText("Name, title, office and phone, as given")
        add_field(form, "Requester's name and con&tact:", self.requester_name, "Requester name and contact")
        self.requester.currentIndexChanged.connect(self._requester_changed)
        self.received.textChanged.connect(self._echo)
        for signal in (
            self.received.textChanged,
            self.channel.currentIndexChanged,
            self.requester.currentIndexChanged,
            self.requester_name.textChanged,
            self.consent.toggled,
        ):
            signal.connect(wizard.changed)
        self._requester_changed()
        self._echo()

    def first_field(self) -> QWidget:
        """Where the keyboard starts on this page: the common papers, then Tab to Received."""
        return self.preset

    # --- the page's answers ---------------------------------------------------------------------

    def moment(self) -> dt.datetime | None:
        """The moment typed, on the desk's clock; None while it cannot be read."""
        return read_when(self.received.text(), self._wizard.now()).moment

    def answers(self) -> dict[str, Any]:
        """This page's part of the intake. A moment not readable yet is kept as now, for a draft; the page
        itself refuses to go on with it."""
        received = self.moment() or self._wizard.now().replace(second=0, microsecond=0)
        data: dict[str, Any] = {
            "received_at": received.isoformat(),
            "channel": self.channel.value(),
            "requester": self.requester.value(),
        }
        if data["requester"] == "subject_or_attorney":
            data["consent_confirmed"] = self.consent.isChecked()
        if name := text_of(self.requester_name):
            data["requester_name"] = name
        return data

    def load(self, data: dict[str, Any], *, keep_received: bool) -> None:
        if "received_at" in data and not keep_received:
            moment = moment_of(data["received_at"])
            if moment is not None:
                self.received.setText(as_text(self._wizard.local_time(moment)))
        if "channel" in data:
            self.channel.set_value(data["channel"])
        if "requester" in data:
            self.requester.set_value(data["requester"])
        if "requester_name" in data:
            self.requester_name.setText(data["requester_name"] or "")
        if "consent_confirmed" in data:
            self.consent.setChecked(bool(data["consent_confirmed"]))

    # --- what the page says as the officer types ---------------------------------------------------

    def _requester_changed(self) -> None:
        value = self.requester.value()
        self.requester_help.setText(self._wizard.guidance.help_for("requester", value, labels.REQUESTER_HELP))
        lawyer = value == "subject_or_attorney"
        self.consent.setVisible(lawyer)
        self.consent_help.setVisible(lawyer)

    def _echo(self) -> None:
        moment = self.moment()
        if moment is None:
            self.received_echo.setText(f"Type for example {EXAMPLES}.")
        elif moment - self._wizard.now() > FUTURE_SKEW:  # the desk's own allowance for a fax header's clock
            self.received_echo.setText(
                f"Understood as {say_when(moment, self._wizard.zone_name)}: later than now on this desk's clock. "
                "Check it; you will be asked before Record."
            )
        else:
            self.received_echo.setText(f"Understood as {say_when(moment, self._wizard.zone_name)}")

    def _apply_preset(self, index: int) -> None:
        name = self.preset.itemData(index)
        if name:
            self._wizard.load(self._wizard.preset(str(name)), keep_received=True)

    def validatePage(self) -> bool:
        reading = read_when(self.received.text(), self._wizard.now())
        if reading.moment is None:
            return self._refuse(f"Received: {reading.problem}.")
        moment = reading.moment
        # A time later than now is the desk's question, asked with the others before Record in the desk's words
        # (desk.cases.checks, "future"), as `record` refuses it: this page only says so where it was typed.
        # The pack in force on that day, in its own zone: a date before any is refused here, not at Record.
        in_force = (
            DeskOp(self, "finding the policy in force", lambda: self._wizard.desk.pack_at(moment))
            .on_failure(
                lambda exc: self._refuse(f"Received: no policy is in force on {moment:%d %b %Y} ({_why(exc)}).")
            )
            .run()
        )
        if in_force is None:
            return False
        self.received_error.clear()
        self.received.setText(as_text(moment))  # "now" is fixed once the page is passed
        return True

    def _refuse(self, message: str) -> bool:
        self.received_error.show_error(message)
        self.received.setFocus()
        self.received.selectAll()
        return False


def _why(exc: BaseException) -> str:
    """A pack error's problem alone (the file it names is for IT, not the officer)."""
    return exc.problem if isinstance(exc, PackError) else str(exc)
