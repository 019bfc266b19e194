"""Required-literal prefilters (zhengce.extract.literals): what a pattern cannot match without.

A prefilter is only allowed to skip texts the pattern cannot match, so every test here compares
against the bare pattern on real corpus text.
"""

from __future__ import annotations

import re

import pytest

from zhengce.extract.benefits.vocab import phrases
from zhengce.extract.literals import LiteralIndex, guarded, required_literals
from zhengce.ingest import parse_source
from zhengce.sources import read_source

from conftest import corpus_file

LITERALS = [
    # tiers.SCHEDULE (xicheng-gazette-2022.txt:4237 "每满一年，依次按照每人每年6000元、9000元、1.2万元标准")
    (r"(依次|逐年|分别)按照?[^，。；]{0,6}?", {"依次按", "逐年按", "分别按"}),
    # condition_phrases.tsv disability line: every branch holds 重度, one word is cheaper to test than three
    (r"中、重度(失能|残疾)?|中重度(失能|残疾)?|中度或重度(失能|残疾)?", {"重度"}),
    # benefits ORG_GRADE (西民发〔2022〕8号 "星级评定为二星级及以上"): led by a class; both 及以上 and 以上 hold 以上
    (r"[^，。；、]{0,12}(星级|等级)[^，。；]{0,8}(及以上|以上)", {"以上"}),
    (r"(在)?(新三板|全国中小企业股份转让系统|全国股转系统|股转系统)(精选层|创新层|基础层)?", {"新三板", "全国中小企业股份转让系统", "股转系统"}),
    (r"返(?<!应返)还", {"返还"}),  # a lookbehind consumes nothing
    (r"(ab|cd)+e?", {"ab", "cd"}),
]
NONE = [r"x*", r"[^，。]{2,9}", r"(?i)abc", r"\d+(?:\.\d+)?"]


@pytest.mark.parametrize("pattern,expected", LITERALS)
def test_required_literals(pattern, expected):
    assert required_literals(pattern) == frozenset(expected)


@pytest.mark.parametrize("pattern", NONE)
def test_no_literal_means_no_prefilter(pattern):
    assert required_literals(pattern) is None
    assert guarded(pattern) is re.compile(pattern)


@pytest.fixture(scope="module")
def provision_texts() -> list[str]:
    out = []
    for name in ("xicheng-gazette-2022.txt", "beijing-private-enterprise-policies-2021q4.txt"):
        src = read_source(corpus_file(name))
        for doc in parse_source(src):
            out += [p.text for p in doc.provisions]
    return out


def test_vocabulary_prefilter_keeps_every_match(provision_texts):
    pats = [ph.pattern for ph in phrases()]
    index = LiteralIndex(pats)
    matched = 0
    for text in provision_texts:
        may = set(index.candidates(text))
        for i, p in enumerate(pats):
            if p.search(text):
                matched += 1
                assert i in may, (p.pattern, text[:60])
    assert matched > 100  # the corpus does state these conditions


@pytest.mark.parametrize("pattern", [p for p, _ in LITERALS])
def test_guarded_pattern_finds_what_the_bare_one_finds(pattern, provision_texts):
    bare, fast = re.compile(pattern), guarded(pattern)
    for text in provision_texts:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in bare.finditer(text)]
        assert fast.sub("＿", text) == bare.sub("＿", text)


def test_doc_numbers_found_from_the_bracket_are_the_patterns_matches(provision_texts):
    # docnum finds 文号 from the bracketed year and extends left over the 机关代字 instead of trying
    # the CJK run at every character; it must find exactly what DOC_NUMBER.finditer finds
    from zhengce.extract.docnum import DOC_NUMBER, _doc_number_matches
    extra = ["京政发〔2021〕1号京政发〔2021〕2号", "一二三四五六七八九十一二三四五六〔2020〕5号", "京政发\n〔2021〕34号",
             "abc 〔2020〕 第 5 号", "号京 〔2021〕3号"]
    found = 0
    for text in provision_texts + extra:
        want = [(m.start(), m.end(), m["org"], m["year"], m["seq"]) for m in DOC_NUMBER.finditer(text)]
        assert list(_doc_number_matches(text)) == want, text[:60]
        found += len(want)
    assert found > 20


def test_first_unit_is_the_lists_first(provision_texts):
    # tasks reject a subject on its first unit before cleaning the rest of the list
    from zhengce.extract.tasks.units import first_unit, split_list
    seen = 0
    for text in provision_texts:
        for piece in (text[:40], text[:80], text):
            units = split_list(piece)
            assert first_unit(piece) == (units[0] if units else None)
            seen += bool(units)
    assert seen > 100
