"""Query execution on the tantivy indexes: BM25 any-term ranking, facet filters and counts, snippets.

Ranking: each query term is a SHOULD clause on the provision body, and (weaker) on its context
(document title, 文号) and heading path, so "北京妇女儿童规划 危重新生儿" prefers the provision
of that plan. Filters are MUST clauses, so they never change the ranking of what they keep.

Counts come from the document-level index (``doc_index``): the same query over one record per
document gives the number of matching documents and the facet counts per document, with work in
the number of documents, not of matching provisions.

Ranking is exhaustive while a query can match at most ``search_exact_limit`` provisions (its
terms' document frequencies added up): every match is scored, the total is exact. Above it (a
common word at 100,000 documents matches millions of provisions, ~14 ns each, and tantivy-py
collects through a ``MultiCollector``, so block-max WAND never prunes) the query is ranked in two
steps, like a search engine's candidate generation: the document index ranks the matching
documents (one record each, work in documents) by the weight of the query terms each contains,
and the provision query runs only within the best ``CANDIDATE_DOCUMENTS`` of them. Scores are
the same BM25 scores (term statistics are the whole index's; the restriction scores 0), the
matching documents and facets stay exact, the provision total becomes a lower bound
(``total_relation == "gte"``) unless every matching document was a candidate. ``benchmarks/scale.py`` prints how often the two-step top 10 has the
exhaustive top 10's scores.

Measured and dropped before: Fagin's threshold algorithm over per-field lists and MaxScore over
the rarest terms both rescore candidates by intersecting them with the full query, whose term
unions refill 4,096-document windows on every seek — as costly as scoring every match (MaxScore:
p50 9.3 ms against 7.1 ms exhaustive at 10,000 documents).
"""

from __future__ import annotations

import datetime as dt
import math

import orjson
import tantivy

from .. import settings
from . import facets as facet_decl
from .segment import Segmenter
from .shown import Found, shown_hits
from .snippets import forms_pattern, term_forms
from .types import CANDIDATE_DOCUMENTS, SearchResult

CTX_BOOST = 0.3  # document title / 文号
PATH_BOOST = 0.7  # heading path: what a short list item "(一)…3个月；" is about

_VALUES: dict[tuple[int, str], list[str]] = {}  # (id of index, facet) -> distinct values, per reload


def facet_values(index: tantivy.Index, searcher, name: str) -> list[str]:
    """Distinct values of a facet field (for ``contains`` filters), cached per searcher state."""
    key = (id(index), name, searcher.num_docs, searcher.num_segments)
    cached = _VALUES.get(key)
    if cached is None:
        agg = searcher.aggregate(tantivy.Query.all_query(),
                                 {"v": {"terms": {"field": f"f_{name}", "size": 1_000_000}}})
        cached = [b["key"] for b in agg["v"]["buckets"] if b["key"]]
        if len(_VALUES) > 64:
            _VALUES.clear()
        _VALUES[key] = cached
    return cached


def _day_query(schema, since: dt.date | None, until: dt.date | None) -> tantivy.Query:
    lo = int(since.strftime("%Y%m%d")) if since else 1
    hi = int(until.strftime("%Y%m%d")) if until else 99991231
    return tantivy.Query.range_query(schema, "day", tantivy.FieldType.Integer, lo, hi)


PROVISION_FIELDS = (("body", None), ("ctx", CTX_BOOST), ("path", PATH_BOOST))
DOCUMENT_FIELDS = (("terms", None),)  # the document index: every term of its provisions


def filter_clauses(index: tantivy.Index, searcher, filters: dict, schema) -> list[tantivy.Query]:
    """The filters as queries built for ``schema`` (the provision or the document index)."""
    Q = tantivy.Query
    out: list[tantivy.Query] = []
    for f in facet_decl.FACETS:
        value = filters.get(f.name)
        if not value:
            continue
        field = f"f_{f.name}"
        if f.match == "contains":
            wanted = [v for v in facet_values(index, searcher, f.name) if value in v]
            out.append(Q.term_set_query(schema, field, wanted) if wanted else Q.empty_query())
        else:
            out.append(Q.term_query(schema, field, value))
    if filters.get("since") or filters.get("until"):
        out.append(_day_query(schema, filters.get("since"), filters.get("until")))
    return out


def build_query(index: tantivy.Index, searcher, terms: list[str], filters: dict,
                fields: tuple = PROVISION_FIELDS, schema=None) -> tantivy.Query:
    """The ranked query: per term a SHOULD clause per field (boosted), filters as MUST clauses.

    ``schema``: build for another index with the same facet fields (the document index), with
    the ``contains`` values read from ``index``.
    """
    schema = schema or index.schema
    Q, Occ = tantivy.Query, tantivy.Occur
    clauses: list[tuple] = []
    if terms:
        should = []
        for t in terms:
            for name, boost in fields:
                q = Q.term_query(schema, name, t)
                should.append((Occ.Should, Q.boost_query(q, boost) if boost else q))
        clauses.append((Occ.Must, Q.boolean_query(should)))
    # filters score nothing: a term query on a multi-valued facet would add a BM25 weight that
    # depends on how many values a document has (one issuer or three), and rank by it
    clauses += [(Occ.Must, Q.const_score_query(q, 0.0)) for q in filter_clauses(index, searcher, filters, schema)]
    if not clauses:
        return Q.all_query()
    if not terms:
        clauses.append((Occ.Should, Q.all_query()))
    return Q.boolean_query(clauses)


def found(d: dict, score: float) -> Found:
    meta = orjson.loads(bytes(d["meta"][0]))
    return Found(cid=d["cid"][0], doc_key=d["doc_key"][0], source=d["source"][0], source_path=meta.get("sp", ""),
                 heading_path=meta["path"], sha=meta.get("sha", ""), score=score)


def count_documents(doc_searcher, query, facets: bool) -> tuple[int, dict[str, list[tuple[str, int]]]]:
    """(matching documents, facet counts in documents) in one aggregation pass over the
    document index (no scoring)."""
    counted = [f for f in facet_decl.FACETS if f.counted] if facets else []
    aggs: dict = {f.name: {"terms": {"field": f"f_{f.name}", "size": f.size}} for f in counted}
    aggs["_docs"] = {"value_count": {"field": "day"}}  # every record has a day (0: unknown)
    res = doc_searcher.aggregate(query, aggs)
    docs = int(res["_docs"]["value"] or 0)
    fac = {f.name: [(str(b["key"]), int(b["doc_count"])) for b in res[f.name]["buckets"] if b["key"]]
           for f in counted} if docs else {}
    return docs, fac


def exact_limit() -> int:
    return int(settings.get("search_exact_limit") or 0)


def match_estimate(searcher, terms: list[str], fields: tuple = PROVISION_FIELDS) -> int:
    """An upper bound of the provisions the ranked query matches (each term's document frequency
    per field, added up): one term-dictionary lookup each, no posting list read."""
    return sum(searcher.doc_freq(name, t) for t in dict.fromkeys(terms) for name, _ in fields)


def coverage_query(index: tantivy.Index, searcher, terms: list[str], filters: dict, schema) -> tantivy.Query:
    """The matching documents ranked by the summed IDF (over provision bodies) of the query terms
    each contains, filters scoring nothing.

    Not document-level BM25: it divides by a document's length, so a long plan — where the best
    provision for a common query usually stands — ranked behind hundreds of short notices
    (measured at 10,000 documents, all queries two-step: the top 10 equal to the exhaustive one
    in 55 of 100 queries with BM25, 84 with this at 400 candidates, 92 at 800). BM25 added as a
    tie-breaker made it worse again (92 of 200 at 100,000 documents against 175). At 100,000
    documents with 250 candidates, 180 of 200 benchmark queries are two-step and the top 10 of
    175 (the top hit of 182) equals the exhaustive one.
    """
    Q, Occ = tantivy.Query, tantivy.Occur
    n = max(searcher.num_docs, 1)
    should = []
    for t in dict.fromkeys(terms):
        df = searcher.doc_freq("body", t)
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        should.append((Occ.Should, Q.const_score_query(Q.term_query(schema, "terms", t), idf)))
    clauses = [(Occ.Must, Q.boolean_query(should))]
    clauses += [(Occ.Must, Q.const_score_query(q, 0.0)) for q in filter_clauses(index, searcher, filters, schema)]
    return Q.boolean_query(clauses)


def candidate_documents(doc_searcher, dq, wanted: int) -> tuple[list[str], bool]:
    """The keys of the ``wanted`` best-ranked documents for the document query ``dq``, and
    whether they are all the documents it matches."""
    res = doc_searcher.search(dq, limit=wanted, count=True)
    keys = [doc_searcher.doc(addr).get_first("doc_key") for _score, addr in res.hits]
    return keys, (res.count or 0) <= wanted


def within(q: tantivy.Query, schema, keys: list[str]) -> tantivy.Query:
    """``q`` restricted to the provisions of the documents ``keys``; the restriction scores 0,
    so a kept provision has the score the exhaustive query gives it."""
    if not keys:
        return tantivy.Query.empty_query()
    only = tantivy.Query.const_score_query(tantivy.Query.term_set_query(schema, "doc_key", keys), 0.0)
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, q), (tantivy.Occur.Must, only)])


def tantivy_search(index: tantivy.Index, docs: tantivy.Index, seg: Segmenter, query: str, filters: dict,
                   page: int, per_page: int, facets: bool = True, *, engine) -> SearchResult:
    """One page of ranked hits with the provision total (provision index; bounded above
    ``search_exact_limit``, see the module docstring), the matching documents and facet counts
    per document (document index, its own schema's clauses); the hits' texts from the store
    ``engine`` (``shown``)."""
    terms = seg.query_terms(query or "")
    searcher = index.searcher()
    doc_searcher = docs.searcher()
    q = build_query(index, searcher, terms, filters)
    dq = build_query(index, searcher, terms, filters, DOCUMENT_FIELDS, docs.schema)
    relation = "eq"
    if terms and match_estimate(searcher, terms) > exact_limit():
        cq = coverage_query(index, searcher, terms, filters, docs.schema)
        # every page within the same CANDIDATE_DOCUMENTS provisions ranks within the same documents
        # (each holds at least one match), so paging through them never repeats or skips a hit
        step = CANDIDATE_DOCUMENTS
        keys, every = candidate_documents(doc_searcher, cq, step * math.ceil(page * per_page / step))
        # the candidates passed the filters (each is a property of the whole document): the
        # provision query needs only the terms (a filter such as 发文机关 contains 北京 is a term
        # set of millions of provisions, most of the cost of a bounded query)
        q = within(build_query(index, searcher, terms, {}), index.schema, keys)
        relation = "eq" if every else "gte"
    res = searcher.search(q, limit=per_page, count=True, offset=(page - 1) * per_page)
    pat = forms_pattern(term_forms(seg, terms))
    page_found = [found(searcher.doc(addr).to_dict(), score) for score, addr in res.hits]
    hits = shown_hits(engine, page_found, pat)
    total = (res.count or 0) - (len(page_found) - len(hits))  # superseded hits are not counted
    n_docs, fac = count_documents(doc_searcher, dq, facets)
    return SearchResult(query=query, terms=terms, total=total, page=page, per_page=per_page,
                        hits=hits, facets=fac, backend="tantivy", documents=n_docs, total_relation=relation)
