"""Does a passage state what was asked? The rules that decide between answering and abstaining.

Retrieval finds passages about the same topic; these checks ask whether a passage states *that
kind of fact* about *that subject* in *that year*. Each check returns the reason it fails (shown
in the abstention), so a refusal says what was missing:

- ``value``: the sentence states a value of the asked kind (a fee question needs a sum of money,
  a 比例 question a percentage), and not only the figures the question itself gave ("首次突破1亿元，
  奖励多少" is not answered by "突破1亿元…给予相应额度的奖励").
- ``year`` / ``period``: a year or 五年规划 period the question names is the passage's (in the
  sentence, its headings, the document title, or the document's own year and the ranges they
  span); a 2022 notice does not answer a question about 2023.
- ``place``: a district the question names is the passage's (or its document's).
- ``figure``: a figure the question names as its subject ("30分钟政务服务圈") is in the passage.
- ``contrast``: the passage speaks of a sibling of what was asked (日间 for 夜间, 重度 for 轻度).
- ``modifier``: the specific benefit named ("交通补贴") is the one the passage speaks of.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .question import DISTRICTS, Question
from .select import Candidate, Scorer

_RANGE = re.compile(r"((?:19|20)\d\d)\s*年?\s*[—\-–~～至到]+\s*((?:19|20)\d\d)")
_YEAR = re.compile(r"(?:19|20)\d\d")
_YEAR_CLAUSE = re.compile(r"(?:19|20)\d\d\s*年?(?:\s*[—\-–~～至到]+\s*(?:19|20)\d\d)?")
# 五年规划 periods and the years they span (十四五 = 2021–2025).
_PERIODS = {f"十{c}五": 1956 + 5 * i for i, c in enumerate("一二三四五六七八九", start=1)}
# Last characters of attribute words whose siblings are other values of one attribute.
_ATTRIBUTE_HEADS = set("度间级板期档类")
_NUMERAL = re.compile(r"[0-9一二三四五六七八九十两百千万半几每首]")
_LISTED = r"\d+(?:\.\d+)?\s*(?:万元|亿元|元|%|个|家|人|天|日|分钟)"
_PENALTY = re.compile(r"罚款|处[^，。；]{0,12}罚")
_BENEFIT_NOUN = re.compile(r"(补贴|补助|奖励|资助|津贴|保费|手续费|贴息|奖金|费用|收费)")


def _years_in(text: str) -> set[int]:
    out = {int(y) for y in _YEAR.findall(text)}
    for a, b in _RANGE.findall(text):
        lo, hi = int(a), int(b)
        if 0 < hi - lo <= 20:
            out |= set(range(lo, hi + 1))
    for name, start in _PERIODS.items():
        if name in text:
            out |= set(range(start, start + 5))
    return out


@dataclass(slots=True)
class Verdict:
    ok: bool
    reason: str = ""  # why not, in words shown to the asker


def _scope(c: Candidate) -> str:
    """What the passage speaks in: the sentence, its headings and its document's title."""
    return " ".join([c.text, c.path, c.hit.doc_title])


def year_ok(q: Question, c: Candidate) -> bool:
    """The years the passage speaks of: its own, its headings', its title's, its document's date,
    and — for a sentence that names none — the last year stated before it in its provision
    ("到2020年，…。全国农作物耕种收综合机械化率达到70%")."""
    if not q.years:
        return True
    years = _years_in(_scope(c))
    if c.hit.date:
        years.add(c.hit.date.year)
    if not _YEAR.search(c.text):
        i = c.hit.text.find(c.text)
        before = c.hit.text[:i] if i > 0 else ""
        stated = list(_YEAR_CLAUSE.finditer(before))
        if stated:
            years |= _years_in(stated[-1].group(0))
    return all(y in years for y in q.years)


def period_ok(q: Question, c: Candidate) -> bool:
    scope = _scope(c)
    return all(p in scope for p in q.periods)


def place_ok(q: Question, c: Candidate) -> bool:
    scope = _scope(c)
    return all(p in scope or p[:-1] in scope for p in q.places)


def figure_ok(q: Question, c: Candidate) -> bool:
    scope = re.sub(r"\s+", "", c.text + c.path)
    return all(re.sub(r"\s+", "", f) in scope for f in q.figures)


def value_ok(q: Question, c: Candidate, text: str | None = None) -> bool:
    """The sentence states a value of the asked kind other than the question's own figures."""
    need = q.needs()
    if need is None:
        return True
    text = text if text is not None else c.text
    for f in q.figures:
        # The figure and the figures listed with it ("突破1亿元、5亿元、10亿元") are thresholds.
        text = re.sub(rf"(?:{_LISTED}[、，或和及至到\-—~]+\s*)*{re.escape(f)}(?:\s*[、，或和及至到\-—~]+{_LISTED})*", "", text)
    if q.fact == "amount" and _PENALTY.search(text) and not _PENALTY.search(q.text):
        return False  # a fine is not the benefit or fee asked about
    return bool(need.search(text))


def contrast(sc: Scorer, c: Candidate) -> tuple[str, str] | None:
    """(asked, stated) when the passage names a sibling of a question term instead of it.

    A sibling has the same length and the same last character, an attribute head (夜间/日间,
    轻度/重度, 一星级/三星级, 科创板/创业板, 短期/长期): the same kind of thing, another value of it.
    Figures (两年/三年) are not siblings: a count in the question is the asker's situation.
    """
    scope = _scope(c)
    words = set(sc.seg.cut(c.text + " " + c.path))
    for t in sc.terms:
        if len(t) < 2 or sc.idf.get(t, 0) <= 0 or sc.has(t, scope) >= 1:
            continue
        if t in DISTRICTS:
            continue  # places are checked by place_ok
        for w in words:
            if len(w) == len(t) and w != t and w[-1] == t[-1] and t[-1] in _ATTRIBUTE_HEADS \
                    and w[0] != t[0] and w not in sc.question and not _NUMERAL.search(t + w) \
                    and re.fullmatch(r"[\u4e00-\u9fff]+", w) and not re.search(r"[的和与及或]", w):
                return t, w
    return None


_KIND_SUFFIX = re.compile(r"([\u4e00-\u9fff]{2,4}?)(所得税|增值税|房产税|契税|印花税|消费税|关税|使用税|保险|公积金)")


def kind_sibling(q: Question, c: Candidate) -> tuple[str, str] | None:
    """(asked, stated) when the question names one tax or insurance and the passage another
    (土地使用税 asked, 企业所得税 stated)."""
    scope = _scope(c)
    for m in _KIND_SUFFIX.finditer(q.text):
        asked = m.group(0)
        if asked in scope or m.group(1)[-2:] + m.group(2) in scope:
            continue
        for n in _KIND_SUFFIX.finditer(c.text):
            if n.group(2) != m.group(2) or n.group(2) in ("保险", "公积金"):
                return asked, n.group(0)
    return None


def modifier_missing(q: Question, sc: Scorer, c: Candidate) -> str | None:
    """The specific benefit the question names ("交通补贴") when the passage lacks its modifier."""
    scope = _scope(c) + " " + c.hit.text
    cut = sc.seg.cut(sc.question)
    for i, w in enumerate(cut):
        if _BENEFIT_NOUN.fullmatch(w) and i > 0:
            mod = cut[i - 1]
            if len(mod) >= 2 and mod in sc.idf and sc.idf.get(mod, 0) > 0 and mod not in scope \
                    and q.tags.get(mod, "n") in ("n", "nz", "vn", "nt", "nr", "ns") \
                    and re.fullmatch(r"[\u4e00-\u9fff]+", mod):
                return mod + w
    return None


# Cut fragments of time phrases ("多少天内" → 天内) are not subjects.
_FRAGMENT = re.compile(r"^[天日月年周次]|[内前后起间]$")
RARE_DF = 2  # a question term this rare in the library names its subject precisely


def rare_missing(q: Question, sc: Scorer, c: Candidate) -> str | None:
    """A noun the library uses in at most ``RARE_DF`` provisions, asked but absent from this one:
    the question is about that rare thing (博士, 注册资本), and this passage about something else.
    Verbs are paraphrased (免缴/免予缴纳) and question words (什么时候) are not subjects."""
    scope = _scope(c) + " " + c.hit.text
    for t in sc.terms:
        if t in q.nouns and 0 < sc.df.get(t, 0) <= RARE_DF and sc.has(t, scope) < 1 and t not in DISTRICTS \
                and not any(t in cue for cue in q.cues) and not _NUMERAL.search(t) and not _FRAGMENT.search(t):
            return t
    return None


GENERIC_IDF = 2.0  # below this a word stands in a large share of all provisions
FOCUS_IDF = 4.5  # a word this specific right before the asked value says what the value is of
_VALUE_KINDS = {"amount", "rate", "count", "duration", "deadline", "age", "number"}


def focus_term(q: Question, sc: Scorer) -> str | None:
    """The specific word that governs the asked value: the last content term before the cue
    ("开业多长时间" → 开业, "注册资本多少" → 注册资本). Colloquial words the library never uses
    (拿出) do not count unless a paraphrase is known."""
    if q.fact not in _VALUE_KINDS or not q.before_cue:
        return None
    from .paraphrase import official_forms
    words = sc.seg.cut(q.before_cue)
    for i in range(len(words) - 1, -1, -1):
        w = words[i]
        if len(w) == 1 and i > 0 and q.tags.get(w, "")[:1] == "n" and not _NUMERAL.search(words[i - 1] + w):
            return words[i - 1] + w  # a compound the cut split (服务 + 券 = 服务券)
        if w not in sc.idf or len(w) < 2 or _NUMERAL.search(w) or w in DISTRICTS:
            continue
        if q.tags.get(w, "n")[:1] not in ("n", "v"):
            continue  # adverbs and adjectives (至少, 最长) qualify the value, they do not own it
        if (sc.df.get(w, 0) > 0 and sc.idf[w] >= FOCUS_IDF) or (sc.df.get(w, 0) == 0 and official_forms(w)):
            return w
        if sc.df.get(w, 0) > 0 and sc.idf[w] < GENERIC_IDF:
            continue  # 服务, 工作: in most provisions, a head word that names nothing; look further left
        if sc.df.get(w, 0) > 0:
            return None  # the governing word is a common one: it names nothing in particular
    return None


def check(q: Question, sc: Scorer, c: Candidate, *, need_value: bool = True) -> Verdict:
    """All the rules above for one candidate; the first failing one names the reason."""
    if not year_ok(q, c):
        return Verdict(False, f"{'、'.join(str(y) for y in q.years)}年的相关规定")
    if not period_ok(q, c):
        return Verdict(False, f"“{'、'.join(q.periods)}”时期的相关规定")
    if not place_ok(q, c):
        return Verdict(False, f"{'、'.join(q.places)}的相关规定")
    if not figure_ok(q, c):
        return Verdict(False, f"关于“{'、'.join(q.figures)}”的规定")
    pair = contrast(sc, c) or kind_sibling(q, c)
    if pair:
        return Verdict(False, f"关于“{pair[0]}”的规定（条文所说的是“{pair[1]}”）")
    mod = modifier_missing(q, sc, c) or rare_missing(q, sc, c)
    focus = focus_term(q, sc) if need_value else None
    if not mod and focus and sc.has(focus, c.text) < 1:
        mod = focus
    if mod:
        return Verdict(False, f"关于“{mod}”的规定")
    if need_value and not value_ok(q, c):
        return Verdict(False, _WHAT.get(q.fact, "能直接回答该问题的规定"))
    return Verdict(True)


_WHAT = {"age": "所问的年龄条件", "amount": "所问的具体金额", "rate": "所问的具体比例", "count": "所问的具体数量",
         "deadline": "所问的具体时间", "duration": "所问的具体期限", "unit": "所问的负责部门",
         "how": "所问的办理方式", "where": "所问的办理地点", "who": "所问的适用对象",
         "number": "所问的具体数值"}
