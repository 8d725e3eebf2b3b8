"""Selector modules imported on first use, so the API module can be imported before the app registry is ready."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class _Lazy:
    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attr)


selectors: Any = _Lazy("msmelens.agreements.selectors")
country_selectors: Any = _Lazy("msmelens.countries.selectors")
