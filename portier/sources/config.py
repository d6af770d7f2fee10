"""Each calendar source reads its own settings from the environment.

A source's package may hold a ``settings.py``; its UPPER_CASE names become Django settings of
the same name (so tests override them as any setting), and its ``real_client_configured()``
says whether a real provider client is set up, which ends sandbox mode. Used by
portier/settings.py only, before Django is set up: the package's ``__init__`` must stay light.
"""

from importlib import import_module
from importlib.util import find_spec
from types import ModuleType
from typing import Any


def settings_modules(sources: dict[str, str]) -> list[ModuleType]:
    """The settings modules of the registered sources (slug -> dotted path of its Source)."""
    modules = []
    for path in sources.values():
        package = path.rsplit(".", 2)[0]  # portier.sources.google.source.SOURCE
        name = f"{package}.settings"
        if find_spec(name) is not None:
            modules.append(import_module(name))
    return modules


def settings_of(modules: list[ModuleType]) -> dict[str, Any]:
    return {
        name: getattr(module, name)
        for module in modules
        for name in dir(module)
        if name.isupper() and not name.startswith("_")
    }


def real_client_configured(modules: list[ModuleType]) -> list[str]:
    """The settings modules that found a real provider client configured."""
    return [
        module.__name__
        for module in modules
        if getattr(module, "real_client_configured", lambda: False)()
    ]
