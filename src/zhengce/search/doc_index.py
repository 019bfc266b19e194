"""The document-level tantivy index: one record per document, for counts a search can afford.

A provision search at 100,000 documents matches ~1.5 M provisions; counting facet values over all
of them is linear in that. Policy portals count *documents* per 发文机关/年份 anyway, so facets
and the document total are counted here, over ~100,000 records at most: a document's record
holds the union of its provisions' body, context and heading-path terms (so it matches a query
iff any of its provisions does: the query is an OR of terms and every filter is a property of
the whole document), its facet values and 成文日期.

It lives in ``data_dir/search/documents`` and is written and committed by the same writer
session as the provision index, before ``state.json`` moves on (see ``tantivy_backend``), so a
crash between the two commits is repaired by the same idempotent replay.
"""

from __future__ import annotations

import tantivy

from . import facets as facet_decl
from .records import Record

DOC_HEAP_BYTES = 32_000_000


def build_doc_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("doc_key", stored=True, tokenizer_name="raw")
    sb.add_text_field("source_path", stored=False, tokenizer_name="raw")
    sb.add_text_field("terms", stored=False, tokenizer_name="ws", index_option="basic")
    for f in facet_decl.FACETS:
        sb.add_text_field(f"f_{f.name}", stored=False, tokenizer_name="raw", fast=True)
    sb.add_integer_field("day", stored=False, indexed=True, fast=True)
    return sb.build()


def doc_record(recs: list[Record]) -> tantivy.Document | None:
    """The record of one document from its provision records (None: nothing indexed)."""
    if not recs:
        return None
    first = recs[0]
    terms: set[str] = set(first.ctx.split())
    for r in recs:
        terms.update(r.body.split())
        terms.update(r.path.split())
    d = tantivy.Document()
    d.add_text("doc_key", first.doc_key)
    d.add_text("source_path", first.source_path)
    d.add_text("terms", " ".join(sorted(terms)))
    d.add_integer("day", first.day)
    for name, vals in first.facets.items():
        for v in vals or [""]:
            d.add_text(f"f_{name}", v)
    return d
