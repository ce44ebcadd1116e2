"""Page 4 of the intake: what is asked, the few facts the rules need, and the relay question."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QListWidgetItem,
    QPlainTextEdit,
    QWidget,
    QWizardPage,
)

from desktop.desk.cases import RELAY_QUESTION, RELAY_REQUESTERS
from desktop.rules import labels, vocab
from desktop.ui.intake.layout import help_label, scrolling
from desktop.ui.widgets import CheckList, EnumCombo, FieldError, add_field, with_mnemonic

if TYPE_CHECKING:
    from desktop.ui.intake.wizard import IntakeWizard


class RequestPage(QWizardPage):
    """4. What is asked, and the few facts about the request the rules need."""

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self.setTitle("4. What is asked")
        self.setSubTitle("Tick everything the requester asks for.")
        self._wizard = wizard
        form = QFormLayout(scrolling(self))
        self.asked = CheckList(vocab.ACTIONS, labels.ACTION, name="Actions asked")
        for row in range(self.asked.count()):
            item = self.asked.item(row)
            value = str(item.data(Qt.ItemDataRole.UserRole))
            tip = wizard.guidance.help_for("action", value, labels.ACTION_HELP)
            if tip:
                item.setToolTip(tip)
                item.setText(f"{item.text()}  (?)")  # in every font, unlike ⓘ; the help shows below the list
        self.asked.setMaximumHeight(210)
        self.actions_error = add_field(form, "&Asked to:", self.asked, "Actions asked")
        self.action_help = help_label("About this action")
        form.insertRow(form.rowCount() - 1, "", self.action_help)
        self.info = CheckList(vocab.INFO_KINDS, labels.INFO, name="Information asked for")
        self.info.setMaximumHeight(150)
        self.info_error = add_field(
            form,
            "&Information asked for:",
            self.info,
            "Information asked for",
            "Only when sharing information is asked.",
        )
        self.purpose = EnumCombo(vocab.PURPOSES, labels.PURPOSE, name="Purpose")
        add_field(form, "&Purpose:", self.purpose, "Purpose")
        self.relay = QComboBox()
        choices: tuple[tuple[str, str | None], ...] = (
            ("(answer this)", None),
            ("No", "no"),
            ("Yes", "yes"),
            ("Not sure", "unsure"),
        )
        for choice, answer in choices:
            self.relay.addItem(choice, answer)
        self.relay_label = QLabel(f"&{RELAY_QUESTION}")  # the desk's question, in its words
        self.relay_label.setWordWrap(True)
        self.relay_label.setBuddy(self.relay)
        self.relay.setAccessibleName(RELAY_QUESTION)
        self.relay_error = FieldError("Relay question")
        form.addRow(self.relay_label)
        form.addRow("", self.relay)
        form.addRow("", self.relay_error)
        self.benefit = EnumCombo(vocab.BENEFITS, labels.BENEFIT, name="Benefit")
        add_field(form, "Ben&efit involved:", self.benefit, "Benefit involved")
        self.mandatory = QCheckBox(with_mnemonic(labels.FIELD["claims_mandatory"], "mandatory"))
        self.mandatory.setAccessibleName("Requester claims it is mandatory")
        form.addRow("", self.mandatory)
        # Alt+C: on every page of the intake Alt+R means one thing, Record case.
        self.public_records = QCheckBox(with_mnemonic(wizard.guidance.public_records_label, "cords"))
        self.public_records.setAccessibleName("Public-records request")
        form.addRow("", self.public_records)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(90)
        add_field(form, "N&otes:", self.notes, "Notes", "Free text for the file; the rules never read it.")
        self.asked.changed.connect(self._sync_info)
        self.asked.currentItemChanged.connect(self._show_action_help)
        self.purpose.currentIndexChanged.connect(self.sync_relay)
        self._sync_info()
        for signal in (
            self.asked.changed,
            self.info.changed,
            self.purpose.currentIndexChanged,
            self.relay.currentIndexChanged,
            self.benefit.currentIndexChanged,
            self.mandatory.toggled,
            self.public_records.toggled,
            self.notes.textChanged,
        ):
            signal.connect(wizard.changed)

    def first_field(self) -> QWidget:
        return self.asked

    def initializePage(self) -> None:
        self.sync_relay()

    def _show_action_help(self, item: QListWidgetItem | None) -> None:
        self.action_help.setText(item.toolTip() if item is not None else "")

    def _sync_info(self) -> None:
        self.info.setEnabled("share_info" in self.asked.values())

    def relay_asked(self) -> bool:
        """LEGAL.md 3C v2, item 9: a criminal matter from a requester that may be relaying DHS (the desk's list)."""
        requester = self._wizard.received_page.requester.value()
        return requester in RELAY_REQUESTERS and self.purpose.value() == "criminal_unrelated"

    def sync_relay(self) -> None:
        shown = self.relay_asked()
        for widget in (self.relay_label, self.relay):
            widget.setVisible(shown)
        if not shown:
            self.relay_error.clear()

    def relay_answer(self) -> str | None:
        """ "no", "yes" or "unsure" once answered; None when the question is not asked (or not answered yet)."""
        answer = self.relay.currentData() if self.relay_asked() else None
        return str(answer) if answer else None

    # --- the page's answers ---------------------------------------------------------------------

    def answers(self) -> dict[str, Any]:
        """This page's part of the intake, as typed (the relay question's answer is the desk's to apply)."""
        data: dict[str, Any] = {
            "actions": self.asked.values(),
            "purpose": self.purpose.value(),
            "benefit": self.benefit.value(),
            "claims_mandatory": self.mandatory.isChecked(),
            "public_records_request": self.public_records.isChecked(),
        }
        if "share_info" in data["actions"]:
            data["info"] = self.info.values()
        notes = self.notes.toPlainText()
        if notes.strip():
            data["notes"] = notes
        return data

    def load(self, data: dict[str, Any]) -> None:
        if "actions" in data:
            self.asked.set_values(data["actions"])
        if "info" in data:
            self.info.set_values(data["info"] or [])
        if "purpose" in data:
            self.purpose.set_value(data["purpose"])
        if "benefit" in data:
            self.benefit.set_value(data["benefit"])
        if "claims_mandatory" in data:
            self.mandatory.setChecked(bool(data["claims_mandatory"]))
        if "public_records_request" in data:
            self.public_records.setChecked(bool(data["public_records_request"]))
        if "notes" in data:
            self.notes.setPlainText(data["notes"] or "")

    def validatePage(self) -> bool:
        ok = True
        if not self.asked.values():
            self.actions_error.show_error("Tick at least one thing the requester asks for.")
            self.asked.setFocus()
            ok = False
        else:
            self.actions_error.clear()
        if "share_info" in self.asked.values() and not self.info.values():
            self.info_error.show_error("Tick which information is asked for.")
            if ok:
                self.info.setFocus()
            ok = False
        else:
            self.info_error.clear()
        if self.relay_asked() and self.relay.currentData() is None:
            self.relay_error.show_error("Answer the question: Yes, No or Not sure.")
            if ok:
                self.relay.setFocus()
            ok = False
        else:
            self.relay_error.clear()
        return ok
