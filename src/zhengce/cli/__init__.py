"""The ``zhengce`` command. Each command family lives in its own module and registers on ``app``."""

from __future__ import annotations

from . import evaluate as _evaluate  # noqa: F401,E402
from . import features as _features  # noqa: F401,E402

# Importing registers the commands.
from . import library as _library  # noqa: F401,E402
from .app import app, main

__all__ = ["app", "main"]
