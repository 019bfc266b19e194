"""Cap HTML element nesting before parsing, so a hostile page parses in linear time.

An HTML5 tree builder checks "is there a <p> in button scope?" for every block start tag by
walking the stack of open elements, so 100k nested ``<div>`` cost time quadratic in the
depth (lexbor: 34 s for 1 MB). Browsers cap the depth (Chromium at 512) by attaching deeper
elements as siblings; this does the same on the source text: a start tag that would open an
element deeper than ``MAX_DEPTH`` is dropped (its text stays), so the page still ingests.
The model of the open-element stack is approximate (optional end tags close their own kind,
an end tag pops to its nearest match) but never under-counts by much, and it runs in one
regex pass with amortised O(1) work per tag. Pages under the cap come back unchanged.
"""

from __future__ import annotations

import re

MAX_DEPTH = 512
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)|<!--")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr", "keygen", "basefont", "bgsound", "frame", "image"}
# Content the tokenizer reads as text: tags inside it are not elements.
RAW_TEXT = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"}
# Elements whose end tag may be omitted, and the start tags that close them implicitly.
_ROW = {"tr", "tbody", "thead", "tfoot"}
CLOSED_BY = {"li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": _ROW, "td": {"td", "th"} | _ROW,
             "th": {"td", "th"} | _ROW, "option": {"option", "optgroup"}, "optgroup": {"optgroup"},
             "rt": {"rt", "rp"}, "rp": {"rt", "rp"}, "tbody": _ROW - {"tr"}, "thead": _ROW - {"tr"},
             "tfoot": _ROW - {"tr"}}


def cap_nesting(html: str, max_depth: int = MAX_DEPTH) -> tuple[str, int]:
    """Return the page with start tags deeper than ``max_depth`` removed, and how many were."""
    stack: list[str] = []
    open_count: dict[str, int] = {}
    cuts: list[tuple[int, int, str]] = []
    pos, n = 0, len(html)
    while pos < n:
        m = _TAG.search(html, pos)
        if m is None:
            break
        pos = m.end()
        if m.group(0) == "<!--":
            end = html.find("-->", pos)
            pos = n if end < 0 else end + 3
            continue
        name = m.group(2).lower()
        if m.group(1):  # end tag: pop to the nearest open element of that name, if any
            if open_count.get(name):
                while stack:
                    top = stack.pop()
                    open_count[top] -= 1
                    if top == name:
                        break
            continue
        if name in VOID:
            continue
        if name in RAW_TEXT:
            end = _find_ci(html, name, pos)
            pos = n if end < 0 else end
            continue
        if stack and _closes(stack[-1], name):
            open_count[stack.pop()] -= 1
        if len(stack) >= max_depth:
            # drop it; a block keeps its line break as a <br> (void, so no depth)
            cuts.append((m.start(), _tag_end(html, m.end()), "" if name in _INLINE else "<br>"))
            continue
        stack.append(name)
        open_count[name] = open_count.get(name, 0) + 1
    if not cuts:
        return html, 0
    out, last = [], 0
    for a, b, repl in cuts:
        out.append(html[last:a])
        out.append(repl)
        last = b
    out.append(html[last:])
    return "".join(out), len(cuts)


_INLINE = {"a", "b", "i", "u", "s", "em", "strong", "span", "font", "small", "big", "sub", "sup", "code",
           "tt", "strike", "nobr", "label", "abbr", "cite", "q", "mark", "time", "var", "kbd", "samp"}


def _closes(top: str, name: str) -> bool:
    """Whether start tag ``name`` implicitly closes the open element ``top``."""
    if top == "p":
        return name not in _INLINE
    return name in CLOSED_BY.get(top, ())


def _tag_end(html: str, pos: int) -> int:
    """End of the start tag that began before ``pos`` (just past its ``>``)."""
    end = html.find(">", pos)
    return len(html) if end < 0 else end + 1


def _find_ci(html: str, name: str, pos: int) -> int:
    """Case-insensitive search for ``</name`` without lower-casing a huge page per tag."""
    m = re.compile(rf"</{name}", re.I).search(html, pos)
    return -1 if m is None else m.start()
