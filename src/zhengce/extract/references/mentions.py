"""Mentions of other documents in one provision's text: 《title》 (nested 《〈》 kept whole), the 文号 and
以下简称 alias in the parentheses after it, and bare 文号 ("落实财关税〔2021〕23号和…").

Pure functions over the normalised provision text (full-width punctuation already folded by NFKC).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...ingest.patterns import DOC_TYPE_END
from ..docnum import find_doc_numbers
from .cues import DOC_WORDS, NOT_DOC

MAX_TITLE = 160
# "(以下简称《管理办法》)", "(以下简称“两区”)", "(以下简称个人所得税法)" — beijing-private-enterprise-policies-2021q4.txt:2237.
ALIAS = re.compile(r"以下(?:简称|称)[:：]?\s*[《“\"]?([^《》“”\"(),，)]{1,30})[》”\"]?")
CLAUSE_END = set(",，。;；!！?？\t\n")
_TRAILING_PAREN = re.compile(r"\([^()]{1,20}\)$")
_WRAPPED_NOTICE = re.compile(r"[〉>]的?(?:通知|意见)$")
LIST_GAP = re.compile(r"^(?:[、,，\s]|和|及|与|以及|或者|或)*$")


@dataclass(slots=True)
class Mention:
    start: int  # span in the provision text, including the trailing parentheses
    end: int
    title: str | None  # without 《》, as the text writes it
    number: str | None  # canonical 文号
    alias: str | None = None  # 以下简称 declared right here
    title_end: int = 0  # end of the 《…》 (before the parentheses)

    @property
    def raw_span(self) -> tuple[int, int]:
        return self.start, self.end


_BRACKETS = {("《", "》"): re.compile("[《》]"), ("(", ")"): re.compile(r"[()]")}
# The characters masked() and clauses() act on; the text between them is copied or masked whole.
_MASK_MARKS = re.compile(r"[。\n《(》)]")
_CLAUSE_MARK = re.compile("[" + re.escape("".join(sorted(CLAUSE_END))) + "]")
_SENTENCE_MARK = re.compile(r"[。;；\n]")


def _close(text: str, i: int, open_ch: str, close_ch: str, limit: int) -> int | None:
    """Index just past the bracket matching the one at ``i`` (nesting counted), or None."""
    depth = 0
    for m in _BRACKETS[open_ch, close_ch].finditer(text, i, min(len(text), i + limit)):
        if m.group() == open_ch:
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return m.end()
    return None


def is_document_title(title: str) -> bool:
    """Does this 《…》 name a document (a law, plan, notice …) rather than a form or certificate?"""
    t = _TRAILING_PAREN.sub("", title.strip())  # …规划(2016年—2035年), …办法(修订), …标准(GB 50180)
    if not t or NOT_DOC.search(t):
        return False
    return bool(DOC_TYPE_END.search(t) or t.endswith(DOC_WORDS) or _WRAPPED_NOTICE.search(t))


def find_mentions(text: str) -> list[Mention]:
    """Every mention of another document in ``text``, in order; spans never overlap."""
    out: list[Mention] = []
    if "《" not in text and "号" not in text:
        return out
    i = 0
    n = len(text)
    while True:
        i = text.find("《", i)
        if i < 0:
            break
        e = _close(text, i, "《", "》", MAX_TITLE)
        if e is None:
            i += 1
            continue
        title = text[i + 1: e - 1].strip()
        end, number, alias = e, None, None
        for _ in range(2):  # "(西发改〔2020〕75号)(以下简称《专业服务业措施》)"
            j = end
            while j < n and text[j] == " ":
                j += 1
            if j >= n or text[j] != "(":
                break
            pe = _close(text, j, "(", ")", 80)
            if pe is None:
                break
            inner = text[j + 1: pe - 1]
            nums = find_doc_numbers(inner)
            am = ALIAS.search(inner)
            if not nums and not am:
                break
            if nums and number is None:
                number = nums[0][2]
            if am:
                alias = am.group(1).strip()
            end = pe
        if number or is_document_title(title):
            out.append(Mention(i, end, title, number, alias, title_end=e))
        i = end
    taken = [(m.start, m.end) for m in out]
    for s, e, canon in find_doc_numbers(text):
        if not any(a <= s < b for a, b in taken):
            out.append(Mention(s, e, None, canon, title_end=e))
    out.sort(key=lambda m: m.start)
    return out


def masked(text: str) -> str:
    """``text`` with the inside of 《》 and () replaced by □, so cue words and clause ends inside a title
    or a parenthesis are not read as the clause's own."""
    if "《" not in text and "(" not in text:
        return text
    out: list[str] = []
    depth = last = 0
    for m in _MASK_MARKS.finditer(text):  # the brackets and sentence ends themselves stay
        k, c = m.start(), m.group()
        out.append("□" * (k - last) if depth else text[last:k])
        out.append(c)
        last = k + 1
        if c in "。\n":  # an unclosed bracket (a page-break casualty) never masks past its sentence
            depth = 0
        elif c in "《(":
            depth += 1
        elif depth:
            depth -= 1
    out.append("□" * (len(text) - last) if depth else text[last:])
    return "".join(out)


def clauses(mask: str) -> list[tuple[int, int]]:
    """(start, end) of the clauses of a masked text: split at ，。；！？ and tabs outside brackets."""
    out, s = [], 0
    for m in _CLAUSE_MARK.finditer(mask):
        out.append((s, m.start()))
        s = m.start() + 1
    out.append((s, len(mask)))
    return out


def sentence_end(mask: str, pos: int) -> int:
    """End of the sentence (。；) that ``pos`` is in, for cues that cross a comma ("…同意，现印发给你们")."""
    m = _SENTENCE_MARK.search(mask, pos)
    return m.start() if m else len(mask)


def in_list(text: str, prev: Mention, cur: Mention) -> bool:
    """Whether ``cur`` continues a list that ``prev`` is in (《A》《B》、《C》和《D》)."""
    return bool(LIST_GAP.match(text[prev.end: cur.start]))
