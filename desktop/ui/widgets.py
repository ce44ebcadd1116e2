"""Small building blocks for accessible forms: labelled fields, enum pickers, checklists, inline errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QWidget,
)


class EnumCombo(QComboBox):
    """A drop-down of contract enum values shown by their plain-English labels."""

    def __init__(
        self,
        values: Sequence[str],
        labels: Mapping[str, str],
        *,
        name: str,
        blank: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._blank = blank is not None
        if blank is not None:  # a first entry meaning "not chosen yet": value() is then ""
            self.addItem(blank, None)
        for value in values:
            self.addItem(f"{labels.get(value, value)}", value)
        self.setAccessibleName(name)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(24)

    def value(self) -> str:
        data = self.currentData()
        return "" if data is None else str(data)

    def set_value(self, value: str | None) -> None:
        if value is None and self._blank:
            self.setCurrentIndex(0)
            return
        index = self.findData(value)
        if index >= 0:
            self.setCurrentIndex(index)


class CheckList(QListWidget):
    """A list of checkable enum values (Space toggles the current one).

    `values()` keeps the order in which values were ticked (or loaded), because the decision answers
    the requested actions in the order asked.
    """

    changed = Signal()

    def __init__(
        self, values: Sequence[str], labels: Mapping[str, str], *, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self._order: list[str] = []
        for value in values:
            item = QListWidgetItem(labels.get(value, value))
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        self.itemChanged.connect(self._item_changed)
        self.setUniformItemSizes(True)

    def _item_changed(self, item: QListWidgetItem) -> None:
        value = str(item.data(Qt.ItemDataRole.UserRole))
        checked = item.checkState() == Qt.CheckState.Checked
        if checked and value not in self._order:
            self._order.append(value)
        elif not checked and value in self._order:
            self._order.remove(value)
        self.changed.emit()

    def values(self) -> list[str]:
        return list(self._order)

    def set_values(self, values: Iterable[str]) -> None:
        self._order = []
        for i in range(self.count()):
            self.item(i).setCheckState(Qt.CheckState.Unchecked)
        by_value = {self.item(i).data(Qt.ItemDataRole.UserRole): self.item(i) for i in range(self.count())}
        for value in dict.fromkeys(values):
            if value in by_value:
                by_value[value].setCheckState(Qt.CheckState.Checked)


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
        return self.text.text()


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


def open_file(parent: QWidget, path: Path) -> bool:
    """Open a file (a memo, a scan) in the system's viewer; when none is available, say where it is."""
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return True
    from desktop.ui.messages import tell

    tell(parent, "Open", f"No program here can open it. The file is at:\n{path}")
    return False


def with_mnemonic(label: str, word: str) -> str:
    """`label` with `&` before the first letter of `word` in it (or none), any `&` of its own doubled.

    For labels that come from a policy pack: the pack gives the words, the window the shortcut.
    """
    text = label.replace("&", "&&")
    at = text.lower().find(word.lower())
    return text if at < 0 else f"{text[:at]}&{text[at:]}"


def password_field(name: str) -> QLineEdit:
    """A line edit that hides what is typed (a password or a passphrase), with its accessible name."""
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


def date_of(date: QDate) -> dt.date:
    """A QDate as a Python date (PySide6's toPython() is typed as any object)."""
    return dt.date(date.year(), date.month(), date.day())
