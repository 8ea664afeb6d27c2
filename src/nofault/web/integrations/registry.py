"""Find the vendor plugins: every sub-package of a capability package that exports one plugin."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any


def discover(package: ModuleType, attribute: str) -> dict[str, Any]:
    """Return {name: plugin} for every vendor folder in `package` that defines `attribute`.

    A vendor folder is a sub-package whose `__init__` exports the plugin under `attribute`
    (`SOURCE`, `TRACKER` or `NOTIFIER`); the plugin's `name` is its key. Two vendors with one
    name are a programming error and stop discovery.
    """
    found: dict[str, Any] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if not info.ispkg or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        plugin = getattr(module, attribute, None)
        if plugin is None:
            continue
        name = plugin.name
        if name in found:
            raise RuntimeError(f"two {attribute.lower()} plugins are named {name!r}")
        found[name] = plugin
    return found
