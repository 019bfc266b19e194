"""Settings as one declarative list: name, environment variable, default, help.

The CLI help and the docs read this list; ``get`` reads the environment each time so tests can
point a setting elsewhere with ``monkeypatch.setenv``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str | None
    help: str


SETTINGS: list[Setting] = [
    Setting("database_url", "ZHENGCE_DATABASE_URL", None,
            "SQLAlchemy URL of the store; default a SQLite file in the data directory. "
            "A postgresql:// URL uses PostgreSQL (psycopg)."),
    Setting("data_dir", "ZHENGCE_DATA_DIR", None,
            "Where the SQLite store and search index live; default ./.zhengce in the working directory."),
    Setting("gazettes_dir", "ZHENGCE_GAZETTES_DIR", str(PROJECT_ROOT / "data" / "gazettes"),
            "The bundled sample gazettes the demo ingests."),
    Setting("llm_url", "ZHENGCE_LLM_URL", None,
            "Optional OpenAI-compatible endpoint that may rewrite answers from cited passages only. Off by default."),
    Setting("today", "ZHENGCE_TODAY", None,
            "ISO date used as 'today' for overdue computation (default: the real date)."),
    Setting("soffice", "ZHENGCE_SOFFICE", None,
            "LibreOffice program that converts .doc/.wps/.et files; default soffice (or libreoffice) on PATH. "
            "'none' turns conversion off: such files are then refused with an error naming the converter."),
    Setting("ingest_workers", "ZHENGCE_INGEST_WORKERS", "0",
            "Processes that read, parse and extract the next files while an ingest writes the current one "
            "(zhengce ingest --workers); 0 does all in one process. Files are still written in order, one "
            "transaction each."),
    Setting("search_exact_limit", "ZHENGCE_SEARCH_EXACT_LIMIT", "300000",
            "Embedded search: above this many possibly matching provisions (the query terms' document "
            "frequencies added up) a query is ranked within its best-matching documents only, and the "
            "provision total becomes a lower bound (total_relation gte); documents and facets stay exact."),
    Setting("convert_timeout", "ZHENGCE_CONVERT_TIMEOUT", "120",
            "Seconds one LibreOffice conversion may take before the file is refused as stuck."),
]
_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str | None:
    s = _BY_NAME[name]
    return os.environ.get(s.env) or s.default


def data_dir() -> Path:
    d = Path(get("data_dir") or Path.cwd() / ".zhengce")
    d.mkdir(parents=True, exist_ok=True)
    return d


def database_url() -> str:
    return get("database_url") or f"sqlite:///{data_dir() / 'zhengce.db'}"
