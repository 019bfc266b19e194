"""Article extraction from government web pages: zhengce's own walker against trafilatura and readability.

Pages: the 20 gov.cn pages of ``../shared/eval/govcn/corpus`` and the three pages of other layouts
that ``tests/webpages.py`` builds from corpus text. For each extractor and page:

- ``paras``: share of the article's paragraphs found in the output (normalised substring);
- ``lines``: share of them that come out as one line each (what ingest needs: 一、/（一）/文号 lines);
- ``gold``: share of the gold fields found in the output (title, 文号 when the page states it,
  the body quote);
- ``leak``: output lines that are not article text (navigation, share bars, the metadata block,
  footers), per page;
- ``ms``: milliseconds per page.

The article's paragraphs are known by construction: gov.cn's article cell (``#UCAP-CONTENT``, used
only here, to measure) and the corpus lines a built page was made from.

Run: ``python benchmarks/webpage_extract.py`` (trafilatura and readability-lxml need to be installed;
an extractor that is missing is skipped).
"""

from __future__ import annotations

import json
import re
import sys
import time
import unicodedata
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]
GOVCN = ROOT.parent / "shared" / "eval" / "govcn"
VERBOSE = "-v" in sys.argv


def norm(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def html_lines(html: str) -> list[str]:
    """Lines of an extractor's HTML output: one per block element end."""
    html = re.sub(r"(?i)<br\s*/?>|</(?:p|div|h\d|li|tr|td|th|section|article)>", "\n", html)
    text = unescape(re.sub(r"<[^>]+>", "", html))
    return [t.strip() for t in text.split("\n") if t.strip()]


def own(path: Path, html: str) -> list[str]:
    from zhengce.sources import read_source
    return [s.text for s in read_source(path).lines]


def trafilatura_lines(path: Path, html: str) -> list[str]:
    import trafilatura
    out = trafilatura.extract(html, include_tables=True, include_comments=False, favor_recall=True) or ""
    # its tables come as markdown ("| a | b |", "|---|"): read them back as tab-separated rows
    lines = []
    for t in out.split("\n"):
        if re.fullmatch(r"[|\s:-]*", t):
            continue
        if t.startswith("|"):
            t = "\t".join(c.strip() for c in t.strip().strip("|").split("|"))
        lines.append(t)
    return lines


def readability_lines(path: Path, html: str) -> list[str]:
    from readability import Document
    return html_lines(Document(html).summary(html_partial=True))


def govcn_cases() -> list[tuple[Path, list[str], dict]]:
    from selectolax.lexbor import LexborHTMLParser
    gold = {g["source"]: g for g in map(json.loads, (GOVCN / "documents.jsonl").read_text().splitlines())}
    cases = []
    for page in sorted((GOVCN / "corpus").glob("*.htm")):
        tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
        cell = tree.css_first("#UCAP-CONTENT")
        paras = [p.text(deep=True).strip() for p in cell.css("p")]
        cases.append((page, [p for p in paras if norm(p)], gold[page.name]))
    return cases


def own_cases(folder: Path) -> list[tuple[Path, list[str], dict]]:
    from webpages import corpus_lines, write_pages
    gold = {g["source"]: g for g in map(json.loads, (ROOT / "tests/data/webpage/documents.jsonl")
                                         .read_text().splitlines())}
    paths = write_pages(folder)
    spans = {"t20220129_2584163.html": (40, 89), "index.html": (3122, 3294), "t20220311_2601234.html": (4187, 4936)}
    return [(paths[n], corpus_lines(*spans[n]), gold[n]) for n in paths]


def score(extract, cases) -> dict:
    found = whole = total = gold_hit = gold_n = leak = 0
    ms = 0.0
    for path, paras, gold in cases:
        html = path.read_text(encoding="utf-8")
        t0 = time.perf_counter()
        try:
            lines = extract(path, html)
        except Exception:  # an extractor that fails on a page finds nothing on it
            lines = []
        ms += (time.perf_counter() - t0) * 1000
        text = norm("".join(lines))
        line_set = {norm(x) for x in lines}
        article = norm("".join(paras)) + norm(gold["title"])
        title = norm(gold["title"])
        for p in paras:
            if "\t" in p:  # a table row: its cells, as a row or as text, are article text
                continue
            total += 1
            found += norm(p) in text
            # one line each; a title split over centred <p>s may come out rejoined
            whole += norm(p) in line_set or (norm(p) in title and title in line_set)
        wanted = [gold["title"], gold["body_quote"]]
        if gold.get("doc_number") and norm(gold["doc_number"]) in article:  # stated in the text itself
            wanted.append(gold["doc_number"])
        gold_n += len(wanted)
        gold_hit += sum(norm(w) in text for w in wanted)
        leaked = [x for x in lines if norm(x) and norm(x) not in article]
        leak += len(leaked)
        if VERBOSE and leaked:
            print(f"  {extract.__name__} {path.name}: {leaked[:6]}")
    n = len(cases)
    return {"paras": round(found / total, 4), "lines": round(whole / total, 4), "gold": round(gold_hit / gold_n, 4),
            "leak_per_page": round(leak / n, 2), "ms": round(ms / n, 2)}


def main() -> None:
    import tempfile
    extractors = {"zhengce": own, "trafilatura": trafilatura_lines, "readability": readability_lines}
    with tempfile.TemporaryDirectory() as tmp:
        sets = {"govcn (20)": govcn_cases(), "other layouts (3)": own_cases(Path(tmp))}
        for set_name, cases in sets.items():
            for name, fn in extractors.items():
                try:
                    fn(*((cases[0][0], cases[0][0].read_text(encoding="utf-8"))))
                except ImportError:
                    print(f"{set_name:18} {name:12} not installed")
                    continue
                print(f"{set_name:18} {name:12}", json.dumps(score(fn, cases)))


if __name__ == "__main__":
    main()
