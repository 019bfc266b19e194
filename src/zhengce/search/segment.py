"""Chinese segmentation for search: rjieba plus a domain dictionary and synonym groups.

Why rjieba: the Rust port of jieba cuts ~20 MB/s with the same dictionary features (user words via
``add_word``), so segmentation never bounds ingest. Indexing and querying use the same
``Segmenter`` (same words), in search mode, so long words also yield their dictionary sub-words
(北京证券交易所 → 北京 证券 交易 交易所) and a query cut differently still meets them.

Synonym groups (北交所 = 北京证券交易所, harvested "（以下简称“X”）" definitions …) are matched as
surface strings on both sides and add a group token ``syn<N>``, so any spelling finds the others.
"""

from __future__ import annotations

import contextlib
import functools
import re
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import rjieba

# Function words, question words and politeness that carry no topic (the question's intent is
# read separately by the answer composer). Kept short on purpose: BM25's IDF handles the rest.
_STOP_TEXT = """
的 了 是 在 我 我们 你 您 他 她 它 吗 呢 吧 啊 呀 哦 么 和 与 及 或 或者 也 都 就 还 又 要 想 能 能否 可以 可 会 得 地 着 过 被 把 给 让
请问 请 问 哪些 哪个 哪 什么 多少 多长 多长时间 多久 几 几个 怎么 怎样 如何 为什么 是否 有没有 有 没有 一下 这 那 这个 那个 这件 那份 这份 些 个
几月 几号 几时 哪天 哪份 哪家 何时 多大 多高 多远 长时间 多少钱 最多 最多能 的话 这块 一下子\n里 中 上 下 时 后 前 以后 以前 之后 现在 今年 自己 家 一 一家 一个 一名 一张 一次 张 件 份 位 才 说 具体 指 到底 需要 应该 对 对于 从 向 为 于 将 等
"""
STOPWORDS = frozenset(_STOP_TEXT.split())

SYNONYMS_FILE = Path(__file__).resolve().parents[1] / "data" / "synonyms.txt"
_PUNCT = re.compile(r"^[\W_]+$")
_DEF = re.compile(r"[（(]以下(?:简称|称)[“\"「]?([^”\"」）)，,]{2,12})[”\"」]?[）)]")
_QUOTED = re.compile(r"[“\"「]([\u4e00-\u9fffA-Za-z0-9]{2,8})[”\"」]")
_AGENCY = re.compile(r"(?:市|区|国家|北京市)[\u4e00-\u9fff]{1,10}?(?:局|委员会|委|办公室|管委会|中心)")


# Full-width ASCII (，：（）１２ …) is nearly all NFKC changes in Chinese text. Each full-width
# character that occurs is replaced with one ``str.replace`` (a C scan; a text holds only a
# few distinct ones), several times faster than ``str.translate`` with a mapping (a dict lookup
# per character) or ``unicodedata.normalize``; the latter then runs only when the quick check
# still finds something. The result is the same NFKC form either way: each of these characters'
# compatibility decomposition is exactly the ASCII character it is replaced with.
_FULLWIDTH = {chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
_FULLWIDTH_RE = re.compile("[\uff01-\uff5e\u3000]")
_PUNCT_TOKEN = re.compile(r" (?:[^\w\s]|_)+(?= )")  # a token of punctuation only, in " a b " form


def _nfkc(s: str) -> str:
    if _FULLWIDTH_RE.search(s) is not None:
        for ch in set(_FULLWIDTH_RE.findall(s)):
            s = s.replace(ch, _FULLWIDTH[ch])
    if not unicodedata.is_normalized("NFKC", s):
        s = unicodedata.normalize("NFKC", s)
    return s.lower()


_JIEBA: rjieba.Jieba | None = None


def shared_jieba() -> rjieba.Jieba:
    """The process's one rjieba instance (loading the dictionary costs ~0.3 s; never twice).

    Domain words of every library opened in this process are added to it: a process serves one
    library in practice, and search-mode cuts still emit a word's dictionary sub-words, so an
    extra word only adds a term, it never hides the pieces another index was cut into.
    """
    global _JIEBA
    if _JIEBA is None:
        _JIEBA = rjieba.Jieba()
    return _JIEBA


# Words added to the shared instance so far, and a CRC chained over them in order: every cached
# cut depends on both (two processes forked from one state that added the same words agree).
_JIEBA_WORDS = [0, 0]


def _add_jieba_word(jieba: rjieba.Jieba, word: str) -> None:
    jieba.add_word(word, None, None)
    _JIEBA_WORDS[0] += 1
    _JIEBA_WORDS[1] = zlib.crc32(word.encode(), _JIEBA_WORDS[1])


CUT_CACHE = 50_000  # texts whose index terms a Segmenter remembers (copies of one text, siblings' paths)


@functools.cache
def _synonym_groups() -> tuple[tuple[str, ...], ...]:
    groups = []
    text = SYNONYMS_FILE.read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "=" in line:
            forms = [f.strip() for f in line.split("=") if f.strip()]
            if len(forms) > 1:
                groups.append(tuple(forms))
    return tuple(groups)


def load_synonym_groups() -> list[list[str]]:
    """The bundled synonym table: one group per line, surface forms separated by ``=``."""
    return [list(g) for g in _synonym_groups()]


def harvest_terms(title: str | None, text: str) -> tuple[set[str], list[list[str]]]:
    """Domain words and synonym pairs found in a document's own words.

    Words: quoted programme names (“免申即享”), agency names (市经济和信息化局). Pairs: the
    full name before "（以下简称“X”）" and X.
    """
    words: set[str] = set()
    pairs: list[list[str]] = []
    for m in _QUOTED.finditer(text):
        words.add(m.group(1))
    for m in _AGENCY.finditer(text):
        if len(m.group(0)) <= 12:
            words.add(m.group(0))
    for m in _DEF.finditer(text):
        short = m.group(1).strip("“”\"「」")
        head = text[max(0, m.start() - 40): m.start()]
        full = re.split(r"[，。；：、,;:（(）)“”《》\s]|关于", head)[-1]
        full = _abbreviated_from(full, short)
        if full:
            pairs.append([full, short])
            words.add(short)
    return words, pairs


def _abbreviated_from(full: str, short: str) -> str | None:
    """The tail of ``full`` that ``short`` abbreviates (its characters in order), or None.

    Harvested heads carry leading prose (全力服务保障北京证券交易所); a 简称 is drawn from the full
    name's characters, so the name starts at the latest start that still contains them in order.
    """
    if not short or len(full) <= len(short):
        return None
    for start in range(len(full) - len(short), -1, -1):
        if full[start] != short[0]:
            continue
        it = iter(full[start:])
        if all(ch in it for ch in short):
            cand = full[start:]
            return cand if len(cand) > len(short) and len(cand) <= 30 else None
    return None


def _trie_pattern(words: Iterable[str]) -> str:
    """One regex for a set of literal words, factored by common prefix (a trie).

    Matches what the alternation of the words sorted longest first matches (at each position
    the longest word that starts there), but the regex engine follows one branch per character
    instead of trying every word in turn: a third faster over provision texts with ~150 forms.
    """
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def _group_words(forms: list[str]) -> list[str]:
    """The forms of a synonym group that also become rjieba words (short ones: 简称, short names)."""
    return [f for f in forms if len(f) <= 8]


class Segmenter:
    """Segments text into index/query terms with the library's domain words and synonym groups."""

    def __init__(self, words: Iterable[str] = (), groups: Iterable[list[str]] = ()):
        self._jieba = shared_jieba()
        self.words: set[str] = set()
        self.groups: list[list[str]] = []
        self._alias_re: re.Pattern | None = None
        self._alias_group: dict[str, int] = {}
        self._cuts: dict[str, str] = {}  # text -> token_text(text), valid for ``_cuts_state``
        self._cuts_state: tuple[int, ...] = (-1,)
        self._alias_crc = 0  # CRC chained over the synonym forms in the order they were added
        self._offer: tuple[tuple[int, ...], dict[str, str]] | None = None  # cuts made elsewhere
        self._recording: dict[str, str] | None = None
        all_groups = load_synonym_groups() + [list(g) for g in groups]
        for g in all_groups:
            self.add_group(g)
        self.add_words(words)
        self._compile()

    def _new_words(self, words: Iterable[str]) -> Iterator[str]:
        """The domain words of ``words`` (normalised, 2-12 characters) this segmenter lacks."""
        for w in words:
            w = _nfkc(w.strip())
            if 2 <= len(w) <= 12 and w not in self.words:
                yield w

    def add_words(self, words: Iterable[str]) -> None:
        for w in self._new_words(words):
            self.words.add(w)
            if not self._jieba.has_word(w):
                _add_jieba_word(self._jieba, w)

    def add_group(self, forms: list[str]) -> None:
        forms = [_nfkc(f) for f in forms]
        known = next((self._alias_group[f] for f in forms if f in self._alias_group), None)
        gid = known if known is not None else len(self.groups)
        if known is None:
            self.groups.append([])
        for f in forms:
            if f not in self._alias_group:
                self._alias_group[f] = gid
                self._alias_crc = zlib.crc32(f"{gid}={f}".encode(), self._alias_crc)
                self.groups[gid].append(f)
                self._alias_re = None  # recompiled on next use
        self.add_words(_group_words(forms))

    def would_learn(self, words: Iterable[str], pairs: Iterable[list[str]]) -> bool:
        """Whether ``add_words(words)`` and ``add_group`` of each pair would change any cut: a
        synonym form not known yet, or a word rjieba does not have (the same tests they apply)."""
        pairs = [[_nfkc(f) for f in forms] for forms in pairs]
        if any(f not in self._alias_group for forms in pairs for f in forms):
            return True
        candidates = [*words, *(w for forms in pairs for w in _group_words(forms))]
        return any(not self._jieba.has_word(w) for w in self._new_words(candidates))

    def _compile(self) -> None:
        self._alias_re = re.compile(_trie_pattern(self._alias_group)) if self._alias_group else None

    def synonym_tokens(self, text: str) -> list[str]:
        """``syn<N>`` for every synonym group whose surface form occurs in ``text``."""
        if self._alias_re is None:
            self._compile()
        if self._alias_re is None:
            return []
        return [f"syn{self._alias_group[m.group(0)]}" for m in self._alias_re.finditer(text)]

    def tokens(self, text: str) -> list[str]:
        """Index terms of a text: search-mode cut, punctuation dropped, plus synonym-group tokens."""
        text = _nfkc(text)
        out = [t for t in self._jieba.cut_for_search(text) if (t.isalnum() or not _PUNCT.match(t))]
        out.extend(self.synonym_tokens(text))
        return out

    def state(self) -> tuple[int, ...]:
        """What every cut depends on: the rjieba words and the synonym forms, counted and chained."""
        return (*_JIEBA_WORDS, len(self._alias_group), self._alias_crc)

    def offer(self, state: tuple[int, ...], cuts: dict[str, str]) -> None:
        """Cuts another process made (``recording``) in ``state``: used only if this segmenter is
        in that very state when it next misses its cache (an ingest worker cuts a file ahead; a
        word the file itself, or a file written meanwhile, adds makes the writer cut it again)."""
        self._offer = (tuple(state), cuts)

    @contextlib.contextmanager
    def recording(self) -> Iterator[dict[str, str]]:
        """Collect every ``token_text`` answer given inside the block (text -> terms)."""
        self._recording = rec = {}
        try:
            yield rec
        finally:
            self._recording = None

    def token_text(self, text: str) -> str:
        """``" ".join(self.tokens(text))`` in one regex pass instead of a test per token (ingest).

        Remembered per text while the words and synonym groups stay the same (a library built
        from many versions of the same documents cuts each repeated provision once); any word
        added to the shared rjieba instance or any new synonym form forgets every cut.
        """
        state = self.state()
        if state != self._cuts_state:
            self._cuts = {}
            self._cuts_state = state
        out = self._cuts.get(text)
        if out is None and self._offer is not None:
            offered_state, cuts = self._offer
            self._offer = None
            if offered_state == state:
                if len(self._cuts) + len(cuts) > CUT_CACHE:  # bounded like the cuts made here
                    self._cuts = {}
                self._cuts.update(cuts)
                out = self._cuts.get(text)
        if out is None:
            out = self._cut_text(text)
        if self._recording is not None:
            self._recording[text] = out
        return out

    def _cut_text(self, text: str) -> str:
        norm = _nfkc(text)
        out = _PUNCT_TOKEN.sub("", " " + " ".join(self._jieba.cut_for_search(norm)) + " ").strip()
        syn = self.synonym_tokens(norm)
        if syn:
            out += " " + " ".join(syn)
        if len(self._cuts) >= CUT_CACHE:
            self._cuts = {}
        self._cuts[text] = out
        return out

    def query_terms(self, query: str) -> list[str]:
        """Distinct content terms of a query (stopwords dropped), synonym-group tokens included."""
        seen: dict[str, None] = {}
        for t in self.tokens(query):
            if t not in STOPWORDS and t not in seen:
                seen[t] = None
        return list(seen)

    def cut(self, text: str) -> list[str]:
        """Plain (precise-mode) cut, for highlighting and sentence scoring."""
        return self._jieba.cut(_nfkc(text))

    def surface_forms(self, term: str) -> list[str]:
        """What a term looks like in text (a ``syn<N>`` token stands for its group's forms)."""
        if term.startswith("syn") and term[3:].isdigit():
            gid = int(term[3:])
            return list(self.groups[gid]) if gid < len(self.groups) else []
        return [term]
