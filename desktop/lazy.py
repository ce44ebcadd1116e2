"""Package attributes that load their module on first use, so importing a package stays cheap."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_attributes(package: str, modules: Mapping[str, str]) -> Callable[[str], Any]:
    """A module-level `__getattr__` (PEP 562) that imports `modules[name]` when `name` is first asked for."""

    def __getattr__(name: str) -> Any:
        module = modules.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(module), name)
        # Kept in the package once loaded, so the next use is a plain attribute (verify asks once per version).
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
