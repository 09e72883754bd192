"""Finding the modules each Hromada app offers by convention (metrics.py, datasets.py)."""

from __future__ import annotations

import importlib

from django.apps import apps


def import_app_modules(module_name: str) -> None:
    """Import ``hromada.<app>.<module_name>`` for every Hromada app that has one."""
    for config in apps.get_app_configs():
        if not config.name.startswith("hromada."):
            continue
        try:
            importlib.import_module(f"{config.name}.{module_name}")
        except ModuleNotFoundError as missing:
            if missing.name != f"{config.name}.{module_name}":
                raise  # the module exists but one of its imports is missing
