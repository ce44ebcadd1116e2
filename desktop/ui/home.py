"""Home: where a shift starts. One big button, the pack's common papers, and any unfinished request to resume."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from desktop.rules.jurisdiction import Preset
    from desktop.ui.main_window import MainWindow


class HomeView(QWidget):
    """Where a shift starts: one big button, the common papers, and any unfinished request to resume."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 30, 40, 30)
        title = QLabel("A federal immigration request has arrived")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        layout.addWidget(
            QLabel("Enter what you have in hand. The app tells you what to do, and why, before anything is recorded.")
        )
        self.new_button = QPushButton("&New request  (Ctrl+N)")
        self.new_button.setAccessibleName("New request")
        self.new_button.setMinimumHeight(56)
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.3)
        self.new_button.setFont(big)
        self.new_button.clicked.connect(lambda: window.start_intake())
        layout.addWidget(self.new_button)
        # Every unfinished request, newest first, with its time and booking number; none is ever dropped silently.
        self.drafts_box = QWidget()
        drafts_layout = QVBoxLayout(self.drafts_box)
        drafts_layout.setContentsMargins(0, 8, 0, 0)
        self.drafts_label = QLabel("Unfinished &requests (saved as you typed):")
        self.drafts = QListWidget()
        self.drafts.setAccessibleName("Unfinished requests")
        self.drafts.setMaximumHeight(120)
        self.drafts_label.setBuddy(self.drafts)
        self.drafts.itemActivated.connect(lambda _item: window.intakes.resume_draft())
        drafts_layout.addWidget(self.drafts_label)
        drafts_layout.addWidget(self.drafts)
        drafts_buttons = QHBoxLayout()
        self.resume = QPushButton("Re&sume")
        self.resume.setAccessibleName("Resume the selected unfinished request")
        self.resume.clicked.connect(lambda: window.intakes.resume_draft())
        self.discard = QPushButton("&Discard…")
        self.discard.setAccessibleName("Discard the selected unfinished request")
        self.discard.clicked.connect(lambda: window.intakes.discard_draft())
        drafts_buttons.addWidget(self.resume)
        drafts_buttons.addWidget(self.discard)
        drafts_buttons.addStretch()
        drafts_layout.addLayout(drafts_buttons)
        self.drafts_box.hide()
        layout.addWidget(self.drafts_box)
        layout.addSpacing(16)
        self.presets_label = QLabel("Or start from a common paper:")
        self.presets_label.hide()
        layout.addWidget(self.presets_label)
        self.presets = QVBoxLayout()
        layout.addLayout(self.presets)
        self._window = window
        layout.addStretch()

    def set_presets(self, presets: Sequence[Preset]) -> None:
        """The pack's common papers, as buttons (filled in once the pack has loaded, after the window shows)."""
        while self.presets.count():
            item = self.presets.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for preset in presets:
            button = QPushButton(preset.name)
            button.setAccessibleName(f"Start from: {preset.name}")
            button.clicked.connect(lambda _checked=False, p=preset: self._window.start_intake(dict(p.intake)))
            self.presets.addWidget(button)
        self.presets_label.setVisible(bool(presets))

    def show_drafts(self, drafts: Sequence[tuple[str, str]]) -> None:
        """(draft id, description) of each unfinished request, newest first."""
        from PySide6.QtCore import Qt  # not at start: PySide6 builds the Qt namespace on first use (tens of ms)

        self.drafts.clear()
        for draft_id, text in drafts:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, draft_id)
            self.drafts.addItem(item)
        if drafts:
            self.drafts.setCurrentRow(0)
        self.drafts_box.setVisible(bool(drafts))

    def selected_draft(self) -> str | None:
        from PySide6.QtCore import Qt

        item = self.drafts.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None
