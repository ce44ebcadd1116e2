"""Small building blocks for accessible forms: labelled fields, enum pickers, checklists, inline errors."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QWidget,
)


class EnumCombo(QComboBox):
    """A drop-down of contract enum values shown by their plain-English labels."""

    def __init__(
        self, values: Sequence[str], labels: Mapping[str, str], *, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        for value in values:
            self.addItem(f"{labels.get(value, value)}", value)
        self.setAccessibleName(name)

    def value(self) -> str:
        return str(self.currentData())

    def set_value(self, value: str | None) -> None:
        index = self.findData(value)
        if index >= 0:
            self.setCurrentIndex(index)


class CheckList(QListWidget):
    """A list of checkable enum values (Space toggles the current one)."""

    changed = Signal()

    def __init__(
        self, values: Sequence[str], labels: Mapping[str, str], *, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        for value in values:
            item = QListWidgetItem(labels.get(value, value))
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        self.itemChanged.connect(lambda _item: self.changed.emit())
        self.setUniformItemSizes(True)

    def values(self) -> list[str]:
        return [
            str(self.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        ]

    def set_values(self, values: Iterable[str]) -> None:
        wanted = set(values)
        for i in range(self.count()):
            item = self.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def toggle(self, value: str) -> None:
        """Check or uncheck one value, as Space on it would."""
        for i in range(self.count()):
            item = self.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == value:
                checked = item.checkState() == Qt.CheckState.Checked
                item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)


class FieldError(QWidget):
    """An error shown next to a field by icon and text (never colour alone), hidden when empty."""

    def __init__(self, field_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size))
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setAccessibleName(f"Problem with {field_name}")
        layout.addWidget(icon)
        layout.addWidget(self.text, 1)
        self.hide()

    def show_error(self, message: str) -> None:
        self.text.setText(message)
        self.show()

    def clear(self) -> None:
        self.text.clear()
        self.hide()

    @property
    def message(self) -> str:
        return self.text.text() if self.isVisible() or self.text.text() else ""


def add_field(
    form: QFormLayout, label_text: str, widget: QWidget, accessible: str, description: str = ""
) -> FieldError:
    """Add a labelled field (mnemonic + buddy + accessible name) and its inline error row."""
    label = QLabel(label_text)
    label.setBuddy(widget)
    widget.setAccessibleName(accessible)
    if description:
        widget.setAccessibleDescription(description)
        widget.setToolTip(description)
    form.addRow(label, widget)
    error = FieldError(accessible)
    form.addRow("", error)
    return error
