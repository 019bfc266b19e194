"""Ingest into both stores: idempotent, atomic per file, nothing lost on a bad file."""

from __future__ import annotations

import shutil

from conftest import corpus_file


def test_reingest_unchanged_is_noop(library, tmp_path):
    src = tmp_path / "business.txt"
    shutil.copy(corpus_file("beijing-business-environment-plan-2021.txt"), src)
    first = library.ingest([src])[0]
    assert first.status == "ingested" and first.documents >= 1
    before = library.counts()
    second = library.ingest([src])[0]
    assert second.status == "unchanged"
    assert library.counts() == before


def test_bad_file_leaves_store_intact(library, tmp_path):
    src = tmp_path / "business.txt"
    shutil.copy(corpus_file("beijing-business-environment-plan-2021.txt"), src)
    library.ingest([src])
    before = library.counts()
    src.write_bytes(b"\x00\x01\x02binary" * 100)
    r = library.ingest([src])[0]
    assert r.status == "error" and "business.txt" in r.error
    assert library.counts() == before
