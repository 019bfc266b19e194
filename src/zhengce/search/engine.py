"""Query execution: filters, BM25 any-term ranking, facets and snippets over the tantivy index.

Ranking: each query term is a SHOULD clause on the provision body, and (weaker) on its context
(document title, 文号, heading path, table header), so "北京妇女儿童规划 危重新生儿" prefers the
provision of that plan. Filters are MUST clauses, so they never change the ranking of what
they keep.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import tantivy

from ..errors import InvalidInput
from ..extract.docnum import canonical_doc_number
from ..library import Library
from . import Hit, SearchResult
from .index import IndexedLibrary, ensure_fresh
from .segment import Segmenter

CTX_BOOST = 0.3  # document title / 文号
PATH_BOOST = 0.7  # heading path: what a short list item "(一)…3个月；" is about
SNIPPET_CHARS = 90


def parse_day(value: dt.date | str | None, name: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        if re.fullmatch(r"\d{4}", str(value)):
            return dt.date(int(value), 1 if name == "since" else 12, 1 if name == "since" else 31)
        raise InvalidInput(f"{name}: not an ISO date: {value!r}", field=name) from None


def run_search(library: Library, query: str, *, issuer=None, doc_number=None, since=None, until=None,
               doc_type=None, level=None, district=None, page: int = 1, per_page: int = 10,
               facets: bool = True) -> SearchResult:
    since_d, until_d = parse_day(since, "since"), parse_day(until, "until")
    if doc_number:
        doc_number = canonical_doc_number(doc_number) or doc_number.strip()
    page, per_page = max(1, int(page)), max(1, min(int(per_page), 200))
    filters = dict(issuer=issuer, doc_number=doc_number, since=since_d, until=until_d,
                   doc_type=doc_type, level=level, district=district)
    if library.engine.dialect.name == "postgresql":
        from . import pg
        return pg.search(library, query, filters, page, per_page, facets)
    ix = ensure_fresh(library)
    return tantivy_search(ix, query, filters, page, per_page, facets)


def _issuer_values(ix: IndexedLibrary) -> list[str]:
    cached = getattr(ix, "_issuers", None)
    if cached is None:
        searcher = ix.index.searcher()
        agg = searcher.aggregate(tantivy.Query.all_query(),
                                 {"i": {"terms": {"field": "issuer", "size": 100000}}})
        cached = [b["key"] for b in agg["i"]["buckets"] if b["key"]]
        ix._issuers = cached  # type: ignore[attr-defined]
    return cached


def _date_query(schema, since: dt.date | None, until: dt.date | None) -> tantivy.Query:
    """成文日期 in [since, until]. Whole-year bounds (the common --since 2021-01-01) use the
    ``year`` field (a handful of terms) instead of a day range over thousands of terms."""
    Q = tantivy.Query
    whole = (since is None or (since.month, since.day) == (1, 1)) and \
        (until is None or (until.month, until.day) == (12, 31))
    if whole:
        lo = since.year if since else 1
        hi = until.year if until else 9999
        return Q.range_query(schema, "year", tantivy.FieldType.Integer, lo, hi)
    lo = int(since.strftime("%Y%m%d")) if since else 1
    hi = int(until.strftime("%Y%m%d")) if until else 99991231
    return Q.range_query(schema, "day", tantivy.FieldType.Integer, lo, hi)


def build_query(ix: IndexedLibrary, terms: list[str], filters: dict) -> tantivy.Query:
    schema = ix.index.schema
    Q, Occ = tantivy.Query, tantivy.Occur
    clauses: list[tuple] = []
    if terms:
        should = []
        for t in terms:
            should.append((Occ.Should, Q.term_query(schema, "body", t)))
            should.append((Occ.Should, Q.boost_query(Q.term_query(schema, "ctx", t), CTX_BOOST)))
            should.append((Occ.Should, Q.boost_query(Q.term_query(schema, "path", t), PATH_BOOST)))
        clauses.append((Occ.Must, Q.boolean_query(should)))
    if filters.get("issuer"):
        wanted = [v for v in _issuer_values(ix) if filters["issuer"] in v]
        clauses.append((Occ.Must, Q.term_set_query(schema, "issuer", wanted) if wanted else Q.empty_query()))
    for name in ("doc_number", "doc_type", "level", "district"):
        if filters.get(name):
            clauses.append((Occ.Must, Q.term_query(schema, name, filters[name])))
    if filters.get("since") or filters.get("until"):
        clauses.append((Occ.Must, _date_query(schema, filters.get("since"), filters.get("until"))))
    if not clauses:
        return Q.all_query()
    if not terms:
        clauses.append((Occ.Should, Q.all_query()))
    return Q.boolean_query(clauses)


def forms_pattern(forms: list[str]) -> re.Pattern | None:
    """One alternation of the query's surface forms, longest first (北京证券交易所 before 北京)."""
    forms = sorted({f for f in forms if f}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, forms))) if forms else None


def snippet(text: str, forms: list[str] | re.Pattern | None, width: int = SNIPPET_CHARS) -> str:
    """The ``width``-char window of ``text`` holding the most distinct query terms, marked up.

    HTML-escaped, matches wrapped in ``<mark>``.
    """
    pat = forms if isinstance(forms, re.Pattern) or forms is None else forms_pattern(forms)
    spans = [(m.start(), m.end(), m.group(0)) for m in pat.finditer(text)] if pat else []
    if not spans:
        return html.escape(text[:width]) + ("…" if len(text) > width else "")
    best, best_n, lo = 0, -1, 0
    for hi in range(len(spans)):  # spans sorted by start: slide a window ending at span hi
        while spans[hi][1] - spans[lo][0] > width:
            lo += 1
        n = len({f for _s, _e, f in spans[lo:hi + 1]})
        if n > best_n:
            best, best_n = max(0, spans[lo][0] - 12), n
    window = text[best: best + width]
    out, pos = [], 0
    for m in pat.finditer(window):
        out.append(html.escape(window[pos:m.start()]))
        out.append(f"<mark>{html.escape(m.group(0))}</mark>")
        pos = m.end()
    out.append(html.escape(window[pos:]))
    return ("…" if best > 0 else "") + "".join(out) + ("…" if best + width < len(text) else "")


def term_forms(seg: Segmenter, terms: list[str]) -> list[str]:
    forms: list[str] = []
    for t in terms:
        forms.extend(seg.surface_forms(t))
    return forms


def hit_from_stored(d: dict, score: float, forms: re.Pattern | None) -> Hit:
    meta = json.loads(bytes(d["meta"][0]))
    date = dt.date.fromisoformat(meta["date"]) if meta.get("date") else None
    return Hit(cid=d["cid"][0], doc_key=d["doc_key"][0], doc_title=meta["title"],
               doc_number=(d.get("doc_number") or [""])[0] or None, issuers=meta["issuers"], date=date,
               doc_type=(d.get("doc_type") or [""])[0] or None, heading_path=meta["path"],
               text=meta["text"], raw=meta.get("raw") or meta["text"], snippet=snippet(meta["text"], forms), score=score,
               source=d["source"][0], line_start=meta["ls"], line_end=meta["le"], kind=meta.get("kind", ""))


def _facets(searcher, query) -> dict[str, list[tuple[str, int]]]:
    aggs = {"issuer": {"terms": {"field": "issuer", "size": 20}},
            "doc_type": {"terms": {"field": "doc_type", "size": 20}},
            "year": {"terms": {"field": "year", "size": 30}}}
    res = searcher.aggregate(query, aggs)
    out: dict[str, list[tuple[str, int]]] = {}
    for name in aggs:
        vals = []
        for b in res[name]["buckets"]:
            key = b["key"]
            if name == "year":
                key = str(int(key)) if key else ""
            if key:
                vals.append((str(key), int(b["doc_count"])))
        out[name] = vals
    return out


def tantivy_search(ix: IndexedLibrary, query: str, filters: dict, page: int, per_page: int,
                   facets: bool = True) -> SearchResult:
    terms = ix.segmenter.query_terms(query or "")
    q = build_query(ix, terms, filters)
    searcher = ix.index.searcher()
    res = searcher.search(q, limit=per_page, count=True, offset=(page - 1) * per_page)
    pat = forms_pattern(term_forms(ix.segmenter, terms))
    hits = [hit_from_stored(searcher.doc(addr).to_dict(), score, pat) for score, addr in res.hits]
    out = SearchResult(query=query, terms=terms, total=res.count or 0, page=page, per_page=per_page,
                       hits=hits, backend="tantivy")
    if facets and out.total:
        out.facets = _facets(searcher, q)
    return out


def segmenter_for(library: Library) -> Segmenter:
    """The segmenter (with the library's domain dictionary) queries of ``library`` use."""
    if library.engine.dialect.name == "postgresql":
        from . import pg
        return pg.segmenter(library)
    return ensure_fresh(library).segmenter


def term_idf(library: Library, terms: list[str]) -> dict[str, float]:
    """BM25-style IDF of each term over provision bodies (rare terms weigh more)."""
    import math
    if library.engine.dialect.name == "postgresql":
        from . import pg
        n, dfs = pg.doc_freqs(library, terms)
    else:
        searcher = ensure_fresh(library).index.searcher()
        n = searcher.num_docs
        dfs = {t: searcher.doc_freq("body", t) for t in terms}
    return {t: math.log(1 + (n - dfs[t] + 0.5) / (dfs[t] + 0.5)) for t in terms}


def term_df(library: Library, term: str) -> int:
    """How many provisions contain ``term`` (0: the library never uses it)."""
    if library.engine.dialect.name == "postgresql":
        from . import pg
        return pg.doc_freqs(library, [term])[1][term]
    return ensure_fresh(library).index.searcher().doc_freq("body", term)
