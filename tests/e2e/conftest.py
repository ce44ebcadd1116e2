"""Fixtures for the whole-flow tests: the window fixtures of tests/gui, shared rather than copied."""

from tests.gui.conftest import message_boxes, services, settings, window  # noqa: F401
