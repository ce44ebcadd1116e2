"""F1: a short officer's guide and the list of keyboard shortcuts (the Help menu offers both)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QTabWidget, QTextBrowser, QVBoxLayout, QWidget

from desktop.ui.ops import DeskOp
from desktop.ui.screen import fit_to_screen

if TYPE_CHECKING:
    from desktop.desk import Desk

# (keys, what they do), in the order an officer meets them.
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("F1", "This guide and these shortcuts"),
    ("Ctrl+N", "New request (the intake)"),
    ("Ctrl+H", "Home: new request, common papers, unfinished requests"),
    ("Ctrl+L", "Case log"),
    ("Ctrl+R", "Review queue"),
    ("Ctrl+Shift+P", "The policy: the ordinance and the rules"),
    ("Ctrl+Q", "Quit (an unfinished request stays saved as a draft)"),
    ("Alt + the underlined letter", "Go to that field or press that button, on every page and view"),
    ("Tab, Shift+Tab", "Next field, previous field"),
    ("Space", "Tick or untick a checkbox, or the line of a list that has the focus"),
    ("Up, Down, Home, End", "Choose in a list or drop-down"),
    ("Enter, or Alt+N", "Next page of the intake"),
    ("Alt+B", "Back a page (every answer is kept)"),
    ("Alt+R", "Record case, on the response page"),
    ("Esc", "Close the intake (asks first; the answers stay saved as a draft)"),
    ("Case log: Enter in Search", "Search now; Down moves into the results; Enter opens the case"),
    ("Review queue: Alt+O", "Record the outcome of the selected case; Ctrl+Enter records it"),
)

GUIDE = """
<h2>At the desk</h2>
<ol>
<li><b>New request</b> (Ctrl+N), or a common paper on Home: it fills in the usual answers.</li>
<li><b>The request received.</b> When (type <i>now</i>, <i>22:18</i>, <i>13 Jan 22:18</i> or
<i>yesterday 23:50</i>; the page says back the moment it understood), how, and who is asking.</li>
<li><b>The papers.</b> Choose the kind, who signed it, the edition from the footer, and tick
<i>Verified</i> only after checking with NCIC, the issuing court or the U.S. Marshals. Press
<b>Add paper</b> for each one. A paper being described must be added or cleared before you go on.
Select an added paper to change it.</li>
<li><b>The person.</b> Booking number and name as booked. Never record immigration status,
citizenship, nationality or place of birth. The page says when the log already holds a request
for that booking number.</li>
<li><b>What is asked.</b> Tick everything asked for, and the purpose they gave.</li>
<li><b>Check the answers</b>, then read <b>the City's response</b>: what to do, in large type,
and <b>what to say</b> to the requester. Warnings come first. Show details gives the rules, the
reasons and the ordinance quoted; the memo prints them all.</li>
<li><b>Record case</b> (Alt+R), then print the memo for the file.</li>
</ol>
<h2>When in doubt</h2>
<ul>
<li>Hold no one and give no information meanwhile, unless custody has its own basis.</li>
<li>A referral goes to {counsel}{contact}. The case waits in the review queue (Ctrl+R).</li>
<li>If you disagree with the response, tick <i>I disagree</i> and say why: a supervisor reviews it.</li>
<li>Nothing is ever deleted: a mistake is corrected by <b>Amend</b> on the case, with a reason.</li>
</ul>
"""


def shortcuts_html() -> str:
    rows = "".join(f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in SHORTCUTS)
    return f"<h2>Keyboard shortcuts</h2><table cellpadding='4'>{rows}</table>"


def guide_html(desk: Desk) -> str:
    """The guide, naming the counsel and the contact of the pack in force (without a pack, the guide still shows)."""
    counsel, contact = "counsel", ""
    pack = DeskOp(None, "reading the pack for the guide", desk.active_pack).on_failure(_no_pack).run()
    if pack is not None:
        department = pack.department
        counsel = department.counsel_title
        reach = [department.referral_contact] + [
            f"{label} {value}"
            for label, value in (("phone", department.counsel_phone), ("after hours:", department.after_hours))
            if value
        ]
        contact = f" ({escape('; '.join(r for r in reach if r))})" if any(reach) else ""
    return GUIDE.format(counsel=escape(counsel), contact=contact)


def _no_pack(_exc: BaseException) -> None:
    """No pack in force: the guide speaks of counsel in general."""


class HelpDialog(QDialog):
    """The guide and the shortcuts, in two tabs; F1 opens it from anywhere in the main window."""

    def __init__(self, desk: Desk, *, shortcuts: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Help")
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.guide = QTextBrowser()
        self.guide.setAccessibleName("Officer's guide")
        self.guide.setHtml(guide_html(desk))
        self.keys = QTextBrowser()
        self.keys.setAccessibleName("Keyboard shortcuts")
        self.keys.setHtml(shortcuts_html())
        self.tabs.addTab(self.guide, "Officer's &guide")
        self.tabs.addTab(self.keys, "&Keyboard shortcuts")
        self.tabs.setCurrentIndex(1 if shortcuts else 0)
        layout.addWidget(self.tabs, 1)
        row = QHBoxLayout()
        row.addStretch()
        close = QPushButton("&Close")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
        fit_to_screen(self, 720, 600)
