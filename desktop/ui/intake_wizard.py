"""The guided intake: one page per question group, a review, the decision with its reasons, then record."""

from __future__ import annotations

import datetime as dt
import logging
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFont, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desktop import present
from desktop.records import CaseVersion, Override, Status
from desktop.rules import IntakeError, PackError, labels, vocab
from desktop.ui import temporary_files
from desktop.ui.decision_html import decision_html
from desktop.ui.when import EXAMPLES, WhenError, as_text, parse_when, say_when
from desktop.ui.widgets import CheckList, EnumCombo, FieldError, add_field, fit_to_screen, open_file, with_mnemonic

if TYPE_CHECKING:
    from desktop.desk import Decided, Desk, Session
    from desktop.store.query import CaseSummary

log = logging.getLogger(__name__)

PAGE_RECEIVED, PAGE_DOCUMENTS, PAGE_PERSON, PAGE_REQUEST, PAGE_REVIEW, PAGE_DECISION, PAGE_RECORDED = range(7)


def _text(widget: QLineEdit) -> str | None:
    value = " ".join(widget.text().split())
    return value or None


# The signer a DHS form is signed by; every other paper's signer is left for the officer to choose.
FORM_SIGNER = {
    **dict.fromkeys(("I-247A", "I-247D", "I-247N", "I-247X", "I-247", "I-200", "I-205", "I-203"), "dhs_officer"),
    **dict.fromkeys(("I-286", "I-862", "I-138"), "dhs_officer"),
    "eoir_order": "immigration_judge",
}
# Requesters whose criminal matter may hide a relayed immigration request (LEGAL.md 3C v2, item 9).
RELAY_REQUESTERS = ("state_or_local", "other_federal", "court")
RELAY_QUESTION = "Did they mention ICE, DHS or a detainer, or say the answer will be passed on?"


class _Body(QWidget):
    """A page body that never lets the scroll area size it below its minimum.

    With wrapped labels in it, the layout reports a height-for-width that QScrollArea uses as the
    body's height, and that can be lower than the body's own minimum: at 150% the help lines under
    the paper fields then ran into the next field. Never less than the minimum: the page scrolls.
    """

    def heightForWidth(self, width: int) -> int:
        return max(super().heightForWidth(width), self.minimumSizeHint().height())


def _scrolling(page: QWizardPage) -> QWidget:
    """The page's body inside a scroll area: on a small screen the page scrolls; the window never grows."""
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    body = _Body()
    scroll.setWidget(body)
    outer.addWidget(scroll)
    return body


class _HelpLabel(QLabel):
    """A wrapped line of help that keeps room for its lines (a form in a scroll area would squash it).

    Its minimum height is what Qt computes for the wrapped text at its width; when that changes, the
    scroll area around the page is told to size the page again (it does not notice by itself).
    """

    def _keep_room(self, width: int) -> None:
        wanted = self.heightForWidth(max(width, 1)) if self.text() else 0
        if wanted > 0 and wanted != self.minimumHeight():
            self.setMinimumHeight(wanted)
            scroll = self.parentWidget()
            while scroll is not None and not isinstance(scroll, QScrollArea):
                scroll = scroll.parentWidget()
            if scroll is not None:
                QTimer.singleShot(0, lambda s=scroll: s.setWidgetResizable(True))
        elif wanted == 0:
            self.setMinimumHeight(0)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._keep_room(max(self.width(), 360))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._keep_room(self.width())


def _help_label(name: str) -> QLabel:
    label = _HelpLabel()
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


class ReceivedPage(QWizardPage):
    """1. When, how and from whom the request came."""

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self.setTitle("1. The request received")
        self.setSubTitle("When it came, how, and from whom. Pick a common paper to fill in the usual answers.")
        self._wizard = wizard
        form = QFormLayout(_scrolling(self))
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
        self.received = QLineEdit(as_text(wizard.desk.local_now()))
        self.received.setPlaceholderText(EXAMPLES)
        self.received_error = add_field(
            form, "&Received:", self.received, "Received at", f"When the desk received the request: {EXAMPLES}."
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
        self.requester_help = _help_label("About this requester")
        form.addRow("", self.requester_help)
        self.consent = QCheckBox(with_mnemonic(labels.FIELD["consent_confirmed"], "agreed"))
        self.consent.setAccessibleName("Consent confirmed")
        self.consent_help = _help_label("About consent")
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

    def _requester_changed(self) -> None:
        value = self.requester.value()
        self.requester_help.setText(self._wizard.guidance.help_for("requester", value, labels.REQUESTER_HELP))
        lawyer = value == "subject_or_attorney"
        self.consent.setVisible(lawyer)
        self.consent_help.setVisible(lawyer)

    def moment(self) -> dt.datetime:
        """The moment typed, on the desk's clock (raises WhenError)."""
        return parse_when(self.received.text(), self._wizard.desk.local_now())

    def _echo(self) -> None:
        try:
            moment = self.moment()
        except WhenError:
            self.received_echo.setText(f"Type for example {EXAMPLES}.")
            return
        self.received_echo.setText(f"Understood as {say_when(moment, self._wizard.zone_name)}")

    def set_moment(self, moment: dt.datetime) -> None:
        self.received.setText(as_text(self._wizard.desk.local_time(moment)))

    def _apply_preset(self, index: int) -> None:
        name = self.preset.itemData(index)
        if name:
            self._wizard.load(self._wizard.preset(name), keep_received=True)

    def validatePage(self) -> bool:
        try:
            moment = self.moment()
        except WhenError as exc:
            return self._refuse(f"Received: {exc}.")
        if moment > self._wizard.desk.local_now() + dt.timedelta(minutes=5):
            return self._refuse("Received: the request cannot have been received in the future.")
        try:  # the pack in force on that day, in its own zone: a date before any is refused here
            self._wizard.desk.pack_at(moment)
        except PackError as exc:
            log.info("no pack in force at %s", moment, exc_info=True)
            return self._refuse(f"Received: no policy is in force on {moment:%d %b %Y} ({exc.problem}).")
        self.received_error.clear()
        self.received.setText(as_text(moment))  # "now" is fixed once the page is passed
        return True

    def _refuse(self, message: str) -> bool:
        self.received_error.show_error(message)
        self.received.setFocus()
        self.received.selectAll()
        return False


class DocumentsPage(QWizardPage):
    """2. Each paper received, with the desk cues for telling a judge's paper from a DHS form.

    The paper being described is never lost: Next stops while one is started but not added, and an
    added paper is edited in place by selecting it.
    """

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self.setTitle("2. The papers")
        self.setSubTitle("Add each paper. No paper at all is a valid answer (a phone call or a visit).")
        self.setAcceptDrops(True)
        self._wizard = wizard
        self.documents: list[dict[str, Any]] = []
        self.scans: list[Path] = []
        self.editing: int | None = None  # the row of the added paper in the editor, if any
        self._auto_signer = True
        grid = QGridLayout(_scrolling(self))
        editor = QGroupBox("Paper")
        form = QFormLayout(editor)
        self.kind = EnumCombo(
            vocab.DOCUMENT_KINDS, labels.DOCUMENT_KIND, name="Paper kind", blank="(choose the kind of paper…)"
        )
        add_field(form, "&Kind:", self.kind, "Paper kind", "The form number in the footer, or what the paper is.")
        self.hint = _help_label("About this kind of paper")
        form.addRow("", self.hint)
        self.signer = EnumCombo(vocab.SIGNERS, labels.SIGNER, name="Signed by", blank="(choose who signed it…)")
        add_field(form, "Si&gned by:", self.signer, "Signed by")
        self.signer_help = _help_label("About this signer")
        form.addRow("", self.signer_help)
        self.signer_name = QLineEdit()
        add_field(form, "Signer's name/t&itle:", self.signer_name, "Signer name and title")
        self.edition = QLineEdit()
        self.edition.setPlaceholderText("e.g. 03/17, from the footer")
        add_field(form, "&Edition:", self.edition, "Form edition")
        self.verified = QCheckBox("&Verified with NCIC, the issuing court or the U.S. Marshals")
        self.verified.setAccessibleName("Verified")
        form.addRow("", self.verified)
        self.cancels = QCheckBox("&Cancels an earlier request")
        self.cancels.setAccessibleName("Cancels an earlier request")
        form.addRow("", self.cancels)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Add paper")
        self.add_button.setAccessibleName("Add paper")
        self.clear_button = QPushButton("C&lear")
        self.clear_button.setAccessibleName("Clear the paper being described")
        self.remove_button = QPushButton("Re&move paper…")
        self.remove_button.setAccessibleName("Remove selected paper")
        for button in (self.add_button, self.clear_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch()
        form.addRow("", buttons)
        self.editor_error = FieldError("Paper")
        form.addRow("", self.editor_error)
        grid.addWidget(editor, 0, 0)

        self.list = QListWidget()
        self.list.setAccessibleName("Papers added")
        self.list.setAccessibleDescription("Select a paper to change it in the editor above.")
        self.list.setMinimumHeight(70)
        list_label = QLabel("&Papers added (select one to change it):")
        list_label.setBuddy(self.list)
        grid.addWidget(list_label, 1, 0)
        grid.addWidget(self.list, 2, 0)

        scans = QHBoxLayout()
        self.attach_button = QPushButton("A&ttach scan…")
        self.attach_button.setAccessibleName("Attach a scan of the paper")
        self.scan_list = QListWidget()
        self.scan_list.setAccessibleName("Scans attached")
        self.scan_list.setMaximumHeight(60)
        self.scan_error = FieldError("Scans")
        scans.addWidget(self.attach_button)
        scans.addWidget(self.scan_list, 1)
        grid.addLayout(scans, 3, 0)
        grid.addWidget(self.scan_error, 4, 0)

        cues = QTextBrowser()
        cues.setHtml(wizard.guidance.desk_cues)
        cues.setAccessibleName("Desk cues: judicial or administrative")
        cues.setMinimumWidth(240)
        grid.addWidget(cues, 0, 1, 5, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)

        self.add_button.clicked.connect(self._add)
        self.clear_button.clicked.connect(self.clear_editor)
        self.remove_button.clicked.connect(self._remove)
        self.attach_button.clicked.connect(self._pick_scan)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.signer.activated.connect(self._signer_chosen)
        self.signer.currentIndexChanged.connect(self._show_signer_help)
        self.list.currentRowChanged.connect(self._select)
        self._kind_changed()
        self._sync_buttons()

    # --- the editor ------------------------------------------------------------------------------

    def _kind_changed(self) -> None:
        kind = self.kind.value()
        self.hint.setText(self._wizard.guidance.kind_hints.get(kind, ""))
        if self._auto_signer and self.editing is None:  # follows the form until the officer picks one
            self.signer.set_value(FORM_SIGNER.get(kind))
        self.editor_error.clear()

    def _signer_chosen(self) -> None:
        self._auto_signer = False

    def _show_signer_help(self) -> None:
        value = self.signer.value()
        self.signer_help.setText(self._wizard.guidance.help_for("signer", value, labels.SIGNER_HELP) if value else "")

    def _editor_value(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value(),
            "signer": self.signer.value(),
            "signer_name": _text(self.signer_name),
            "edition": _text(self.edition),
            "verified": self.verified.isChecked(),
            "cancels_prior": self.cancels.isChecked(),
        }

    def pending(self) -> bool:
        """Is a paper started in the editor but not added (or an added one changed but not updated)?"""
        value = self._editor_value()
        if self.editing is not None:
            kept = {k: self.documents[self.editing].get(k) for k in value}
            kept["verified"] = bool(kept["verified"])
            kept["cancels_prior"] = bool(kept["cancels_prior"])
            return value != kept
        return bool(
            value["kind"]
            or (value["signer"] and not self._auto_signer)
            or value["signer_name"]
            or value["edition"]
            or value["verified"]
            or value["cancels_prior"]
        )

    def _fill_editor(self, doc: dict[str, Any] | None) -> None:
        doc = doc or {}
        self._auto_signer = not doc
        self.kind.set_value(doc.get("kind"))
        self.signer.set_value(doc.get("signer"))
        self.signer_name.setText(doc.get("signer_name") or "")
        self.edition.setText(doc.get("edition") or "")
        self.verified.setChecked(bool(doc.get("verified")))
        self.cancels.setChecked(bool(doc.get("cancels_prior")))
        self._auto_signer = not doc
        self._show_signer_help()

    def clear_editor(self) -> None:
        """Empty the editor (and leave the paper selected for editing as it was added)."""
        self.editing = None
        self._fill_editor(None)
        self.list.blockSignals(True)
        self.list.setCurrentRow(-1)
        self.list.clearSelection()
        self.list.blockSignals(False)
        self.editor_error.clear()
        self._sync_buttons()
        self.kind.setFocus()

    def _sync_buttons(self) -> None:
        editing = self.editing is not None
        self.add_button.setText("&Update paper" if editing else "&Add paper")
        self.add_button.setAccessibleName("Update the selected paper" if editing else "Add paper")
        self.remove_button.setEnabled(editing)

    def _select(self, row: int) -> None:
        if row < 0 or row >= len(self.documents) or row == self.editing:
            return
        if self.editing is None and self.pending():
            self.editor_error.show_error("A paper is not added yet: Add it or Clear it.")
            self.list.blockSignals(True)
            self.list.setCurrentRow(-1)
            self.list.blockSignals(False)
            return
        self.editing = row
        self._fill_editor(self.documents[row])
        self.editor_error.clear()
        self._sync_buttons()

    def _add(self) -> None:
        value = self._editor_value()
        if not value["kind"]:
            self.editor_error.show_error("Choose the kind of paper first.")
            self.kind.setFocus()
            return
        if not value["signer"]:
            self.editor_error.show_error("Choose who signed it (or 'Signer unknown or unreadable').")
            self.signer.setFocus()
            return
        if self.editing is None:
            self.documents.append(value)
        else:
            self.documents[self.editing] = value
        self._refresh()
        self.clear_editor()
        self._wizard.changed.emit()

    def _remove(self) -> None:
        row = self.editing
        if row is None or not 0 <= row < len(self.documents):
            return
        answer = QMessageBox.question(
            self,
            "Remove paper",
            f"Remove paper {row + 1}, {self.list.item(row).text()}?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        del self.documents[row]
        self._refresh()
        self.clear_editor()
        self._wizard.changed.emit()

    def _refresh(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for index, doc in enumerate(self.documents, 1):
            text = f"{index}. {labels.DOCUMENT_KIND[doc['kind']]}, {labels.SIGNER[doc['signer']].lower()}"
            if doc.get("signer_name"):
                text += f" ({doc['signer_name']})"
            if doc.get("edition"):
                text += f", edition {doc['edition']}"
            text += ", verified" if doc.get("verified") else ", not verified"
            if doc.get("cancels_prior"):
                text += ", cancels an earlier request"
            self.list.addItem(text)
        self.list.blockSignals(False)

    def set_documents(self, documents: list[dict[str, Any]]) -> None:
        self.documents = [dict(d) for d in documents]
        self._refresh()
        self.clear_editor()

    # Scans: picked with a dialog or dropped on the page; checked by content when attached.
    def _pick_scan(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Attach a scan", str(Path.home()), "Scans (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)"
        )
        if name:
            self.attach(Path(name))

    def attach(self, path: Path) -> bool:
        from desktop.store.errors import InvalidInput

        try:
            self._wizard.desk.cases.check_scan(path)
        except InvalidInput as exc:
            log.info("scan %s refused", path, exc_info=True)
            self.scan_error.show_error(str(exc))
            return False
        self.scan_error.clear()
        self.scans.append(path)
        self.scan_list.addItem(path.name)
        return True

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.attach(Path(url.toLocalFile()))
        event.acceptProposedAction()

    def validatePage(self) -> bool:
        # A paper started but not added is never dropped, nor added unseen: the officer decides.
        if self.pending():
            what = (
                "A change to the selected paper is not saved yet: Update it or Clear it."
                if self.editing is not None
                else ("A paper is not added yet: Add it or Clear it.")
            )
            self.editor_error.show_error(what)
            self.add_button.setFocus()
            return False
        self.editor_error.clear()
        return True


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
        form = QFormLayout(_scrolling(self))
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

    def check_booking(self) -> None:
        """Warn when the log already holds an immigration request for this booking number (3C v2, item 9)."""
        booking = _text(self.booking)
        earlier = self._wizard.earlier_cases(booking) if booking else []
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


class RequestPage(QWizardPage):
    """4. What is asked, and the few facts about the request the rules need."""

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self.setTitle("4. What is asked")
        self.setSubTitle("Tick everything the requester asks for.")
        self._wizard = wizard
        form = QFormLayout(_scrolling(self))
        self.asked = CheckList(vocab.ACTIONS, labels.ACTION, name="Actions asked")
        for row in range(self.asked.count()):
            item = self.asked.item(row)
            value = str(item.data(Qt.ItemDataRole.UserRole))
            tip = wizard.guidance.help_for("action", value, labels.ACTION_HELP)
            if tip:
                item.setToolTip(tip)
                item.setText(f"{item.text()}  ⓘ")
        self.asked.setMaximumHeight(210)
        self.actions_error = add_field(form, "&Asked to:", self.asked, "Actions asked")
        self.action_help = _help_label("About this action")
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
        self.relay_label = QLabel("&Did they mention ICE, DHS or a detainer, or say the answer will be passed on?")
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
        self.public_records = QCheckBox(with_mnemonic(wizard.guidance.public_records_label, "records"))
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

    def initializePage(self) -> None:
        self.sync_relay()

    def _show_action_help(self, item: QListWidgetItem | None) -> None:
        self.action_help.setText(item.toolTip() if item is not None else "")

    def _sync_info(self) -> None:
        self.info.setEnabled("share_info" in self.asked.values())

    def relay_asked(self) -> bool:
        """LEGAL.md 3C v2, item 9: a criminal matter from a requester that may be relaying DHS."""
        requester = self._wizard.received_page.requester.value()
        return requester in RELAY_REQUESTERS and self.purpose.value() == "criminal_unrelated"

    def sync_relay(self) -> None:
        shown = self.relay_asked()
        for widget in (self.relay_label, self.relay):
            widget.setVisible(shown)
        if not shown:
            self.relay_error.clear()

    def relay_answer(self) -> str | None:
        return cast("str | None", self.relay.currentData()) if self.relay_asked() else None

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


class ReviewPage(QWizardPage):
    """5. Every answer grouped by page, each group with a way back to change it."""

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self.setTitle("5. Check the answers")
        self.setSubTitle("Change anything with its Edit button; nothing you entered is lost going back.")
        self._wizard = wizard
        self.layout_ = QVBoxLayout(_scrolling(self))
        self.groups: dict[int, QLabel] = {}
        self.edit_buttons: dict[int, QPushButton] = {}
        for page_id, title, button_text in (
            (PAGE_RECEIVED, "The request received", "Edit the re&quest received"),
            (PAGE_DOCUMENTS, "The papers", "Edit the &papers"),
            (PAGE_PERSON, "The person", "Edit the pe&rson"),
            (PAGE_REQUEST, "What is asked", "Edit &what is asked"),
        ):
            box = QGroupBox(title)
            row = QHBoxLayout(box)
            text = QLabel()
            text.setWordWrap(True)
            text.setAccessibleName(f"Answers: {title}")
            button = QPushButton(button_text)
            button.setAccessibleName(f"Edit {title.lower()}")
            button.clicked.connect(lambda _checked=False, p=page_id: wizard.go_to(p))
            row.addWidget(text, 1)
            row.addWidget(button)
            self.layout_.addWidget(box)
            self.groups[page_id] = text
            self.edit_buttons[page_id] = button
        self.layout_.addStretch()

    def initializePage(self) -> None:
        # The same rows the case view, the memo and `show` print (desktop/present.py), a group per page.
        intake = self._wizard.desk.read_intake(self._wizard.intake_data())
        sections = present.request_sections(intake)
        pages = (PAGE_RECEIVED, PAGE_DOCUMENTS, PAGE_PERSON, PAGE_REQUEST)
        lines: dict[int, list[str]] = {page: [] for page in pages}
        for index, section in enumerate(sections):
            page = pages[min(index, len(pages) - 1)]  # the notes are typed on the last page
            lines[page] += [f"{row.label}: {row.value}" for row in section.rows if row.label != "Notes"]
            lines[page] += [f"Notes: {row.value[:300]}" for row in section.rows if row.label == "Notes"]
        relay = self._wizard.request_page.relay_answer()
        if relay in ("yes", "unsure"):
            lines[PAGE_REQUEST].append(
                "They mentioned ICE, DHS or a detainer" if relay == "yes" else "A relay is not ruled out"
            )
        for page in pages:
            self.groups[page].setText("\n".join(lines[page]))


class DecisionPage(QWizardPage):
    """6. The decision: what to do and what to say first, warnings on top, the reasons under Details."""

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self.setTitle("6. The City's response")
        self.setSubTitle("Read it before recording. If you disagree, say why: a supervisor will review it.")
        self._wizard = wizard
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Record case")
        layout = QVBoxLayout(self)
        self.recording_as = QLabel()
        self.recording_as.setAccessibleName("Recording as")
        layout.addWidget(self.recording_as)
        self.view = QTextBrowser()
        self.view.setAccessibleName("Decision and reasons")
        self.view.setOpenLinks(False)
        layout.addWidget(self.view, 1)
        self.error = FieldError("Decision")
        layout.addWidget(self.error)
        row = QHBoxLayout()
        self.details = QCheckBox("Show de&tails: codes, rules, reasons and the ordinance quoted")
        self.details.setAccessibleName("Show details")
        self.details.toggled.connect(self._show)
        row.addWidget(self.details)
        row.addStretch()
        self.preview_button = QPushButton("&Preview memo (draft)")
        self.preview_button.setAccessibleName("Preview the memo as a draft")
        self.preview_button.clicked.connect(self._preview)
        row.addWidget(self.preview_button)
        layout.addLayout(row)
        self.disagree = QCheckBox("I &disagree with this decision (a supervisor will review the case)")
        self.disagree.setAccessibleName("I disagree with this decision")
        layout.addWidget(self.disagree)
        form = QFormLayout()
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(52)
        self.reason_error = add_field(form, "&Why you disagree:", self.reason, "Why you disagree")
        layout.addLayout(form)
        self.amend_box = QWidget()
        amend_form = QFormLayout(self.amend_box)
        amend_form.setContentsMargins(0, 0, 0, 0)
        self.amend_reason = QLineEdit()
        self.amend_reason_error = add_field(
            amend_form, "Reason for the a&mendment:", self.amend_reason, "Reason for the amendment"
        )
        layout.addWidget(self.amend_box)
        self.disagree.toggled.connect(self.reason.setEnabled)
        self.reason.setEnabled(False)
        self.decided: Decided | None = None
        self._confirmed_blank = False

    def initializePage(self) -> None:
        self.error.clear()
        self.decided = None
        self._confirmed_blank = False
        self.amend_box.setVisible(self._wizard.amend_case is not None)
        what = f"amendment of case {self._wizard.amend_case}" if self._wizard.amend_case else "a new case"
        self.recording_as.setText(f"Recording as <b>{escape(self._wizard.session.label)}</b>, {what}.")
        try:
            self.decided = self._wizard.desk.decide(self._wizard.intake_data())
        except (IntakeError, PackError) as exc:
            log.info("the intake cannot be decided yet", exc_info=True)
            self.view.setHtml("<p>The request cannot be decided yet.</p>")
            self.error.show_error(str(exc))
            return
        self._show()

    def _show(self) -> None:
        if self.decided is not None:
            self.view.setHtml(decision_html(self.decided.decision, self.decided.pack, details=self.details.isChecked()))

    def _preview(self) -> None:
        if self.decided is None:
            return
        try:
            pdf = self._wizard.desk.paper.draft_memo(self._wizard.session, self.decided)
            path = temporary_files.write_pdf(pdf, prefix="safedesk-draft-")
        except Exception as exc:  # a memo problem must not lose the intake
            log.exception("the draft memo could not be made")
            QMessageBox.warning(self, "Preview", f"The draft memo could not be made: {exc}")
            return
        self._wizard.last_draft_path = path
        open_file(self, path)

    def _checked_before_recording(self) -> bool:
        """No case without a name or booking number unless confirmed; an open case for the booking number is
        offered for amendment instead (issue: five cases for one booking number, recorded without a word)."""
        subject = self._wizard.intake_data()["subject"]
        booking = subject.get("booking_number")
        if not booking and not subject.get("name") and not self._confirmed_blank:
            answer = QMessageBox.question(
                self,
                "No name, no booking number",
                "This case has neither a name nor a booking number, so it will be hard to find later. "
                "Record it anyway?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                self._wizard.go_to(PAGE_PERSON)
                return False
            self._confirmed_blank = True
            self._wizard.confirmed_checks.add("blank")
        if booking and self._wizard.amend_case is None:
            open_cases = self._wizard.desk.cases.open_for_booking(self._wizard.session, booking)
            if open_cases:
                first = open_cases[0]
                answer = QMessageBox.question(
                    self,
                    "A case is open for this booking number",
                    f"Case {first.case_number} for booking {booking} is still open "
                    f"({first.status}, received {self._wizard.desk.local_time(first.received_at):%d %b %Y %H:%M}).\n\n"
                    "Amend that case instead? (Yes: amend it; No: record a new case; Cancel: go back.)",
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel,
                    QMessageBox.StandardButton.Cancel,
                )
                if answer == QMessageBox.StandardButton.Cancel:
                    return False
                if answer == QMessageBox.StandardButton.Yes:
                    self._wizard.set_amend_case(first.case_number)
                    self.initializePage()
                    self.amend_reason_error.show_error("Give the reason for the amendment, then Record case.")
                    self.amend_reason.setFocus()
                    return False
                self._wizard.confirmed_checks.add("open-case")
        return True

    def validatePage(self) -> bool:
        if self.decided is None:
            self.error.show_error(self.error.message or "Go back and complete the request first.")
            return False
        override = None
        if self.disagree.isChecked():
            reason = self.reason.toPlainText().strip()
            if not reason:
                self.reason_error.show_error("Say why you disagree; the supervisor needs your reason.")
                self.reason.setFocus()
                return False
            self.reason_error.clear()
            override = Override(reason, self._wizard.session.label)
        amend_reason = self.amend_reason.text().strip()
        if self._wizard.amend_case is not None and not amend_reason:
            self.amend_reason_error.show_error("Give the reason for the amendment.")
            self.amend_reason.setFocus()
            return False
        if not self._checked_before_recording():
            return False
        return self._wizard.record(self.decided, override, amend_reason)


class RecordedPage(QWizardPage):
    """7. The case number, large, with the memo to print or open."""

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self.setTitle("7. Recorded")
        self._wizard = wizard
        layout = QVBoxLayout(self)
        self.number = QLabel()
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 2.6)
        font.setBold(True)
        self.number.setFont(font)
        self.number.setAccessibleName("Case number")
        layout.addWidget(self.number)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName("What was recorded")
        layout.addWidget(self.detail)
        row = QHBoxLayout()
        self.print_button = QPushButton("&Print…")
        self.print_button.setAccessibleName("Print the memo")
        self.preview_button = QPushButton("Pre&view")
        self.preview_button.setAccessibleName("Preview the memo as it will print")
        self.open_button = QPushButton("&Open in viewer")
        self.open_button.setAccessibleName("Save the memo and open it in the PDF viewer")
        row.addWidget(self.print_button)
        row.addWidget(self.preview_button)
        row.addWidget(self.open_button)
        row.addStretch()
        layout.addLayout(row)
        self.memo_error = FieldError("Memo")
        layout.addWidget(self.memo_error)
        layout.addStretch()
        self.print_button.clicked.connect(lambda: self._print())
        self.preview_button.clicked.connect(lambda: self._preview())
        self.open_button.clicked.connect(lambda: self._memo(print_it=False))

    def initializePage(self) -> None:
        saved = self._wizard.saved
        if saved is None:
            return
        self.number.setText(saved.case_number + (f"  (version {saved.version})" if saved.version > 1 else ""))
        review = " It is marked for review by a supervisor or counsel." if saved.status == Status.REFERRED else ""
        todo = "".join(
            f"<li><b>{labels.ACTION[r.action].split(' (')[0]}"
            f"{': ' + labels.INFO[r.info] if r.info else ''}</b>: {labels.CODE[r.code]}</li>"
            for r in saved.decision.responses
        )
        self.detail.setText(
            f"<p>Recorded by {escape(saved.officer)}. Record sha256 {saved.record_hash[:16]}….{review}</p>"
            f"<p>What to do now:</p><ul>{todo}</ul><p>Print the memo for the file.</p>"
        )
        self.print_button.setFocus()

    def _print(self) -> None:
        """The print dialog, then the print, audited once it succeeded (a cancelled print writes nothing)."""
        from desktop.ui.printing import print_memo

        saved = self._wizard.saved
        if saved is None:
            return
        try:
            self.print_outcome = print_memo(self, self._wizard.desk, saved.case_number, self._wizard.session)
        except Exception as exc:  # the case is recorded; only the print failed
            log.exception("the memo of case %s could not be printed", saved.case_number)
            self.memo_error.show_error(f"The memo could not be printed: {exc}")
            return
        self.memo_error.clear()

    def _preview(self) -> None:
        from desktop.ui.printing import MemoPreview

        saved = self._wizard.saved
        if saved is None:
            return
        try:
            dialog = MemoPreview(
                desk=self._wizard.desk, case_number=saved.case_number, session=self._wizard.session, parent=self
            )
        except Exception as exc:
            log.exception("the memo of case %s could not be previewed", saved.case_number)
            self.memo_error.show_error(f"The memo could not be shown: {exc}")
            return
        self.preview_dialog = dialog
        dialog.open()

    def _memo(self, *, print_it: bool = False) -> None:
        """Save the memo (audited as a memo saved) and open it in the system's PDF viewer."""
        saved = self._wizard.saved
        if saved is None:
            return
        try:
            path = self._wizard.desk.paper.print_memo(self._wizard.session, saved.case_number)
        except Exception as exc:  # the case is recorded; only the memo failed
            log.exception("the memo of case %s could not be written", saved.case_number)
            self.memo_error.show_error(f"The memo could not be written: {exc}")
            return
        self.memo_error.clear()
        self._wizard.memo_path = path
        open_file(self, path)


class IntakeWizard(QWizard):
    """The intake wizard. It only gathers answers and shows what the rules decide; it holds no rules."""

    changed = Signal()
    recorded = Signal(str)

    def __init__(
        self, *, desk: Desk, session: Session, amend_case: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.session = session  # the signed-in officer, whose key signs the record
        self.confirmed_checks: set[str] = set()  # the desk's checks before recording the officer confirmed
        self.guidance = desk.active_pack().guidance  # presets, desk cues and hints: the pack's words
        self.amend_case = amend_case
        self.saved: CaseVersion | None = None
        self.memo_path: Path | None = None
        self.last_draft_path: Path | None = None
        self.draft_id: str | None = None  # the draft these answers are saved to (set by the main window)
        self._quiet_close = False
        pack = desk.active_pack()
        self.zone_name = pack.time_zone or ""
        self.setWindowTitle(f"Amend case {amend_case}" if amend_case else "New request")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        # Every button of the wizard has its own mnemonic, unique on every page (tests/gui/test_keyboard.py).
        for button, text in (
            (QWizard.WizardButton.BackButton, "< &Back"),
            (QWizard.WizardButton.NextButton, "&Next >"),
            (QWizard.WizardButton.FinishButton, "&Finish"),
            (QWizard.WizardButton.CancelButton, "Cancel"),
        ):
            self.setButtonText(button, text)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.received_page = ReceivedPage(self)
        self.documents_page = DocumentsPage(self)
        self.person_page = PersonPage(self)
        self.request_page = RequestPage(self)
        self.review_page = ReviewPage(self)
        self.decision_page = DecisionPage(self)
        self.recorded_page = RecordedPage(self)
        for page_id, page in enumerate(
            (
                self.received_page,
                self.documents_page,
                self.person_page,
                self.request_page,
                self.review_page,
                self.decision_page,
                self.recorded_page,
            )
        ):
            self.setPage(page_id, page)
        fit_to_screen(self, 980, 700)
        self._dirty = False
        self.changed.connect(self._mark_dirty)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._keep_focus_visible)

    def _keep_focus_visible(self, _old: QWidget | None, new: QWidget | None) -> None:
        """A page scrolls to the field that takes the focus (Tab never leaves the officer looking elsewhere)."""
        if new is None:
            return
        widget: QWidget | None = new
        while widget is not None and widget is not self:
            parent = widget.parentWidget()
            if isinstance(parent, QWidget) and isinstance(parent.parentWidget(), QScrollArea):
                area = cast(QScrollArea, parent.parentWidget())
                if not isinstance(new, QAbstractScrollArea) or new.height() < area.viewport().height():
                    area.ensureWidgetVisible(new)
                return
            widget = parent

    def earlier_cases(self, booking_number: str) -> list[CaseSummary]:
        """Cases the log already holds for this booking number (not the one being amended)."""
        from desktop.store import StoreError

        try:
            cases = self.desk.cases.for_booking(self.session, booking_number)
        except StoreError:
            log.exception("the cases of booking %s could not be read", booking_number)
            return []
        return [c for c in cases if c.case_number != self.amend_case]

    def set_amend_case(self, case_number: str) -> None:
        """Amend that case instead of recording a new one (the officer chose to, on the decision page)."""
        self.amend_case = case_number
        self.setWindowTitle(f"Amend case {case_number}")
        self.changed.emit()

    def discard_quietly(self) -> None:
        """Close without asking (the main window has asked already, when the app quits)."""
        self._quiet_close = True
        self.reject()

    def _mark_dirty(self) -> None:
        self._dirty = True

    @property
    def has_answers(self) -> bool:
        return self._dirty and self.saved is None

    # --- answers in and out (the contract's intake, as a plain dict) ----------------------------

    def intake_data(self) -> dict[str, Any]:
        """The answers so far as a contract intake (it may not be complete or valid yet)."""
        try:
            received = self.received_page.moment()
        except WhenError:  # not readable yet: a draft keeps now; page 1 refuses to go on
            received = self.desk.local_now().replace(second=0, microsecond=0)
        data: dict[str, Any] = {
            "received_at": received.isoformat(),
            "channel": self.received_page.channel.value(),
            "requester": self.received_page.requester.value(),
            "documents": [{k: v for k, v in d.items() if v is not None} for d in self.documents_page.documents],
            "actions": self.request_page.asked.values(),
            "subject": {
                "custody": self.person_page.custody.value(),
                "release_blockers": self.person_page.blockers.values(),
                "minor": self.person_page.minor.isChecked(),
            },
            "purpose": self.request_page.purpose.value(),
            "benefit": self.request_page.benefit.value(),
            "claims_mandatory": self.request_page.mandatory.isChecked(),
            "public_records_request": self.request_page.public_records.isChecked(),
        }
        if "share_info" in data["actions"]:
            data["info"] = self.request_page.info.values()
        if data["requester"] == "subject_or_attorney":
            data["consent_confirmed"] = self.received_page.consent.isChecked()
        # LEGAL.md 3C v2, item 9: a yes (or not sure) to the relay question unmasks a relayed DHS request.
        relay = self.request_page.relay_answer()
        if relay == "yes" and data["requester"] == "state_or_local":
            data["requester"] = "state_or_local_relay"
        elif relay in ("yes", "unsure"):
            data["purpose"] = "mixed_or_unknown"
        for key, widget in (("requester_name", self.received_page.requester_name),):
            if value := _text(widget):
                data[key] = value
        for key, widget in (("booking_number", self.person_page.booking), ("name", self.person_page.name)):
            if value := _text(widget):
                data["subject"][key] = value
        notes = self.request_page.notes.toPlainText()
        if notes.strip():
            data["notes"] = notes
        return data

    def load(self, data: dict[str, Any], *, keep_received: bool = False) -> None:
        """Fill the pages from a (possibly partial) intake: a preset, a saved draft or a case to amend."""
        received_page, person, request = self.received_page, self.person_page, self.request_page
        if "received_at" in data and not keep_received:
            try:
                received_page.set_moment(dt.datetime.fromisoformat(data["received_at"]))
            except (ValueError, LookupError):
                pass
        if "channel" in data:
            received_page.channel.set_value(data["channel"])
        if "requester" in data:
            received_page.requester.set_value(data["requester"])
        if "requester_name" in data:
            received_page.requester_name.setText(data["requester_name"] or "")
        if "consent_confirmed" in data:
            received_page.consent.setChecked(bool(data["consent_confirmed"]))
        if "documents" in data:
            self.documents_page.set_documents(data["documents"])
        subject = data.get("subject") or {}
        if "custody" in subject:
            person.custody.set_value(subject["custody"])
        if "release_blockers" in subject:
            person.blockers.set_values(subject["release_blockers"])
        if "minor" in subject:
            person.minor.setChecked(bool(subject["minor"]))
        if "booking_number" in subject:
            person.booking.setText(subject["booking_number"] or "")
        if "name" in subject:
            person.name.setText(subject["name"] or "")
        if "actions" in data:
            request.asked.set_values(data["actions"])
        if "info" in data:
            request.info.set_values(data["info"] or [])
        if "purpose" in data:
            request.purpose.set_value(data["purpose"])
        if "benefit" in data:
            request.benefit.set_value(data["benefit"])
        if "claims_mandatory" in data:
            request.mandatory.setChecked(bool(data["claims_mandatory"]))
        if "public_records_request" in data:
            request.public_records.setChecked(bool(data["public_records_request"]))
        if "notes" in data:
            request.notes.setPlainText(data["notes"] or "")

    def preset(self, name: str) -> dict[str, Any]:
        """The intake fields the pack's preset of that name fills."""
        return next(dict(p.intake) for p in self.guidance.presets if p.name == name)

    # --- navigation and recording ---------------------------------------------------------------

    def go_to(self, page_id: int) -> None:
        """Go back to an earlier page (QWizard keeps every answer on the way)."""
        while self.currentId() > page_id and self.currentId() != -1:
            self.back()

    def record(self, decided: Decided, override: Override | None, amend_reason: str) -> bool:
        """Record the case (or the amendment) with its scans, all in one transaction: all or nothing."""
        from desktop.store import StoreError

        try:
            confirmed = self._confirm_checks(decided)
            if confirmed is None:
                return False
            if self.amend_case is None:
                self.saved = self.desk.cases.record(
                    self.session, decided, override=override, scans=self.documents_page.scans, confirmed=confirmed
                )
            else:
                self.saved = self.desk.cases.amend(
                    self.session,
                    self.amend_case,
                    decided,
                    reason=amend_reason,
                    override=override,
                    scans=self.documents_page.scans,
                    confirmed=confirmed,
                )
        except StoreError as exc:
            log.exception("recording failed")
            # Nothing typed is lost: the wizard stays on this page with every answer.
            QMessageBox.critical(
                self,
                "The case could not be recorded",
                f"{exc}\n\nYour answers are kept; try again, or call IT if it keeps happening.",
            )
            return False
        self.recorded.emit(self.saved.case_number)
        QTimer.singleShot(0, self.changed.emit)
        return True

    def _confirm_checks(self, decided: Decided) -> set[str] | None:
        """The desk's checks before recording (desk/cases.py), each asked unless the pages asked it already;
        None when the officer said No to one."""
        confirmed = set(self.confirmed_checks)
        if self.request_page.relay_answer() == "no":
            confirmed.add("relay")  # the request page asked the relay question, and they said no
        for check in self.desk.cases.checks(self.session, decided.intake, amending=self.amend_case):
            if check.id in confirmed:
                continue
            answer = QMessageBox.question(
                self,
                "Before recording",
                f"{check.message[0].upper()}{check.message[1:]}.\n\nRecord it anyway?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
            confirmed.add(check.id)
        return confirmed

    def reject(self) -> None:
        if self.has_answers and not self._quiet_close:
            answer = QMessageBox.question(
                self,
                "Close the request?",
                "The request is not recorded. Close it anyway? (It stays saved as a draft you can resume.)",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()
