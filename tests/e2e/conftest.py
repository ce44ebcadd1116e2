"""Fixtures for the whole-flow tests: the window fixtures of tests/gui, shared rather than copied."""

from tests.gui.conftest import clock, desk, message_boxes, officer, quick_kdf, settings, window  # noqa: F401
