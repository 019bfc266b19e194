"""The metadata block of a 政府信息公开 page (索引号 / 主题分类 / 发文机关 / 成文日期 / 标题 / 发文字号 / 发布日期).

Sites lay it out differently — a four-column ``<table>`` of label and value cells (gov.cn), a
``<ul>`` of ``<li><label>索引号：</label><span>…</span></li>``, one ``<div>`` per field, or all
fields in one run of spans — but the labels are the ones the 政府信息公开 rules prescribe, with
a handful of synonyms per field. So the block is read from the page's *text runs* (text between
block boundaries, in document order), never from a site's class names: a run that starts with a
label carries its value after the colon, or the value is the next run. It counts as a block only
when ``MIN_FIELDS`` different fields are found close together, so a body sentence that happens to
start with "标题：" is not taken for one.

The result is data (canonical field → raw value), passed to ingest beside the lines; ingest
parses and reconciles it with what the body itself says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# canonical field → labels sites use for it (whitespace inside a label is ignored: "索 引 号")
FIELDS: dict[str, tuple[str, ...]] = {
    "index_no": ("索引号", "信息索引号"),
    "subject": ("主题分类", "信息分类", "主题类别", "分类"),
    "issuers": ("发文机关", "发文单位", "发文机构", "发布机构", "发布机关", "发布单位", "制发机关", "成文机关"),
    "date": ("成文日期", "成文时间", "印发日期", "制发日期", "生成日期", "发文日期"),
    "title": ("标题", "文件名称", "信息名称", "名称"),
    "doc_number": ("发文字号", "发文文号", "文号", "文件编号"),
    "published": ("发布日期", "发布时间", "公开日期", "公开时间"),
    "keywords": ("主题词", "关键词"),
    "validity": ("时效性", "有效性", "效力状态", "是否有效"),
    "effective_date": ("实施日期", "生效日期"),
}
_LABEL_OF = {lab: key for key, labs in FIELDS.items() for lab in labs}
_LABELS = sorted(_LABEL_OF, key=len, reverse=True)
_SPACED = "|".join(r"\s*".join(map(re.escape, lab)) for lab in _LABELS)
# a label followed by a colon, anywhere in a run ("索引号：000014349/2019-00002主题分类：教育")
LABEL_COLON = re.compile(rf"(?<![\u4e00-\u9fff])({_SPACED})\s*[:：]\s*")
# a run that is only a label, no colon (``<th>索引号</th><td>…</td>``)
LABEL_ONLY = re.compile(rf"^\s*({_SPACED})\s*[:：]?\s*$")
# a label and its value in one run, separated by a space only ("索引号 000014349/2019-00002")
LABEL_SPACE = re.compile(rf"^\s*({_SPACED})\s+(?=\S)")
MIN_FIELDS = 3
WINDOW = 40  # runs: the fields of one block sit within this many runs of each other
_WS = re.compile(r"\s+")


@dataclass(slots=True)
class Run:
    """Text between two block boundaries, with the element that holds it (for skipping later)."""

    text: str
    block_id: int  # mem_id of the nearest block-level ancestor
    parent_id: int | None = None  # mem_id of that block's parent: label and value cells share it


def field_key(label: str) -> str:
    return _LABEL_OF[_WS.sub("", label)]


def read_block(runs: list[Run]) -> tuple[dict[str, str], set[int]]:
    """The page's metadata block as {field: raw value}, and the block elements it came from.

    Returns ({}, set()) when no cluster of ``MIN_FIELDS`` fields is found.
    """
    found: list[tuple[int, str, str]] = []  # (run index, field, value)
    i = 0
    while i < len(runs):
        t = runs[i].text
        m = LABEL_ONLY.match(t)
        if m:
            # The value is the next run when it sits beside the label (cells of one row,
            # <dt>/<dd> of one list); an empty value cell must not take the article's first line.
            nxt = runs[i + 1] if i + 1 < len(runs) else None
            value = ""
            if (nxt is not None and nxt.parent_id == runs[i].parent_id
                    and not (LABEL_ONLY.match(nxt.text) or LABEL_COLON.match(nxt.text))):
                value = nxt.text
            found.append((i, field_key(m.group(1)), value))
            i += 2 if value else 1
            continue
        hits = list(LABEL_COLON.finditer(t))
        if not hits:
            sm = LABEL_SPACE.match(t)
            if sm and not LABEL_COLON.search(t):
                found.append((i, field_key(sm.group(1)), t[sm.end():]))
                i += 1
                continue
        if hits and hits[0].start() == 0:
            for k, h in enumerate(hits):
                end = hits[k + 1].start() if k + 1 < len(hits) else len(t)
                found.append((i, field_key(h.group(1)), t[h.end():end]))
        i += 1
    cluster = _first_cluster(found)
    if not cluster:
        return {}, set()
    block: dict[str, str] = {}
    used: set[int] = set()
    lo, hi = cluster[0][0], cluster[-1][0]
    for _idx, key, value in cluster:
        value = clean_value(value)
        if value and key not in block:
            block[key] = value
    for idx in range(lo, min(hi + 2, len(runs))):
        if idx <= hi or _is_value_of_last(cluster, idx):
            used.add(runs[idx].block_id)
    return block, used


def _is_value_of_last(cluster: list[tuple[int, str, str]], idx: int) -> bool:
    last_idx, _, value = cluster[-1]
    return idx == last_idx + 1 and bool(value)


def _first_cluster(found: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """The first run of fields, each within ``WINDOW`` runs of the previous, with enough fields."""
    groups: list[list[tuple[int, str, str]]] = []
    for item in found:
        if groups and item[0] - groups[-1][-1][0] <= WINDOW:
            groups[-1].append(item)
        else:
            groups.append([item])
    for g in groups:
        if len({k for _, k, _ in g}) >= MIN_FIELDS:
            return g
    return []


def clean_value(value: str) -> str:
    """A value as shown: whitespace collapsed, a trailing separator ("|", "；") dropped."""
    v = _WS.sub(" ", value.replace("\u3000", " ")).strip()
    return v.strip("|｜;；,， ")


def head_meta(tree) -> dict[str, str]:
    """Fields some CMSs also state in ``<meta name=…>`` (ArticleTitle, PubDate).

    ContentSource is left out: it names the website as often as the issuer.
    """
    names = {"articletitle": "title", "pubdate": "published"}
    out: dict[str, str] = {}
    for node in tree.css("meta[name]"):
        key = names.get((node.attributes.get("name") or "").lower())
        content = (node.attributes.get("content") or "").strip()
        if key and content and key not in out:
            out[key] = content
    return out
