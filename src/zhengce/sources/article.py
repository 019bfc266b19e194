"""Where the article is on a web page, found by measurement rather than by a site's tag names.

Government pages wrap one 公文 in navigation, breadcrumbs, share/QR widgets, related-link lists
and a footer. What tells the article apart is what it is made of: sentences. Every element gets
three measures in one iterative post-order pass (no recursion: hostile pages nest deeply):

- ``chars``: visible characters below it (scripts, styles and hidden elements excluded);
- ``link_chars``: how many of those sit inside ``<a>``;
- ``punct``: Chinese punctuation (，。；：、！？) outside links — navigation, share bars and
  footers have almost none, prose has one every dozen characters;
- ``stops``: sentence ends (。！？；) outside links — not even a metadata block ("科技、教育",
  "国务院、中央军委") or a footer ("版权所有：…") has those, so they locate the article.

The article is the deepest element that still holds ``CORE_SHARE`` of the page's sentence ends
(``find_core``). Inside it, a block that is mostly short links (a share bar, "上一篇/下一篇") is
boilerplate (``is_link_cluster``); an attachment list has long link texts and stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SKIP = {"script", "style", "nav", "noscript", "template", "svg", "math", "iframe", "object", "embed",
        "canvas", "head", "select", "button", "-comment", "!doctype", "textarea", "input", "img"}
PUNCT = re.compile(r"[，。；：、！？,;!?]")
STOPS = re.compile(r"[。！？；!?;]")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WS = re.compile(r"\s+")
CORE_SHARE = 0.9  # the article holds at least this share of the page's sentence ends
# … or of its punctuation, for a text of one or two sentences: a footer's "版权所有：" then weighs more
CORE_SHARE_SHORT = 2 / 3  # "most of it"
MIN_STOPS = 3  # below this a page has no prose to measure; the whole body is read


@dataclass(slots=True)
class Measure:
    chars: int = 0
    link_chars: int = 0
    punct: int = 0
    stops: int = 0
    links: int = 0


def is_hidden(node) -> bool:
    """Elements a browser does not show: ``hidden``, ``display:none``, ``visibility:hidden``."""
    attrs = node.attributes
    if not attrs:
        return False
    if "hidden" in attrs:
        return True
    style = attrs.get("style")
    return bool(style and _HIDDEN.search(style))


def skipped(node) -> bool:
    return node.tag in SKIP or (node.tag != "-text" and is_hidden(node))


def measure(root, exclude: set[int] | frozenset[int] = frozenset()) -> dict[int, Measure]:
    """Measures for every element below ``root`` (keyed by ``mem_id``), in one iterative pass.

    Elements in ``exclude`` (the metadata block's cells) count for nothing: their "、" and "："
    are data, not prose.
    """
    out: dict[int, Measure] = {}
    stack = [(root, False, False)]
    while stack:
        node, done, in_link = stack.pop()
        if done:
            m = out[node.mem_id]
            parent = node.parent
            if parent is not None and node.mem_id != root.mem_id:
                pm = out.get(parent.mem_id)
                if pm is not None:
                    pm.chars += m.chars
                    pm.link_chars += m.link_chars
                    pm.punct += m.punct
                    pm.stops += m.stops
                    pm.links += m.links
            continue
        if node.tag == "-text":
            s = _WS.sub("", node.text_content or "")
            pm = out.get(node.parent.mem_id) if node.parent is not None else None
            if pm is not None and s:
                pm.chars += len(s)
                if in_link:
                    pm.link_chars += len(s)
                else:
                    pm.punct += len(PUNCT.findall(s))
                    pm.stops += len(STOPS.findall(s))
            continue
        if (skipped(node) or node.mem_id in exclude) and node.mem_id != root.mem_id:
            continue
        out[node.mem_id] = Measure(links=1 if node.tag == "a" else 0)
        stack.append((node, True, in_link))
        link = in_link or node.tag == "a"
        kids = []
        child = node.child
        while child is not None:
            kids.append(child)
            child = child.next
        for child in reversed(kids):
            stack.append((child, False, link))
    return out


def find_core(root, stats: dict[int, Measure]):
    """The deepest element that holds ``CORE_SHARE`` of the page's sentence ends.

    Walks down from ``root`` while one child still holds that share. A short text (a 批复 of
    two sentences, a list of names) has too few sentence ends; then any punctuation counts.
    A page with too little of either (a bare list, a form) is read whole.
    """
    def weight(m: Measure) -> int:
        return m.stops if use_stops else m.punct

    use_stops = stats[root.mem_id].stops >= MIN_STOPS
    share = CORE_SHARE if use_stops else CORE_SHARE_SHORT
    total = weight(stats[root.mem_id])
    if total < MIN_STOPS:
        return root
    node = root
    while True:
        best = None
        child = node.child
        while child is not None:
            m = stats.get(child.mem_id)
            if m is not None and weight(m) >= share * total:
                best = child
                break
            child = child.next
        if best is None:
            return node
        node = best


def is_link_cluster(m: Measure) -> bool:
    """A block made of short links: share bars, breadcrumbs, "上一篇 下一篇", font-size switches.

    Most of its text is link text, there are at least two links, and they are short on average
    (an attachment list's file names are long, so it stays).
    """
    if m.links < 2 or m.chars == 0:
        return False
    return m.link_chars / m.chars > 0.5 and m.link_chars / m.links < 8 and m.punct < 2
