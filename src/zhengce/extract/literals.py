"""The literal strings a regular expression cannot match without: a sound prefilter.

Many extractors run a family of patterns over short texts where most patterns cannot match. A regex
engine still walks every text for every pattern; a substring test on a word the pattern needs is
much cheaper. ``required_literals(pattern)`` reads the pattern's syntax tree and returns a set of
non-empty strings such that every match contains at least one of them (``None`` when it finds
none, e.g. a pattern led by a character class, or inline flags that change literal matching).
Skipping a text that holds none of them cannot change what the pattern finds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from re import _constants as C  # noqa: N812 - the sre opcode names
from re import _parser as sre_parse

import ahocorasick

MAX_SET = 48  # a literal set larger than this costs more to test than it saves

Items = list[tuple[object, object]]
REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT))
ZERO_WIDTH = (C.AT, C.ASSERT, C.ASSERT_NOT)


def _product(a: set[str], b: set[str]) -> set[str] | None:
    out = {x + y for x in a for y in b}
    return out if len(out) <= MAX_SET else None


def _exact_seq(items: Items) -> set[str] | None:
    """Every string the sequence can match, when that is a small finite set."""
    out: set[str] | None = {""}
    for op, av in items:
        s = _exact_item(op, av)
        if s is None or out is None:
            return None
        out = _product(out, s)
    return out


def _group_or_branch(op, av, seq) -> set[str] | None:
    """A group (without flags) is its sequence's set; a branch the union of its alternatives'
    sets, given by ``seq`` (exact strings or necessary strings)."""
    if op is C.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return None if add_flags or del_flags else seq(sub)
    out: set[str] = set()
    for alt in av[1]:
        s = seq(alt)
        if s is None:
            return None
        out |= s
    return out if len(out) <= MAX_SET else None


def _exact_item(op, av) -> set[str] | None:
    if op is C.LITERAL:
        return {chr(av)}
    if op in ZERO_WIDTH:
        return {""}  # consumes nothing: the match is the same string with or without it
    if op in (C.SUBPATTERN, C.BRANCH):
        return _group_or_branch(op, av, _exact_seq)
    if op is C.IN:
        if all(o is C.LITERAL for o, _ in av):
            return {chr(v) for _, v in av}
        return None
    if op in REPEATS:
        lo, hi, sub = av
        if hi > 1:
            return None
        s = _exact_seq(sub)
        if s is None:
            return None
        return s | {""} if lo == 0 else s
    return None


def _necessary_item(op, av) -> set[str] | None:
    """A set one of whose strings every match of the item contains, or None."""
    if op in (C.SUBPATTERN, C.BRANCH):
        return _group_or_branch(op, av, _necessary_seq)
    if op in REPEATS and av[0] >= 1:
        return _necessary_seq(av[2])
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _necessary_seq(av)
    return None


def _score(s: set[str]) -> tuple:
    shortest = min(len(x) for x in s)
    return (shortest >= 2, -len(s), shortest)


def _necessary_seq(items: Items) -> set[str] | None:
    """The best of :func:`_necessary_sets`."""
    cands = _necessary_sets(items)
    return max(cands, key=_score) if cands else None


def _necessary_sets(items: Items) -> list[set[str]]:
    """Sets a match of the sequence needs one string of, each: runs of plain literals, the exact
    strings of runs of finite items, what a required item needs (every match of a sequence contains
    a match of each of its parts)."""
    return [c for c, _end in _necessary_sets_at(items)]


def _necessary_sets_at(items: Items) -> list[tuple[set[str], int]]:
    """:func:`_necessary_sets`, each with ``end``: its strings occur within the match of items[:end]."""
    cands: list[tuple[set[str], int]] = []
    end = 0
    literal = ""  # the current run of single-string items
    exact: set[str] = {""}  # every string the current run of finite items can match

    def close_exact() -> None:
        if "" not in exact:
            cands.append((exact, end))

    for i, (op, av) in enumerate(items):
        end = i + 1  # an upper bound for whatever is closed in this step
        e = _exact_item(op, av)
        if e is not None and len(e) == 1:
            literal += next(iter(e))
        else:
            if literal:
                cands.append(({literal}, end))
            literal = ""
        if e is None or op is C.SUBPATTERN or op is C.BRANCH:
            n = _necessary_item(op, av)  # (A|B(C|D)) may need fewer strings than all it matches
            if n:
                cands.append((n, end))
        if e is None:
            close_exact()
            exact = {""}
            continue
        grown = _product(exact, e)
        if grown is None:  # too many strings: what came before is one candidate, start again here
            close_exact()
            exact = e
        else:
            exact = grown
    end = len(items)
    if literal:
        cands.append(({literal}, end))
    close_exact()
    return [(_minimal(c), e) for c, e in cands if c and "" not in c]


def _minimal(s: set[str]) -> set[str]:
    """Without the strings that contain another of the set (a text holding "在新三板创新层" holds
    "新三板"). Only for a necessary set: an exact set must keep every string for its products."""
    return {x for x in s if not any(y != x and y in x for y in s)}


def _tree(pattern: str | re.Pattern):
    src = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
    flags = pattern.flags if isinstance(pattern, re.Pattern) else 0
    if not isinstance(src, str):
        return None
    try:
        tree = sre_parse.parse(src, flags)
    except re.error:
        return None
    return None if tree.state.flags & re.IGNORECASE else tree


@cache
def literal_window(pattern: str | re.Pattern) -> tuple[frozenset[str], int] | None:
    """(words, reach): every match holds one of ``words`` starting at most ``reach`` characters
    after the match's own start, so no match starts before (first such word) − reach. None when
    no required word has a bounded reach ("[^，。；]{2,60}?…分别按" reaches 74; "\\d+…%" is unbounded)."""
    tree = _tree(pattern)
    if tree is None:
        return None
    items = list(tree)
    best = None
    for words, end in _necessary_sets_at(items):
        reach = sre_parse.SubPattern(tree.state, items[:end]).getwidth()[1]
        if reach < sre_parse.MAXWIDTH and (best is None or _score(words) > _score(best[0])):
            best = (frozenset(words), reach)
    return best


@cache
def required_literal_sets(pattern: str | re.Pattern) -> tuple[frozenset[str], ...]:
    """Sets of strings such that every match of ``pattern`` contains a string of each set (the
    pattern's required words: "[^，。；、]{0,12}(星级|等级)[^，。；]{0,8}(及以上|以上)" needs 星级 or
    等级, and 以上); () when none can be derived."""
    tree = _tree(pattern)
    if tree is None:
        return ()
    sets = sorted(map(frozenset, _necessary_sets(list(tree))), key=_score, reverse=True)
    return tuple(dict.fromkeys(sets))  # best first, no repeats


def required_literals(pattern: str | re.Pattern) -> frozenset[str] | None:
    """The best single set of :func:`required_literal_sets` (every match contains one of its
    strings); None when none can be derived."""
    sets = required_literal_sets(pattern)
    return sets[0] if sets else None


def may_match(literals: frozenset[str] | None, text: str) -> bool:
    """False only when ``text`` holds none of the pattern's required literals."""
    return literals is None or any(s in text for s in literals)


class LiteralIndex:
    """Which of many patterns may match a text, found in one pass over it.

    An Aho–Corasick automaton (pyahocorasick; measured against one lookahead alternation of the
    literals and against a substring test per pattern, it was the fastest) holds every pattern's
    required literals; a pattern without any is always a candidate. ``candidates(text)`` lists
    the patterns worth running, in their given order, so a caller that runs them in order finds
    exactly what running all of them would.
    """

    def __init__(self, patterns: Sequence[str | re.Pattern]):
        self.size = len(patterns)
        self.always: frozenset[int] = frozenset()
        always, by_literal = set(), {}
        for i, p in enumerate(patterns):
            lits = required_literals(p)
            if lits is None:
                always.add(i)
                continue
            for lit in lits:
                by_literal.setdefault(lit, set()).add(i)
        self.always = frozenset(always)
        self.automaton = None
        if by_literal:
            auto = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
            for lit, ids in by_literal.items():
                auto.add_word(lit, frozenset(ids))
            auto.make_automaton()
            self.automaton = auto

    def candidates(self, text: str) -> list[int]:
        """Indexes of the patterns that may match ``text``, ascending."""
        ids = set(self.always)
        if self.automaton is not None:
            for _end, found in self.automaton.iter(text):
                ids |= found
        return sorted(ids)


class Guarded:
    """A compiled pattern behind a substring test for the words it needs.

    For a pattern the regex engine must try at every position ("[^，。；]{0,12}(星级|等级)…",
    "([^，。；]{2,60}?)…分别按照…"), testing ``"分别按" in text`` first is far cheaper, and a text
    that fails it cannot match, so the answers are those of the bare pattern."""

    __slots__ = ("pattern", "literals", "window")

    def __init__(self, pattern: re.Pattern, literal_sets: tuple[frozenset[str], ...],
                 window: tuple[frozenset[str], int] | None = None):
        self.pattern = pattern
        self.literals = tuple(tuple(sorted(s)) for s in literal_sets)
        self.window = (tuple(sorted(window[0])), window[1]) if window else None

    def _start(self, text: str, pos: int) -> int:
        """Where a match can start at the earliest: ``reach`` before the first required word."""
        if self.window is None:
            return pos
        words, reach = self.window
        first = min((i for i in (text.find(w, pos) for w in words) if i >= 0), default=pos)
        return max(pos, first - reach)

    def may_match(self, text: str) -> bool:
        """Whether ``text`` holds a word of every required set."""
        for words in self.literals:
            for lit in words:
                if lit in text:
                    break
            else:
                return False
        return True

    def search(self, text: str, pos: int = 0, *args) -> re.Match | None:
        return self.pattern.search(text, self._start(text, pos), *args) if self.may_match(text) else None

    def match(self, text: str, *args) -> re.Match | None:
        return self.pattern.match(text, *args) if self.may_match(text) else None

    def finditer(self, text: str, pos: int = 0, *args):
        return self.pattern.finditer(text, self._start(text, pos), *args) if self.may_match(text) else iter(())

    def findall(self, text: str, *args) -> list:
        return self.pattern.findall(text, *args) if self.may_match(text) else []

    def sub(self, repl, text: str, count: int = 0) -> str:
        return self.pattern.sub(repl, text, count) if self.may_match(text) else text


def guarded(pattern: str | re.Pattern) -> Guarded | re.Pattern:
    """``pattern`` compiled, behind its required-literal test when it has one."""
    rx = re.compile(pattern) if isinstance(pattern, str) else pattern
    sets = required_literal_sets(rx)
    return Guarded(rx, sets, literal_window(rx)) if sets else rx
