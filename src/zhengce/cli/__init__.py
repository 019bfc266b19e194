"""The ``zhengce`` command. Each command family lives in its own module and registers on ``app``."""

from __future__ import annotations

import importlib

from .app import app, main

# Importing registers the commands, in the order ``zhengce --help`` lists them.
for _name in ("library", "evaluate", "features"):
    importlib.import_module(f"zhengce.cli.{_name}")

__all__ = ["app", "main"]
