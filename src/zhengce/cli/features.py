"""Registers the command modules of each feature package (search, match, tasks, serve …).

Each feature module defines its commands on ``app`` (or a sub-Typer added to it) at import.
"""

from __future__ import annotations

import importlib

FEATURE_MODULES: list[str] = ["serve", "search", "tasks", "match", "graph"]

for _name in FEATURE_MODULES:
    importlib.import_module(f"zhengce.cli.{_name}")
