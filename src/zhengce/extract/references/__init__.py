"""References from a provision to other documents, typed: repeals, amends, replaces, basis, implements,
issues, forwards, cites (``shared/eval/README.md``, references.jsonl).

eyecite-style: :func:`find_mentions` finds 《title》 / 文号 / 以下简称 mentions, :func:`relation_of` reads the
governing cue word from data in :mod:`.cues`, aliases resolve within the document. Pure functions of a
:class:`~zhengce.model.Document`; resolving targets to library documents happens at read time
(:mod:`zhengce.graph`), so a target that is not in the library yet is data (a stub), never an error, and
a later ingest attaches to it.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection

from ...model import Document, Provision, Reference
from ...store import documents as store_docs
from ...text import normalize
from ..docnum import number_key
from .cues import AFTER, BEFORE, LIST_INTRO, PUBLISH, RELATION_LABELS, RELATIONS
from .mentions import Mention, clauses, find_mentions, in_list, masked, sentence_end

_QUOTES = re.compile(r"[《》〈〉<>“”\"'‘’]")
_EDITION = re.compile(r"\((?:试行|暂行|修订|\d{4}年修订)\)$")


def title_key(title: str | None) -> str | None:
    """A title as the resolver compares it: normalised, without 《》〈〉<> and quotes, so
    《…关于印发<X>的通知》 in one text and 关于印发《X》的通知 in another are one title."""
    if not title:
        return None
    return _QUOTES.sub("", normalize(title)) or None


__all__ = ["RELATIONS", "RELATION_LABELS", "extract_references", "find_mentions", "relation_of", "title_key"]


def _after_cue(text: str) -> str | None:
    t = text.lstrip(" ")
    for rel, pat in AFTER:
        if pat.match(t):
            return rel
    return None


def _before_cue(prefix: str) -> tuple[str, str] | None:
    """The cue nearest before the mention (the last one in the clause prefix): (relation, word)."""
    best, best_pos = None, -1
    for rel, pat in BEFORE:
        for m in pat.finditer(prefix):
            if m.end() > best_pos:
                best, best_pos = (rel, m.group(0)), m.end()
    return best


def relation_of(text: str, mask: str, group: list[Mention], clause: tuple[int, int]) -> tuple[str, str] | None:
    """The relation a list of mentions (one clause, only separators between them) stands in, with the
    cue word; None when no cue governs it (the caller falls back to a list intro, then ``cites``)."""
    after = text[group[-1].end: sentence_end(mask, group[-1].end)]  # raw: "(试行),现印发你们" keeps its words
    rel = _after_cue(after)
    if rel:
        return rel, ""
    return _before_cue(mask[clause[0]: group[0].start])


def _intro_cue(text: str) -> str | None:
    for rel, pat in LIST_INTRO:
        if pat.search(text):
            return rel
    return None


def _list_cues(doc: Document) -> dict[str, str]:
    """cid → the relation a list intro gives it: an ancestor's heading/text ("附件：失效的…目录"), or the
    sentence ending in "：" just before a run of mention-only items ("现决定废止下列文件：")."""
    by_cid = {p.cid: p for p in doc.provisions}
    out: dict[str, str] = {}
    running: str | None = None
    cue_of: dict[str, str | None] = {}  # an ancestor's own cue, read once however many items it holds
    # cid → (levels up, cue) of the nearest ancestor with a cue at most 8 levels up, or None;
    # taken from the parent's entry when the parent came first, else walked up
    nearest: dict[str, tuple[int, str] | None] = {}

    def own_cue(cid: str) -> str | None:
        if cid not in cue_of:
            a = by_cid[cid]
            cue_of[cid] = _intro_cue(f"{a.heading} {a.text[:80]}")
        return cue_of[cid]

    def nearest_cue(p: Provision) -> tuple[int, str] | None:
        parent = p.parent
        if parent and parent in by_cid and parent in nearest:
            rel = own_cue(parent)
            if rel:
                return 1, rel
            up = nearest[parent]
            return (up[0] + 1, up[1]) if up and up[0] < 8 else None
        guard = 0
        while parent and parent in by_cid and guard < 8:
            rel = own_cue(parent)
            if rel:
                return guard + 1, rel
            parent, guard = by_cid[parent].parent, guard + 1
        return None

    for p in sorted(doc.provisions, key=lambda q: q.seq):
        text = p.text.strip()
        if running and ("《" in text or "号" in text):
            out[p.cid] = running
        else:
            running = None
        if text.endswith((":", "：")):
            running = _intro_cue(text[-60:]) or running
        nearest[p.cid] = near = nearest_cue(p)
        if near and p.cid not in out:
            out[p.cid] = near[1]
    return out


def _groups(text: str, mentions: list[Mention]) -> list[list[Mention]]:
    out: list[list[Mention]] = []
    for m in mentions:
        if out and in_list(text, out[-1][-1], m):
            out[-1].append(m)
        else:
            out.append([m])
    return out


def _aliases(doc: Document) -> dict[str, Mention]:
    """以下简称 declared anywhere in the document: alias → the full mention (title and 文号)."""
    out: dict[str, Mention] = {}
    for p in doc.provisions:
        if "简称" in p.text or "以下称" in p.text:
            for m in find_mentions(p.text):
                if m.alias and (m.title or m.number):
                    out.setdefault(normalize(m.alias), m)
    return out


def _self_keys(doc: Document) -> set[str]:
    """The document's own titles, with and without a trailing (试行)/(暂行)/(2021年修订)."""
    keys = {normalize(t) for t in (doc.title, doc.short_title) if t}
    return keys | {_EDITION.sub("", k) for k in keys}


def extract_references(doc: Document) -> list[Reference]:
    """Every reference a document makes, one per (provision, target, relation)."""
    out: list[Reference] = []
    aliases = _aliases(doc)
    own = _self_keys(doc)
    forwarding = "转发" in (doc.title or "")
    inherited = _list_cues(doc) if any(w in doc.text for w in ("废止", "失效", "停止执行", "修改", "修订")) else {}
    for p in doc.provisions:
        text = p.text
        mentions = find_mentions(text)
        if not mentions:
            continue
        mask = masked(text)
        seen: set[tuple] = set()
        for clause in clauses(mask):
            inside = [m for m in mentions if clause[0] <= m.start < clause[1]]
            for group in _groups(text, inside):
                cue = relation_of(text, mask, group, clause)
                rel = cue[0] if cue else inherited.get(p.cid, "cites")
                published = bool(cue and PUBLISH.fullmatch(cue[1]))
                for m in group:
                    ref = _reference(doc, p.cid, text, m, rel, aliases, own, forwarding, published)
                    if ref is None:
                        continue
                    key = (ref.title, ref.doc_number, ref.relation)
                    if key not in seen:
                        seen.add(key)
                        out.append(ref)
    return out


def _reference(doc: Document, cid: str, text: str, m: Mention, rel: str, aliases: dict[str, Mention],
               own: set[str], forwarding: bool, published: bool = False) -> Reference | None:
    title, number, alias = m.title, m.number, None
    if title and not number and normalize(title) in aliases:  # 《管理办法》 declared by 以下简称
        full = aliases[normalize(title)]
        if full is not m:
            alias, title, number = title, full.title, full.number
    if number and number == doc.doc_number:
        return None
    is_self = bool(title and normalize(title) in own) or text[max(0, m.start - 1): m.start] == "本"
    if is_self and published:  # "现公布修订后的《…》", "现印发《…》"
        rel = "issues"
    if is_self:
        if rel not in ("issues", "forwards"):
            return None  # "本《实施方案》", "《…规划》以…为根本遵循": the document speaks of itself
        rel = "forwards" if forwarding else rel
    raw = text[m.start: m.end]
    ctx_start = max(0, m.start - 40)
    return Reference(doc.key, cid, title, number, raw, repeal=rel == "repeals", relation=rel, alias=alias,
                     context=text[ctx_start: m.end + 30], self_ref=is_self)


def save_references(conn: Connection, doc: Document, refs: list[Reference]) -> None:
    from ...store.base import insert_rows
    insert_rows(conn, store_docs.references, REFERENCE_COLUMNS, [
        (r.doc_key, r.cid, r.title, r.doc_number, r.raw, r.repeal, r.relation, r.alias, r.context,
         r.self_ref, title_key(r.title), number_key(r.doc_number)) for r in refs])


REFERENCE_COLUMNS = ["doc_key", "cid", "title", "doc_number", "raw", "repeal", "relation", "alias", "context",
                     "self_ref", "title_key", "number_key"]


STAGE = ("references", extract_references, save_references)
