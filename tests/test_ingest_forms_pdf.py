"""Browser and word-processor PDFs: running headers and footers dropped by their repetition, lines
broken by the page width joined, page numbers kept as provenance, radical code points mapped.

The PDFs are made here from a real page as a user copies it (tests/data/govcn-renderings/text,
content_5351707 = 国办函〔2004〕57号) laid out the way Chromium prints it: a small running header
(date, time, page title) and footer (file URL, "1/3") on every page, paragraphs wrapped at the
text block's width with a first-line indent. reportlab's built-in CID font STSong-Light needs no
font file. The committed Chromium prints (tests/data/govcn-renderings/pdf) and, when Chromium and
a CJK font are installed, a fresh print are read too.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from zhengce.ingest import parse_source
from zhengce.sources import read_source
from zhengce.text import normalize

from conftest import ROOT

RENDER = ROOT / "tests" / "data" / "govcn-renderings"
GOVCN = ROOT.parent / "shared" / "eval" / "govcn" / "corpus"
PAGE = "content_5351707"
TITLE = "国务院办公厅关于辽宁省在曾培炎副总理考察工作时所提问题和建议办理情况的函"
HEADER = f"12/1/26, 10:22 AM {TITLE} _ 政府信息公开专栏"
FOOTER = f"file:///work/shared/eval/govcn/corpus/{PAGE}.htm"
WIDTH = 36  # characters per line of the text block
# content_5351707.txt:38-39: a paragraph that the layout below breaks over lines (and a page)
SENTENCE = ("（二）庄河电厂属港口电厂，燃用晋北煤，需经大秦线运输，能源流向不合理，其扩建工程需进一步研究煤炭来源问题。"
            "发展改革委已优先考虑营口电厂二期、丹东电厂二期和元宝山电厂二期以及阜新电厂等项目。")


def copied_paragraphs() -> list[str]:
    text = (RENDER / "text" / f"{PAGE}.txt").read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n") if p.strip()]


def write_print(path: Path, paragraphs: list[str], per_page: int = 30, header: bool = True) -> int:
    """Lay ``paragraphs`` out like a browser print; returns the number of pages."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    size, left = 11, 50
    lines: list[tuple[float, str]] = []  # (x, text)
    for i, p in enumerate(paragraphs):
        if i < 3 and len(p) < WIDTH:  # the title lines, centred
            lines.append((left + (WIDTH - len(p)) * size / 2, p))
            continue
        if len(p) < 20 and not p.startswith(("（", "一", "二", "三")):
            lines.append((left + (WIDTH - len(p)) * size, p))  # signature and date, right-aligned
            continue
        first, rest = p[: WIDTH - 2], p[WIDTH - 2:]
        lines.append((left + 2 * size, first))  # first-line indent of two characters
        lines += [(left, rest[k:k + WIDTH]) for k in range(0, len(rest), WIDTH)]
    pages = [lines[k:k + per_page] for k in range(0, len(lines), per_page)]
    c = canvas.Canvas(str(path), pagesize=(612, 792))
    for n, page in enumerate(pages, 1):
        if header:
            c.setFont("STSong-Light", 8)
            c.drawString(20, 775, HEADER)
            c.drawString(20, 15, FOOTER)
            c.drawString(570, 15, f"{n}/{len(pages)}")
        c.setFont("STSong-Light", size)
        y = 730
        for x, text in page:
            c.drawString(x, y, text)
            y -= 21
        c.showPage()
    c.save()
    return len(pages)


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / f"{PAGE}.pdf"
    pages = write_print(path, copied_paragraphs())
    return read_source(path), pages


def test_running_header_and_footer_vanish(printed):
    src, pages = printed
    assert pages == 3
    texts = [li.text for li in src.lines]
    assert not any("政府信息公开专栏" in t or "file://" in t for t in texts)
    assert not any(t.strip() in {f"{n}/{pages}" for n in range(1, pages + 1)} for t in texts)
    assert texts[0].strip() == "国务院办公厅"  # the article's first line, not the header


def test_page_numbers_are_provenance(printed):
    src, pages = printed
    assert {li.page for li in src.lines} == set(range(1, pages + 1))
    [doc] = parse_source(src)
    date_line = next(li for li in src.lines if li.text.strip() == "二〇〇四年八月十二日")
    assert date_line.page == pages and doc.line_end >= date_line.lineno


def test_lines_broken_by_the_page_width_are_joined(printed):
    src, _ = printed
    [doc] = parse_source(src)
    assert (doc.title, doc.doc_number, doc.issuers, doc.date) == (
        TITLE, "国办函〔2004〕57号", ["国务院办公厅"], dt.date(2004, 8, 12))
    wrapped = [li for li in src.lines if li.wrapped]
    assert len(wrapped) > 20 and all(len(li.text.strip()) >= WIDTH - 2 for li in wrapped)
    [prov] = [p for p in doc.provisions if p.text.startswith("(二)庄河电厂")]
    assert normalize(SENTENCE) in normalize(prov.text)  # one paragraph, though laid out over three lines


def test_one_page_print_loses_its_header_too(tmp_path):
    # content_5345407 (国函〔1996〕95号) fits one page: nothing repeats, the small edge lines still go
    paras = [p.strip() for p in (RENDER / "text" / "content_5345407.txt").read_text("utf-8").split("\n") if p.strip()]
    path = tmp_path / "one.pdf"
    assert write_print(path, paras, per_page=60) == 1
    src = read_source(path)
    assert not any("file://" in li.text or li.text.strip() == "1/1" for li in src.lines)
    [doc] = parse_source(src)
    assert doc.issuers == ["国务院", "中央军委"] and doc.date == dt.date(1996, 11, 5)


def test_radicals_from_a_cjk_font_become_ideographs(tmp_path):
    # Chromium's print of content_5345440 reads "国务院办公厅关于⻩⾦经济政策有关问题的复函" in pypdf
    paras = [p.strip() for p in (RENDER / "text" / "content_5345440.txt").read_text("utf-8").split("\n") if p.strip()]
    paras[0:2] = ["国务院办公厅关于⻩⾦", "经济政策有关问题的复函"]
    path = tmp_path / "radicals.pdf"
    write_print(path, paras, header=False)
    [doc] = parse_source(read_source(path))
    assert doc.title == "国务院办公厅关于黄金经济政策有关问题的复函" and doc.doc_number == "国办函〔1996〕16号"
    assert "⻩" in doc.raw  # the raw copy is what the file says


# The committed Chromium prints: (file, pages, gold title) — header and footer on every page
CHROMIUM_PRINTS = [
    ("content_5351707.pdf", 2, TITLE),
    ("content_5345407.pdf", 1, "国务院、中央军委关于同意武警总部后勤部机关等迁址新建的批复"),
    ("content_5351177.pdf", None, "中华人民共和国个人所得税法实施条例"),
]


@pytest.mark.parametrize("name,pages,title", CHROMIUM_PRINTS)
def test_committed_chromium_prints(name, pages, title):
    src = read_source(RENDER / "pdf" / name)
    if pages is not None:
        assert max(li.page or 0 for li in src.lines) == pages
    assert not any("file://" in li.text or "ﬁle://" in li.text or " AM " in li.text for li in src.lines)
    assert title in [d.title for d in parse_source(src)]


@pytest.mark.skipif(not shutil.which("chromium"), reason="Chromium not installed")
def test_fresh_chromium_print(tmp_path):
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    if not fonts.strip():
        pytest.skip("no CJK font: Chromium would print empty boxes")
    out = tmp_path / "p.pdf"
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path}/prof",
                    f"--print-to-pdf={out}", (GOVCN / "content_5345440.htm").as_uri()],
                   check=True, capture_output=True, timeout=120)
    [doc] = parse_source(read_source(out))
    assert (doc.title, doc.doc_number, doc.date) == ("国务院办公厅关于黄金经济政策有关问题的复函", "国办函〔1996〕16号",
                                                     dt.date(1996, 2, 9))


SEEDS = ROOT / "tests" / "data" / "seed-renderings" / "pdf"  # scripts/render_seeds.py (LibreOffice Writer)


@pytest.mark.parametrize("name", ["beijing-gazette-2019-10", "beijing-gazette-2022-05"])
def test_word_processor_print_splits_like_the_text(name):
    from conftest import corpus_file

    def fields(docs):
        return [(d.title, d.doc_number, d.date, d.issuers) for d in docs]

    from_pdf = parse_source(read_source(SEEDS / f"{name}.pdf"))
    assert fields(from_pdf) == fields(parse_source(read_source(corpus_file(f"{name}.txt"))))
    assert {li.page for li in read_source(SEEDS / f"{name}.pdf").lines} >= {1, 2, 3}
