"""Exact top-k without scoring every match: Fagin's threshold algorithm over per-field rankings.

Why: the ranked query (per term a body clause, a boosted context clause and a boosted
heading-path clause, filters as MUST clauses, ``tantivy_query.build_query``) makes tantivy score
every matching provision — the boosts and the MUST clauses keep block-max WAND from skipping
anything — so a common query at 100,000 documents (~1.5 M matches) costs ~0.4 s. A *pure union
of plain term queries* collected without a count is what block-max WAND prunes: its top N costs
a small fraction of the matches.

So, per field f (body, ctx, path), the union of the query's terms on f alone gives the top N
provisions by that field's score s_f; the candidates are the union of the three lists; they
are rescored exactly by the full query restricted to them (``Must(full) ∧ Must(const 0 ∘
pid ∈ candidates)``: the restriction adds 0.0 to a score, so scores are bit-identical to the
exhaustive search, filters included). A provision outside every list scores at most

    T = Σ_f boost_f · s_f(N-th) + (what the filters can add)

because its s_f is at most the N-th score of each list. When the page end's exact score is
above T (strictly: ties are broken by document address, which an unseen provision could win)
the page is exact; otherwise N grows. A list shorter than N holds every provision the field
matches, so once all three are complete the candidates are all the matches and the count is
exact as well. Filters post-filter the candidates (a selective filter is answered exhaustively
by the caller instead, where it is cheap).

The filter bound: a ``term_set`` or range clause scores a constant 1.0 (tantivy's const
scorer), a term clause at most its own top score (one block-max lookup).
"""

from __future__ import annotations

import tantivy

START_DEPTH = 64  # first N per field (at least 4 × the page end)
MAX_DEPTH = 16_384  # beyond this the exhaustive search is as cheap: the caller falls back
EPSILON = 1e-4  # relative margin for float32 sums done in another order than the full query's
CONST_FILTER_SCORE = 1.0  # what a term_set / range MUST clause adds to a score


def filter_bound(searcher, clauses: list[tuple[str, object]]) -> float:
    """Most the filter clauses can add to a score: ``clauses`` are (kind, query) with kind
    "const" (term_set, range) or "term" (a term query on a facet field)."""
    out = 0.0
    for kind, q in clauses:
        if kind == "const":
            out += CONST_FILTER_SCORE
        else:
            top = searcher.search(q, limit=1, count=False).hits
            out += top[0][0] if top else 0.0
    return out


def top_page(searcher, schema, terms: list[str], full: tantivy.Query, fields: tuple, bound_filters: float,
             offset: int, limit: int) -> tuple[list, int, bool] | None:
    """(hits of the page, matches seen, whether those are all) of ``full``, without scoring
    every match.

    ``fields``: (name, boost or None) of the ranked query's per-term clauses. None when the
    page is too deep for pruning to pay (the caller searches exhaustively).
    """
    Q, Occ = tantivy.Query, tantivy.Occur
    k = offset + limit
    per_field = [(boost or 1.0, Q.boolean_query([(Occ.Should, Q.term_query(schema, name, t)) for t in terms]))
                 for name, boost in fields]
    depth = max(START_DEPTH, 4 * k)
    while depth <= MAX_DEPTH:
        addrs, threshold, complete = [], bound_filters, True
        for boost, q in per_field:
            hits = searcher.search(q, limit=depth, count=False).hits
            if len(hits) >= depth:
                complete = False
                threshold += boost * hits[-1][0]
            addrs.extend(a for _s, a in hits)
        if not addrs:
            return [], 0, True
        pids = sorted(set(searcher.fast_field_values("pid", addrs)))
        only = Q.const_score_query(Q.term_set_query(schema, "pid", pids), 0.0)
        res = searcher.search(Q.boolean_query([(Occ.Must, full), (Occ.Must, only)]), limit=limit,
                              count=True, offset=offset)
        seen = res.count or 0
        if complete or (seen >= k and res.hits and res.hits[-1][0] > threshold * (1 + EPSILON) + EPSILON):
            return res.hits, seen, complete
        depth *= 4
    return None
