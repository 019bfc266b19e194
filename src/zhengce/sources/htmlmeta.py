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
import unicodedata
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
# Marks where an inline element began inside a run: "…民政局<span>成文日期：" may start a label
# there, though a label right after a Chinese character never does otherwise. It is whitespace
# to ``\s`` (str.isspace), so label patterns and value cleaning treat it as a space.
INLINE_EDGE = "\x1f"
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
    found: list[tuple[int, str, str, int]] = []  # (run index, field, value, last run index used)
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
            found.append((i, field_key(m.group(1)), value, i + 1 if value else i))
            i += 2 if value else 1
            continue
        hits = list(LABEL_COLON.finditer(t))
        if not hits:
            sm = LABEL_SPACE.match(t)
            if sm and not LABEL_COLON.search(t):
                found.append((i, field_key(sm.group(1)), t[sm.end():], i))
        elif hits[0].start() == 0:
            for k, h in enumerate(hits):
                end = hits[k + 1].start() if k + 1 < len(hits) else len(t)
                found.append((i, field_key(h.group(1)), t[h.end():end], i))
        i += 1
    cluster = _first_cluster(found)
    block: dict[str, str] = {}
    used: set[int] = set()
    for _i, key, value, _last in cluster:
        value = clean_value(value)
        if value and key not in block:
            block[key] = value
    if cluster:
        for idx in range(cluster[0][0], cluster[-1][3] + 1):
            used.add(runs[idx].block_id)
    return block, used


def _first_cluster(found: list[tuple[int, str, str, int]]) -> list[tuple[int, str, str, int]]:
    """The first run of fields, each within ``WINDOW`` runs of the previous, with enough fields."""
    groups: list[list[tuple[int, str, str, int]]] = []
    for item in found:
        if groups and item[0] - groups[-1][-1][0] <= WINDOW:
            groups[-1].append(item)
        else:
            groups.append([item])
    for g in groups:
        if len({k for _, k, _, _ in g}) >= MIN_FIELDS:
            return g
    return []


def clean_value(value: str) -> str:
    """A value as shown: whitespace collapsed, a trailing separator ("|", "；") dropped.

    A line or cell break between two Chinese characters (a long title wrapped in its cell)
    joins them without a space.
    """
    value = re.sub(rf"(?<=[\u4e00-\u9fff]){INLINE_EDGE}+(?=[\u4e00-\u9fff])", "", value)
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


TEXT_HEAD = 80  # lines: a copied or printed page states its block near the top
TEXT_GAP = 160  # characters: fields of one block follow each other closely
# In a text rendering a label is a whole cell ("索引号\t…") or ends in a colon; a PDF may break
# it over lines ("发⽂机" / "关："), which the head joined with INLINE_EDGE keeps matchable.
_TEXT_LABEL = re.compile(rf"(?<![\u4e00-\u9fff])({_SPACED})(?:\s*[:：]|(?=\x1f))")


def read_text_block(texts: list[str]) -> tuple[dict[str, str], set[int]]:
    """The block in a page's text rendering (copied with Ctrl-A, printed to PDF), and its lines.

    There each field is text: "索 引 号：\t000014349/2004-00206\t主题分类：\t卫生、体育\\体育" (tab
    cells), "发文机关： 国务院办公厅 成文日期： 2004年04月17日" (spaces), or a PDF's "索  引" / "号："
    (a label broken by the cell width). The first ``TEXT_HEAD`` lines are joined (NFKC, so the
    Kangxi radicals of CJK PDF fonts read as ideographs) and scanned for labels; a value runs to
    the next label. Returns the block and the indexes of the lines it spans.
    """
    head = [unicodedata.normalize("NFKC", t).replace("\t", INLINE_EDGE) for t in texts[:TEXT_HEAD]]
    starts, pos = [], 0
    for t in head:
        starts.append(pos)
        pos += len(t) + 1
    joined = INLINE_EDGE.join(head)
    hits = list(_TEXT_LABEL.finditer(joined))
    groups: list[list[re.Match[str]]] = []
    for h in hits:
        if groups and h.start() - groups[-1][-1].end() <= TEXT_GAP:
            groups[-1].append(h)
        else:
            groups.append([h])
    group = next((g for g in groups if len({field_key(h.group(1)) for h in g}) >= MIN_FIELDS), None)
    if group is None:
        return {}, set()
    block: dict[str, str] = {}
    end = group[-1].end()
    for k, h in enumerate(group):
        if k + 1 < len(group):
            stop = group[k + 1].start()
        else:  # the last value: the rest of its line only — the next line may be the article's title
            li = _line_of(starts, h.end())
            stop = starts[li] + len(head[li])
        end = max(end, stop)
        value = clean_value(joined[h.end():stop])
        key = field_key(h.group(1))
        if value and key not in block:
            block[key] = value
    first_line, last_line = _line_of(starts, group[0].start()), _line_of(starts, max(end - 1, 0))
    return block, set(range(first_line, last_line + 1))


def _line_of(starts: list[int], offset: int) -> int:
    import bisect
    return max(0, bisect.bisect_right(starts, offset) - 1)
