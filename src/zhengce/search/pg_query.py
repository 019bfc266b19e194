"""Query execution on PostgreSQL: documents first, then provisions within the best of them.

``ts_rank`` costs ~10 µs a matching provision, and a common word matches ~1.5 M provisions at
100,000 documents: ranking every match took ~6 s a query. So a search runs in two statements,
the same two steps as the embedded index's bounded queries (``tantivy_query``):

1. **Documents** (``search_docs``, one row per document, its provisions' lexemes in ``terms``):
   one GIN lookup per query term gives the documents containing it, hence the term's document
   frequency; the documents passing the filters are counted (exact), counted per facet value
   (exact) and ranked by the summed IDF of the query terms each contains, ties by key. Work in
   matching documents, never in matching provisions.
2. **Provisions** of the best ``CANDIDATE_DOCUMENTS`` documents (per that many provisions
   paged, so pages never overlap), read through the ``source_path`` index and ranked by
   ``ts_rank`` as before. When every matching document is a candidate — any query on a library
   of a few hundred documents — the result is the exhaustive one, total included; otherwise the
   provision total counts the candidates' matches only (``total_relation == "gte"``).

A search without terms (filters only) lists provisions in document order: the first documents
passing the filters in key order, the total summed from their ``provisions`` counts (exact).
"""

from __future__ import annotations

import json
import math
import re

from . import facets as facet_decl
from .pg_rows import COUNTED_SEP
from .types import CANDIDATE_DOCUMENTS

WEIGHTS = "'{0.3, 0.0, 0.7, 1.0}'"  # D (title, 文号), C, B (heading path), A (body)
_JSON_MARKS = re.compile(r'["\\,\[\]]|[\x00-\x1f]')  # what JSON text escapes or puts between elements


def tune(conn) -> None:
    """Settings for one search transaction: no JIT (compiling a query costs ~0.7 s, more than
    running it) and room to keep the matches in memory."""
    conn.exec_driver_sql("SET LOCAL jit = off")
    conn.exec_driver_sql("SET LOCAL work_mem = '64MB'")


def sequential_scans(conn, allowed: bool) -> None:
    """Off for statement 1. A common word is in most documents, so the planner would scan
    ``search_docs`` and test ``terms @@`` on every row, which detoasts each document's whole
    lexeme list (~40,000 buffers a term at 10,000 documents, ~70 ms); its GIN index answers the
    same from the posting lists and never reads a vector."""
    conn.exec_driver_sql(f"SET LOCAL enable_seqscan = {'on' if allowed else 'off'}")


def tsquery(terms: list[str]) -> str:
    """Any of ``terms`` as ``to_tsquery`` text (each quoted: a term is one lexeme)."""
    return " | ".join("'" + t.replace("'", "''").replace("\\", "") + "'" for t in terms)


def doc_filters(filters: dict) -> tuple[str, dict]:
    """The filters as one condition on a ``search_docs`` row (``TRUE`` when there are none).

    Every filter is a property of the whole document: 发文机关 contains, 文种 equals, … and the
    成文日期 bounds (``day``, yyyymmdd, 0 when unknown).
    """
    conds, params = [], {}
    for i, f in enumerate(facet_decl.FACETS):
        value = filters.get(f.name)
        if not value:
            continue
        if f.match == "contains":
            like = "%" + value.replace("%", r"\%").replace("_", r"\_") + "%"
            if _JSON_MARKS.search(value):
                conds.append(f"EXISTS (SELECT 1 FROM jsonb_array_elements_text(facets->'{f.name}') v "
                             f"WHERE v LIKE :f{i})")
            else:  # the array's JSON text: a value without quotes, commas or brackets matches
                # inside one element only, and no set-returning function runs per row (~2x cheaper)
                conds.append(f"(facets->>'{f.name}') LIKE :f{i}")
            params[f"f{i}"] = like
        else:
            conds.append(f"facets @> CAST(:f{i} AS jsonb)")
            params[f"f{i}"] = json.dumps({f.name: [value]}, ensure_ascii=False)
    if filters.get("since"):
        conds.append("day >= :since")
        params["since"] = int(filters["since"].strftime("%Y%m%d"))
    if filters.get("until"):
        conds.append("day <= :until AND day > 0")
        params["until"] = int(filters["until"].strftime("%Y%m%d"))
    return " AND ".join(conds) or "TRUE", params


def wanted_documents(page: int, per_page: int) -> int:
    """Candidates for a page: every page within the same ``CANDIDATE_DOCUMENTS`` provisions ranks
    within the same documents (each holds at least one match), so paging never repeats or skips."""
    step = CANDIDATE_DOCUMENTS
    return step * math.ceil(page * per_page / step)


def documents_sql(n_terms: int, passes: str, counted: list) -> str:
    """Statement 1: the matching documents counted, faceted and ranked (see the module docstring).

    Rows: part 0 (matching documents, and in ``score`` the provisions they hold), part 1 one
    candidate each (key, source path, summed IDF), part 2 the matching documents per counted
    facet value (``facet_counts`` keeps each facet's most frequent). Terms ``:t1`` … are
    one lexeme each; a term's IDF uses its frequency in all documents, filters or not, like the
    provision ranking's statistics.
    """
    if n_terms:
        hits = " UNION ALL ".join(
            f"SELECT {i} AS i, doc_key, source_path, provisions, counted, ({passes}) AS ok FROM search_docs "
            f"WHERE terms @@ to_tsquery('simple', :t{i})" for i in range(1, n_terms + 1))
        ranked = ("h AS MATERIALIZED (" + hits + "), "
                  "n AS (SELECT count(*)::float8 AS n FROM search_docs), "
                  "w AS (SELECT i, ln(1 + ((SELECT n FROM n) - count(*) + 0.5) / (count(*) + 0.5)) AS idf "
                  "FROM h GROUP BY i), "
                  "m AS MATERIALIZED (SELECT doc_key, min(source_path) AS source_path, "
                  "min(provisions) AS provisions, min(counted) AS counted, round(sum(idf)::numeric, 9)::float8 AS score "
                  "FROM h JOIN w USING (i) WHERE ok "
                  "GROUP BY doc_key)")
    else:
        ranked = ("m AS MATERIALIZED (SELECT doc_key, source_path, provisions, counted, 0.0::float8 AS score "
                  f"FROM search_docs WHERE {passes})")
    parts = ["SELECT 0 AS part, NULL AS k, NULL AS p, count(*) AS n, coalesce(sum(provisions), 0)::float8 "
             "AS score FROM m",
             "(SELECT 1, doc_key, source_path, 0, score FROM m ORDER BY score DESC, doc_key LIMIT :wanted)"]
    if counted:  # every counted value of every matching document, one pass (the caller keeps the top)
        parts.append("(SELECT 2, v, NULL, count(*)::bigint, 0.0 FROM m, unnest(m.counted) v GROUP BY v)")
    return f"WITH {ranked} " + " UNION ALL ".join(parts)


def facet_counts(rows: list[tuple[str, int]], counted: list) -> dict[str, list[tuple[str, int]]]:
    """Part 2's ``(name\x1fvalue, documents)`` as each counted facet's ``size`` most frequent
    values, ties by value (the order the embedded index gives)."""
    out: dict[str, list[tuple[str, int]]] = {f.name: [] for f in counted}
    for key, n in rows:
        name, _, value = key.partition(COUNTED_SEP)
        if name in out:
            out[name].append((value, n))
    for f in counted:
        out[f.name] = sorted(out[f.name], key=lambda vn: (-vn[1], vn[0]))[:f.size]
    return out


def provisions_sql(ranked: bool) -> str:
    """Statement 2: the candidates' matching provisions, the total and one page (where each hit
    stands, its ``seq`` in ``n``, to be ordered as ranked: score, document, seq; ``shown`` reads what it shows from the store).

    Read through the ``source_path`` index (``IS TRUE`` keeps the planner from the text's GIN
    index, which would visit every match in the library to keep a few thousand).
    """
    if ranked:
        score = f"ts_rank({WEIGHTS}, tsv, to_tsquery('simple', :q))"
        match = "AND (tsv @@ to_tsquery('simple', :q)) IS TRUE"
    else:
        score, match = "0.0::float8", ""
    return (f"WITH m AS MATERIALIZED (SELECT cid, doc_key, seq, {score} AS score FROM search_rows "
            f"WHERE source_path = ANY(:paths) AND doc_key = ANY(:keys) {match}) "
            "SELECT 0 AS part, NULL AS k, count(*) AS n, 0.0::float8 AS score, NULL AS doc_key, NULL AS source, "
            "NULL AS source_path, NULL::jsonb AS heading_path FROM m UNION ALL "
            "SELECT 1, p.cid, p.seq, p.score, r.doc_key, r.source, r.source_path, r.heading_path FROM "
            "(SELECT cid, seq, score FROM m ORDER BY score DESC, doc_key, seq LIMIT :limit OFFSET :offset) p "
            "JOIN search_rows r USING (cid)")
