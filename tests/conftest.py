"""Fixtures: the real corpus, a fresh Library on SQLite, and the same on PostgreSQL when reachable."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "gazettes"
GOLD = ROOT.parent / "shared" / "eval" / "dev"
PG_ADMIN_URL = os.environ.get("ZHENGCE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def corpus_file(name: str) -> Path:
    return CORPUS / name


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    """Never touch the user's .zhengce: every test gets its own data directory."""
    monkeypatch.setenv("ZHENGCE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ZHENGCE_DATABASE_URL", raising=False)


def _pg_reachable() -> bool:
    try:
        import psycopg
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=2):
            return True
    except Exception:
        return False


PG_OK = _pg_reachable()


@pytest.fixture
def sqlite_library(tmp_path):
    from zhengce.library import Library
    lib = Library(url=f"sqlite:///{tmp_path}/t.db", data_dir=tmp_path)
    yield lib
    lib.engine.dispose()


@pytest.fixture
def pg_url():
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    if not PG_OK:
        pytest.skip("PostgreSQL not reachable")
    import psycopg
    name = f"zhengce_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def library(request, tmp_path):
    """The same Library API over both stores."""
    from zhengce.library import Library
    if request.param == "sqlite":
        lib = Library(url=f"sqlite:///{tmp_path}/t.db", data_dir=tmp_path)
    else:
        lib = Library(url=request.getfixturevalue("pg_url"), data_dir=tmp_path)
    yield lib
    lib.engine.dispose()
