"""The guided intake: one page per question group, a review, the decision with its reasons, then record."""

from __future__ import annotations

import datetime as dt
import logging
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QDateTime, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
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

from desktop.records import Actor, CaseVersion, Override
from desktop.rules import IntakeError, PackError, labels, vocab
from desktop.ui.decision_html import decision_html
from desktop.ui.widgets import CheckList, EnumCombo, FieldError, add_field, open_file, with_mnemonic

if TYPE_CHECKING:
    from desktop.desk import Decided, Desk

log = logging.getLogger(__name__)

PAGE_RECEIVED, PAGE_DOCUMENTS, PAGE_PERSON, PAGE_REQUEST, PAGE_REVIEW, PAGE_DECISION, PAGE_RECORDED = range(7)


def _text(widget: QLineEdit) -> str | None:
    value = " ".join(widget.text().split())
    return value or None


class ReceivedPage(QWizardPage):
    """1. When, how and from whom the request came."""

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self.setTitle("1. The request received")
        self.setSubTitle("When it came, how, and from whom. Pick a common paper to fill in the usual answers.")
        form = QFormLayout(self)
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
        # The desk's clock (tests set it), shown on this computer's clock as the officer reads it.
        now = wizard.desk.clock().astimezone().replace(second=0, microsecond=0, tzinfo=None)
        self.received = QDateTimeEdit(QDateTime(now))
        self.received.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        self.received.setCalendarPopup(True)
        self.received_error = add_field(
            form, "&Received:", self.received, "Received at", "When the desk received the request (defaults to now)."
        )
        self.channel = EnumCombo(vocab.CHANNELS, labels.CHANNEL, name="Channel")
        add_field(form, "&Channel:", self.channel, "Channel")
        self.requester = EnumCombo(vocab.REQUESTERS, labels.REQUESTER, name="Requester")
        add_field(
            form, "Re&quester:", self.requester, "Requester", "Who is asking, as far as the paper or caller says."
        )
        self.requester_name = QLineEdit()
        self.requester_name.setPlaceholderText("Name, title, office and phone, as given")
        add_field(form, "Requester's &name and contact:", self.requester_name, "Requester name and contact")
        self._wizard = wizard
        for signal in (
            self.received.dateTimeChanged,
            self.channel.currentIndexChanged,
            self.requester.currentIndexChanged,
            self.requester_name.textChanged,
        ):
            signal.connect(wizard.changed)

    def _apply_preset(self, index: int) -> None:
        name = self.preset.itemData(index)
        if name:
            self._wizard.load(self._wizard.preset(name), keep_received=True)

    def validatePage(self) -> bool:
        moment = cast(dt.datetime, self.received.dateTime().toPython())
        now = self._wizard.desk.clock().astimezone().replace(tzinfo=None)
        if moment > now + dt.timedelta(minutes=5):
            self.received_error.show_error("The request cannot have been received in the future.")
            self.received.setFocus()
            return False
        self.received_error.clear()
        return True


class DocumentsPage(QWizardPage):
    """2. Each paper received, with the desk cues for telling a judge's paper from a DHS form."""

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self.setTitle("2. The papers")
        self.setSubTitle("Add each paper. No paper at all is a valid answer (a phone call or a visit).")
        self.setAcceptDrops(True)
        self._wizard = wizard
        self.documents: list[dict[str, Any]] = []
        self.scans: list[Path] = []
        grid = QGridLayout(self)
        editor = QGroupBox("Paper")
        form = QFormLayout(editor)
        self.kind = EnumCombo(vocab.DOCUMENT_KINDS, labels.DOCUMENT_KIND, name="Paper kind")
        add_field(form, "&Kind:", self.kind, "Paper kind", "The form number in the footer, or what the paper is.")
        self.signer = EnumCombo(vocab.SIGNERS, labels.SIGNER, name="Signed by")
        add_field(form, "&Signed by:", self.signer, "Signed by")
        self.signer_name = QLineEdit()
        add_field(form, "Signer's na&me/title:", self.signer_name, "Signer name and title")
        self.edition = QLineEdit()
        self.edition.setPlaceholderText("e.g. 03/17, from the footer")
        add_field(form, "&Edition:", self.edition, "Form edition")
        self.verified = QCheckBox("&Verified with NCIC, the issuing court or the U.S. Marshals")
        self.verified.setAccessibleName("Verified")
        form.addRow("", self.verified)
        self.cancels = QCheckBox("Cance&ls an earlier request")
        self.cancels.setAccessibleName("Cancels an earlier request")
        form.addRow("", self.cancels)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName("About this kind of paper")
        form.addRow("", self.hint)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Add paper")
        self.add_button.setAccessibleName("Add paper")
        self.remove_button = QPushButton("Re&move paper")
        self.remove_button.setAccessibleName("Remove selected paper")
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        form.addRow("", buttons)
        grid.addWidget(editor, 0, 0)

        self.list = QListWidget()
        self.list.setAccessibleName("Papers added")
        list_label = QLabel("Papers &added:")
        list_label.setBuddy(self.list)
        grid.addWidget(list_label, 1, 0)
        grid.addWidget(self.list, 2, 0)

        scans = QHBoxLayout()
        self.attach_button = QPushButton("Attach &scan…")
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
        cues.setMinimumWidth(280)
        grid.addWidget(cues, 0, 1, 5, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)

        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        self.attach_button.clicked.connect(self._pick_scan)
        self.kind.currentIndexChanged.connect(self._show_hint)
        self._show_hint()

    def _show_hint(self) -> None:
        self.hint.setText(self._wizard.guidance.kind_hints.get(self.kind.value(), ""))

    def _editor_value(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value(),
            "signer": self.signer.value(),
            "signer_name": _text(self.signer_name),
            "edition": _text(self.edition),
            "verified": self.verified.isChecked(),
            "cancels_prior": self.cancels.isChecked(),
        }

    def _add(self) -> None:
        self.documents.append(self._editor_value())
        self._refresh()
        self.signer_name.clear()
        self.edition.clear()
        self.verified.setChecked(False)
        self.cancels.setChecked(False)
        self.kind.setFocus()
        self._wizard.changed.emit()

    def _remove(self) -> None:
        row = self.list.currentRow()
        if row < 0 and self.documents:
            row = len(self.documents) - 1
        if 0 <= row < len(self.documents):
            del self.documents[row]
            self._refresh()
            self._wizard.changed.emit()

    def _refresh(self) -> None:
        self.list.clear()
        for doc in self.documents:
            text = f"{labels.DOCUMENT_KIND[doc['kind']]}, {labels.SIGNER[doc['signer']].lower()}"
            if doc.get("signer_name"):
                text += f" ({doc['signer_name']})"
            text += ", verified" if doc.get("verified") else ", not verified"
            if doc.get("cancels_prior"):
                text += ", cancels an earlier request"
            self.list.addItem(text)

    def set_documents(self, documents: list[dict[str, Any]]) -> None:
        self.documents = [dict(d) for d in documents]
        self._refresh()

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
            self._wizard.desk.check_scan(path)
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
        # A paper filled in but never added is almost always a slip: add it rather than lose it.
        if (self.signer_name.text().strip() or self.edition.text().strip()) and not self.list.count():
            self._add()
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
        form = QFormLayout(self)
        self.booking = QLineEdit()
        add_field(form, "&Booking number:", self.booking, "Booking number")
        self.name = QLineEdit()
        add_field(form, "&Name (as booked):", self.name, "Name as booked")
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
        self.minor = QCheckBox("&Under 18")
        self.minor.setAccessibleName("Under 18")
        form.addRow("", self.minor)
        for signal in (
            self.booking.textChanged,
            self.name.textChanged,
            self.custody.currentIndexChanged,
            self.blockers.changed,
            self.minor.toggled,
        ):
            signal.connect(wizard.changed)


class RequestPage(QWizardPage):
    """4. What is asked, and the few facts about the request the rules need."""

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self.setTitle("4. What is asked")
        self.setSubTitle("Tick everything the requester asks for.")
        form = QFormLayout(self)
        self.asked = CheckList(vocab.ACTIONS, labels.ACTION, name="Actions asked")
        self.asked.setMaximumHeight(210)
        self.actions_error = add_field(form, "&Asked to:", self.asked, "Actions asked")
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
        self.benefit = EnumCombo(vocab.BENEFITS, labels.BENEFIT, name="Benefit")
        add_field(form, "&Benefit involved:", self.benefit, "Benefit involved")
        self.mandatory = QCheckBox("The requester says a law or order makes it &mandatory")
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
        self._sync_info()
        for signal in (
            self.asked.changed,
            self.info.changed,
            self.purpose.currentIndexChanged,
            self.benefit.currentIndexChanged,
            self.mandatory.toggled,
            self.public_records.toggled,
            self.notes.textChanged,
        ):
            signal.connect(wizard.changed)

    def _sync_info(self) -> None:
        self.info.setEnabled("share_info" in self.asked.values())

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
        return ok


class ReviewPage(QWizardPage):
    """5. Every answer grouped by page, each group with a way back to change it."""

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self.setTitle("5. Check the answers")
        self.setSubTitle("Change anything with its Edit button; nothing you entered is lost going back.")
        self._wizard = wizard
        outer = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        self.layout_ = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll)
        self.groups: dict[int, QLabel] = {}
        self.edit_buttons: dict[int, QPushButton] = {}
        for page_id, title in (
            (PAGE_RECEIVED, "The request received"),
            (PAGE_DOCUMENTS, "The papers"),
            (PAGE_PERSON, "The person"),
            (PAGE_REQUEST, "What is asked"),
        ):
            box = QGroupBox(title)
            row = QHBoxLayout(box)
            text = QLabel()
            text.setWordWrap(True)
            text.setAccessibleName(f"Answers: {title}")
            button = QPushButton(f"Edit {title.lower()}")
            button.setAccessibleName(f"Edit {title.lower()}")
            button.clicked.connect(lambda _checked=False, p=page_id: wizard.go_to(p))
            row.addWidget(text, 1)
            row.addWidget(button)
            self.layout_.addWidget(box)
            self.groups[page_id] = text
            self.edit_buttons[page_id] = button
        self.layout_.addStretch()

    def initializePage(self) -> None:
        data = self._wizard.intake_data()
        subject = data["subject"]
        received = data["received_at"][:16].replace("T", " ")
        self.groups[PAGE_RECEIVED].setText(
            f"{received}, {labels.CHANNEL[data['channel']].lower()}, from {labels.REQUESTER[data['requester']]}"
            + (f" ({data['requester_name']})" if data.get("requester_name") else "")
        )
        docs = [
            labels.DOCUMENT_KIND[d["kind"]] + (" (verified)" if d.get("verified") else "") for d in data["documents"]
        ]
        self.groups[PAGE_DOCUMENTS].setText("\n".join(docs) or "No paper (a verbal or informal request)")
        blockers = ", ".join(labels.RELEASE_BLOCKER[b] for b in subject["release_blockers"]) or "nothing else"
        self.groups[PAGE_PERSON].setText(
            f"{subject.get('name') or '(no name)'}, booking {subject.get('booking_number') or '-'}\n"
            f"{labels.CUSTODY[subject['custody']]}; held by: {blockers}" + ("; under 18" if subject["minor"] else "")
        )
        asked = "; ".join(labels.ACTION[a] for a in data["actions"])
        if data.get("info"):
            asked += "\nInformation: " + "; ".join(labels.INFO[i] for i in data["info"])
        extras = [labels.PURPOSE[data["purpose"]]]
        if data["benefit"] != "none":
            extras.append(f"benefit: {labels.BENEFIT[data['benefit']]}")
        if data["claims_mandatory"]:
            extras.append("says it is mandatory")
        if data["public_records_request"]:
            extras.append("public-records request")
        self.groups[PAGE_REQUEST].setText(f"{asked}\n{'; '.join(extras)}")


class DecisionPage(QWizardPage):
    """6. The decision and its reasons, exactly as the memo will print them; record from here."""

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self.setTitle("6. The City's response")
        self.setSubTitle("Read it before recording. If you disagree, say why: a supervisor will review it.")
        self._wizard = wizard
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Record case")
        layout = QVBoxLayout(self)
        self.view = QTextBrowser()
        self.view.setAccessibleName("Decision and reasons")
        layout.addWidget(self.view, 1)
        self.error = FieldError("Decision")
        layout.addWidget(self.error)
        row = QHBoxLayout()
        self.preview_button = QPushButton("&Preview memo (draft)")
        self.preview_button.setAccessibleName("Preview the memo as a draft")
        self.preview_button.clicked.connect(self._preview)
        row.addWidget(self.preview_button)
        row.addStretch()
        layout.addLayout(row)
        self.disagree = QCheckBox("I &disagree with this decision (a supervisor will review the case)")
        self.disagree.setAccessibleName("I disagree with this decision")
        layout.addWidget(self.disagree)
        form = QFormLayout()
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(60)
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

    def initializePage(self) -> None:
        self.error.clear()
        self.decided = None
        self.amend_box.setVisible(self._wizard.amend_case is not None)
        try:
            self.decided = self._wizard.desk.decide(self._wizard.intake_data())
        except (IntakeError, PackError) as exc:
            log.info("the intake cannot be decided yet", exc_info=True)
            self.view.setHtml("<p>The request cannot be decided yet.</p>")
            self.error.show_error(str(exc))
            return
        self.view.setHtml(decision_html(self.decided.decision.to_dict(), self.decided.pack))

    def _preview(self) -> None:
        if self.decided is None:
            return
        try:
            path = self._wizard.desk.draft_memo(self.decided, actor=self._wizard.actor)
        except Exception as exc:  # a memo problem must not lose the intake
            log.exception("the draft memo could not be made")
            QMessageBox.warning(self, "Preview", f"The draft memo could not be made: {exc}")
            return
        self._wizard.last_draft_path = path
        open_file(self, path)

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
            override = Override(reason, self._wizard.actor.label)
        amend_reason = self.amend_reason.text().strip()
        if self._wizard.amend_case is not None and not amend_reason:
            self.amend_reason_error.show_error("Give the reason for the amendment.")
            self.amend_reason.setFocus()
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
        review = " It is marked for review by a supervisor or counsel." if saved.status == "referred" else ""
        todo = "".join(
            f"<li><b>{labels.ACTION[r['action']].split(' (')[0]}"
            f"{': ' + labels.INFO[r['info']] if r['info'] else ''}</b>: {labels.CODE[r['code']]}</li>"
            for r in saved.decision["responses"]
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
            self.print_outcome = print_memo(self, self._wizard.desk, saved.case_number, self._wizard.actor)
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
                desk=self._wizard.desk, case_number=saved.case_number, actor=self._wizard.actor, parent=self
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
            path = self._wizard.desk.print_memo(saved.case_number, actor=self._wizard.actor)
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
        self, *, desk: Desk, officer: str, amend_case: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.officer = officer
        self.actor = Actor.parse(officer)
        self.guidance = desk.active_pack().guidance  # presets, desk cues and hints: the pack's words
        self.amend_case = amend_case
        self.saved: CaseVersion | None = None
        self.memo_path: Path | None = None
        self.last_draft_path: Path | None = None
        self.setWindowTitle(f"Amend case {amend_case}" if amend_case else "New request")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
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
        self.resize(980, 700)
        self._dirty = False
        self.changed.connect(self._mark_dirty)

    def _mark_dirty(self) -> None:
        self._dirty = True

    @property
    def has_answers(self) -> bool:
        return self._dirty and self.saved is None

    # --- answers in and out (the contract's intake, as a plain dict) ----------------------------

    def intake_data(self) -> dict[str, Any]:
        """The answers so far as a contract intake (it may not be complete or valid yet)."""
        moment = cast(dt.datetime, self.received_page.received.dateTime().toPython())
        received = moment.replace(second=0, microsecond=0)
        data: dict[str, Any] = {
            "received_at": received.astimezone().isoformat(),
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
                moment = dt.datetime.fromisoformat(data["received_at"]).astimezone()
                received_page.received.setDateTime(QDateTime(moment.replace(tzinfo=None)))
            except ValueError:
                pass
        if "channel" in data:
            received_page.channel.set_value(data["channel"])
        if "requester" in data:
            received_page.requester.set_value(data["requester"])
        if "requester_name" in data:
            received_page.requester_name.setText(data["requester_name"] or "")
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
            if self.amend_case is None:
                self.saved = self.desk.record(
                    decided, actor=self.actor, override=override, scans=self.documents_page.scans
                )
            else:
                self.saved = self.desk.amend(
                    self.amend_case,
                    decided,
                    actor=self.actor,
                    reason=amend_reason,
                    override=override,
                    scans=self.documents_page.scans,
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

    def reject(self) -> None:
        if self.has_answers:
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
