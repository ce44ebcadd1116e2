"""Page 2 of the intake: each paper received, its scans, and the desk cues for telling a judge's paper
from a DHS form."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTextBrowser,
    QWidget,
    QWizardPage,
)

from desktop.rules import labels, vocab
from desktop.ui.intake.layout import help_label, scrolling, text_of
from desktop.ui.messages import confirm
from desktop.ui.ops import DeskOp
from desktop.ui.widgets import EnumCombo, FieldError, add_field

if TYPE_CHECKING:
    from desktop.ui.intake.wizard import IntakeWizard

# The signer a DHS form is signed by; every other paper's signer is left for the officer to choose.
FORM_SIGNER = {
    **dict.fromkeys(("I-247A", "I-247D", "I-247N", "I-247X", "I-247", "I-200", "I-205", "I-203"), "dhs_officer"),
    **dict.fromkeys(("I-286", "I-862", "I-138"), "dhs_officer"),
    "eoir_order": "immigration_judge",
}


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
        grid = QGridLayout(scrolling(self))
        editor = QGroupBox("Paper")
        form = QFormLayout(editor)
        self.kind = EnumCombo(
            vocab.DOCUMENT_KINDS, labels.DOCUMENT_KIND, name="Paper kind", blank="(choose the kind of paper…)"
        )
        add_field(form, "&Kind:", self.kind, "Paper kind", "The form number in the footer, or what the paper is.")
        self.hint = help_label("About this kind of paper")
        form.addRow("", self.hint)
        self.signer = EnumCombo(vocab.SIGNERS, labels.SIGNER, name="Signed by", blank="(choose who signed it…)")
        add_field(form, "Si&gned by:", self.signer, "Signed by")
        self.signer_help = help_label("About this signer")
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
        self.notice = QLabel()
        self.notice.setAccessibleName("What happened to the paper")
        form.addRow("", self.notice)
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

    def first_field(self) -> QWidget:
        return self.kind

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
            "signer_name": text_of(self.signer_name),
            "edition": text_of(self.edition),
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
        self._focus(self.kind)

    def _sync_buttons(self) -> None:
        editing = self.editing is not None
        self.add_button.setText("&Update paper" if editing else "&Add paper")
        self.add_button.setAccessibleName("Update the selected paper" if editing else "Add paper")
        self.remove_button.setEnabled(editing)

    def _select(self, row: int) -> None:
        """Show the selected paper in the editor. A change to the paper shown before is applied first, never
        dropped: moving off it is Update (or, when the change cannot be applied, the selection stays)."""
        if row < 0 or row >= len(self.documents) or row == self.editing:
            return
        if self.editing is None and self.pending():
            self.editor_error.show_error("A paper is not added yet: Add it or Clear it.")
            self._select_quietly(-1)
            return
        if self.editing is not None and self.pending():
            left = self.editing
            if not self._store_editor():
                self._select_quietly(left)  # the change stays in the editor, with the reason it cannot be kept
                return
            self.notice.setText(f"Paper {left + 1} updated with your change.")
        else:
            self.notice.clear()
        self.editing = row
        self._fill_editor(self.documents[row])
        self.editor_error.clear()
        self._sync_buttons()

    def _select_quietly(self, row: int) -> None:
        self.list.blockSignals(True)
        self.list.setCurrentRow(row)
        self.list.blockSignals(False)

    def _store_editor(self) -> bool:
        """The paper in the editor into the list (a new one added, an added one updated); False, said under
        the editor, when it cannot be: no kind, or no signer."""
        value = self._editor_value()
        if not value["kind"]:
            self.editor_error.show_error("Choose the kind of paper first.")
            self._focus(self.kind)
            return False
        if not value["signer"]:
            self.editor_error.show_error("Choose who signed it (or 'Signer unknown or unreadable').")
            self._focus(self.signer)
            return False
        if self.editing is None:
            self.documents.append(value)
            self.list.blockSignals(True)
            self.list.addItem(describe_paper(len(self.documents), value))
            self.list.blockSignals(False)
        else:
            self.documents[self.editing] = value
            self.list.item(self.editing).setText(describe_paper(self.editing + 1, value))
        self._wizard.changed.emit()
        return True

    def _focus(self, widget: QWidget) -> None:
        """Focus a field of this page, only while the page is shown (a preset fills it from page 1)."""
        if self._wizard.currentPage() is self:
            widget.setFocus()

    def _add(self) -> None:
        if self._store_editor():
            self.notice.clear()
            self.clear_editor()

    def _remove(self) -> None:
        row = self.editing
        if row is None or not 0 <= row < len(self.documents):
            return
        if not confirm(self, "Remove paper", f"Remove paper {row + 1}, {self.list.item(row).text()}?"):
            return
        del self.documents[row]
        self._refresh()
        self.notice.clear()
        self.clear_editor()
        self._wizard.changed.emit()

    def _refresh(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for index, doc in enumerate(self.documents, 1):
            self.list.addItem(describe_paper(index, doc))
        self.list.blockSignals(False)

    # --- the page's answers ---------------------------------------------------------------------

    def answers(self) -> dict[str, Any]:
        """This page's part of the intake: the papers added (the one in the editor only once added)."""
        return {"documents": [{k: v for k, v in d.items() if v is not None} for d in self.documents]}

    def load(self, data: dict[str, Any]) -> None:
        if "documents" in data:
            self.set_documents(data["documents"])

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
        """Check a scan by its content now (the desk checks it again when the case is recorded)."""
        checked = DeskOp(self, "checking a scan", lambda: self._wizard.desk.cases.check_scan(path))
        checked.on_failure(lambda exc: self.scan_error.show_error(str(exc))).run()
        if not checked.ok:
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


def describe_paper(number: int, doc: dict[str, Any]) -> str:
    """A paper in the list: its number, kind, signer and what else was entered."""
    text = f"{number}. {labels.DOCUMENT_KIND[doc['kind']]}, {labels.SIGNER[doc['signer']].lower()}"
    if doc.get("signer_name"):
        text += f" ({doc['signer_name']})"
    if doc.get("edition"):
        text += f", edition {doc['edition']}"
    text += ", verified" if doc.get("verified") else ", not verified"
    if doc.get("cancels_prior"):
        text += ", cancels an earlier request"
    return text
