"""PostgreSQL search path for shared deployments: full-text search over pre-segmented text.

Rows of ``search_provisions`` hold the same whitespace-joined terms the tantivy index holds; a
GIN expression index over ``setweight(to_tsvector('simple', body), 'A') ||
setweight(to_tsvector('simple', ctx), 'D')`` answers any-term ``to_tsquery`` queries ranked by
``ts_rank``. The domain dictionary lives in ``search_meta`` so every server segments alike.
Rows carry ``doc_key``, so re-ingesting a file drops its rows with the documents; the
``POST_INGEST`` hook (or ``ensure_fresh`` before a query) inserts the new ones.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import DDL, JSON, Column, Integer, String, Table, Text, delete, event, func, select, text

from ..library import Library
from ..store.base import metadata
from . import Hit, SearchResult
from .engine import forms_pattern, snippet, term_forms
from .index import doc_context, harvest, heading_paths, iter_documents, store_signature
from .segment import Segmenter

search_provisions = Table(
    "search_provisions", metadata,
    Column("cid", String(512), primary_key=True),
    Column("doc_key", String(255), nullable=False, index=True),
    Column("source", String(255), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("body", Text, nullable=False),
    Column("ctx", Text, nullable=False),
    Column("issuers", Text, nullable=False),  # "|"-joined, for substring filters
    Column("doc_number", String(128)),
    Column("doc_type", String(32)),
    Column("level", String(8)),
    Column("district", String(32)),
    Column("day", Integer, nullable=False),
    Column("meta", JSON, nullable=False),
)

search_meta = Table(
    "search_meta", metadata,
    Column("name", String(64), primary_key=True),
    Column("value", JSON, nullable=False),
)

TSV = ("setweight(to_tsvector('simple', body), 'A') || setweight(to_tsvector('simple', ctx), 'D')")
event.listen(search_provisions, "after_create", DDL(
    f"CREATE INDEX IF NOT EXISTS ix_search_provisions_tsv ON search_provisions USING gin (({TSV}))"
).execute_if(dialect="postgresql"))

_SEGMENTERS: dict[str, tuple[tuple, Segmenter]] = {}
_READY: set[str] = set()


def _ensure_tables(library: Library) -> None:
    """Create the search tables when the Library was opened before this module registered them."""
    if library.url not in _READY:
        metadata.create_all(library.engine, tables=[search_provisions, search_meta])
        _READY.add(library.url)


def _meta(conn, name: str):
    return conn.execute(select(search_meta.c.value).where(search_meta.c.name == name)).scalar_one_or_none()


def _set_meta(conn, name: str, value) -> None:
    conn.execute(delete(search_meta).where(search_meta.c.name == name))
    conn.execute(search_meta.insert().values(name=name, value=value))


def _rows(seg: Segmenter, docs) -> list[dict]:
    rows = []
    for doc in docs:
        paths = heading_paths(doc)
        dctx = " ".join(seg.tokens(doc_context(doc)))
        for p in doc.provisions:
            if not p.text.strip():
                continue
            path = paths[p.cid]
            row_ctx = " ".join(p.header or []) if p.kind == "row" else ""
            rows.append(dict(
                cid=p.cid, doc_key=doc.key, source=doc.source, seq=p.seq,
                body=" ".join(seg.tokens(p.text)),
                ctx=dctx + " " + " ".join(seg.tokens(" ".join(path) + " " + row_ctx)),
                issuers="|".join(doc.issuers or []), doc_number=doc.doc_number, doc_type=doc.doc_type,
                level=doc.level, district=doc.district,
                day=int(doc.date.strftime("%Y%m%d")) if doc.date else 0,
                meta={"title": doc.title, "issuers": doc.issuers or [],
                      "date": doc.date.isoformat() if doc.date else None, "path": path,
                      "text": p.text, "raw": p.raw if p.raw != p.text else None, "ls": p.line_start, "le": p.line_end, "kind": p.kind}))
    return rows


def refresh(library: Library, changed: list[str] | None = None) -> None:
    """Insert rows for ``changed`` sources; rebuild everything when the dictionary grows."""
    _ensure_tables(library)
    with library.engine.begin() as conn:
        old = _meta(conn, "dictionary") or {"words": [], "pairs": []}
    docs = list(iter_documents(library, changed)) if changed is not None else None
    if docs is not None:
        words, pairs = harvest(docs)
        if words <= set(old["words"]) and all(p in old["pairs"] for p in pairs):
            seg = segmenter(library)
            with library.engine.begin() as conn:
                conn.execute(delete(search_provisions).where(search_provisions.c.source.in_(changed)))
                rows = _rows(seg, docs)
                if rows:
                    conn.execute(search_provisions.insert(), rows)
                _set_meta(conn, "signature", list(store_signature(library)))
            return
    docs = list(iter_documents(library))
    words, pairs = harvest(docs)
    seg = Segmenter(words, pairs)
    with library.engine.begin() as conn:
        conn.execute(delete(search_provisions))
        rows = _rows(seg, docs)
        if rows:
            conn.execute(search_provisions.insert(), rows)
        _set_meta(conn, "dictionary", {"words": sorted(words), "pairs": pairs})
        _set_meta(conn, "signature", list(store_signature(library)))
    _SEGMENTERS.pop(library.url, None)


def is_built(library: Library) -> bool:
    """Whether this database already holds a search index (else the first query builds it)."""
    _ensure_tables(library)
    with library.engine.connect() as conn:
        return _meta(conn, "signature") is not None


def ensure_fresh(library: Library) -> None:
    _ensure_tables(library)
    with library.engine.connect() as conn:
        sig = _meta(conn, "signature")
    if sig is None or tuple(sig) != store_signature(library):
        refresh(library, None)


def segmenter(library: Library) -> Segmenter:
    ensure_fresh(library)
    with library.engine.connect() as conn:
        d = _meta(conn, "dictionary") or {"words": [], "pairs": []}
    key = (len(d["words"]), len(d["pairs"]), hash(json.dumps(d, ensure_ascii=False)))
    cached = _SEGMENTERS.get(library.url)
    if cached and cached[0] == key:
        return cached[1]
    seg = Segmenter(d["words"], d["pairs"])
    _SEGMENTERS[library.url] = (key, seg)
    return seg


def _tsquery(terms: list[str]) -> str:
    return " | ".join("'" + t.replace("'", "''").replace("\\", "") + "'" for t in terms)


def _where(filters: dict) -> tuple[list[str], dict]:
    conds, params = [], {}
    if filters.get("issuer"):
        conds.append("issuers LIKE :issuer")
        params["issuer"] = f"%{filters['issuer']}%"
    for name in ("doc_number", "doc_type", "level", "district"):
        if filters.get(name):
            conds.append(f"{name} = :{name}")
            params[name] = filters[name]
    if filters.get("since"):
        conds.append("day >= :since")
        params["since"] = int(filters["since"].strftime("%Y%m%d"))
    if filters.get("until"):
        conds.append("day <= :until AND day > 0")
        params["until"] = int(filters["until"].strftime("%Y%m%d"))
    return conds, params


def doc_freqs(library: Library, terms: list[str]) -> tuple[int, dict[str, int]]:
    ensure_fresh(library)
    with library.engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(search_provisions)).scalar_one()
        out = {}
        for t in terms:
            out[t] = conn.execute(text(
                f"SELECT count(*) FROM search_provisions WHERE ({TSV}) @@ to_tsquery('simple', :q)"),
                {"q": _tsquery([t])}).scalar_one()
    return n, out


def search(library: Library, query: str, filters: dict, page: int, per_page: int,
           facets: bool = True) -> SearchResult:
    seg = segmenter(library)
    terms = seg.query_terms(query or "")
    conds, params = _where(filters)
    if terms:
        params["q"] = _tsquery(terms)
        conds.insert(0, f"({TSV}) @@ to_tsquery('simple', :q)")
        score = f"ts_rank('{{0.1, 0.2, 0.4, 1.0}}', {TSV}, to_tsquery('simple', :q))"
    else:
        score = "0"
    where = " AND ".join(conds) or "TRUE"
    params.update(limit=per_page, offset=(page - 1) * per_page)
    with library.engine.connect() as conn:
        total = conn.execute(text(f"SELECT count(*) FROM search_provisions WHERE {where}"), params).scalar_one()
        rows = conn.execute(text(
            f"SELECT cid, doc_key, source, doc_number, doc_type, meta, {score} AS score "
            f"FROM search_provisions WHERE {where} ORDER BY score DESC, doc_key, seq "
            f"LIMIT :limit OFFSET :offset"), params).all()
        fac: dict[str, list[tuple[str, int]]] = {}
        if facets and total:
            fac = _facets(conn, where, params)
    forms = forms_pattern(term_forms(seg, terms))
    hits = []
    for r in rows:
        meta = r.meta if isinstance(r.meta, dict) else json.loads(r.meta)
        hits.append(Hit(
            cid=r.cid, doc_key=r.doc_key, doc_title=meta["title"], doc_number=r.doc_number,
            issuers=meta["issuers"], date=dt.date.fromisoformat(meta["date"]) if meta.get("date") else None,
            doc_type=r.doc_type, heading_path=meta["path"], text=meta["text"], raw=meta.get("raw") or meta["text"],
            snippet=snippet(meta["text"], forms), score=float(r.score), source=r.source,
            line_start=meta["ls"], line_end=meta["le"], kind=meta.get("kind", "")))
    return SearchResult(query=query, terms=terms, total=int(total), page=page, per_page=per_page,
                        hits=hits, facets=fac, backend="postgresql")


def _facets(conn, where: str, params: dict) -> dict[str, list[tuple[str, int]]]:
    out: dict[str, list[tuple[str, int]]] = {}
    issuer_rows = conn.execute(text(
        f"SELECT i, count(*) FROM (SELECT unnest(string_to_array(issuers, '|')) AS i "
        f"FROM search_provisions WHERE {where}) s WHERE i <> '' GROUP BY i ORDER BY 2 DESC LIMIT 20"), params)
    out["issuer"] = [(r[0], int(r[1])) for r in issuer_rows]
    out["doc_type"] = [(r[0], int(r[1])) for r in conn.execute(text(
        f"SELECT doc_type, count(*) FROM search_provisions WHERE {where} AND doc_type IS NOT NULL "
        f"AND doc_type <> '' GROUP BY doc_type ORDER BY 2 DESC LIMIT 20"), params)]
    out["year"] = [(str(r[0]), int(r[1])) for r in conn.execute(text(
        f"SELECT day / 10000 AS y, count(*) FROM search_provisions WHERE {where} AND day > 0 "
        f"GROUP BY y ORDER BY 2 DESC LIMIT 30"), params)]
    return out
