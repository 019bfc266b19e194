"""Readers (txt/md/pdf/docx/html) and every bad input of issue 2, on real corpus text.

Valid PDF/DOCX/HTML fixtures are generated here from real gazette text (reportlab with its
built-in CID font STSong-Light for PDF, python-docx for DOCX), so the assertions compare what a
reader returns with what the corpus says, in order, under the eval's normalisation.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from html import escape
from pathlib import Path

import pytest

from zhengce.errors import SourceError
from zhengce.ingest.hanzi import has_opencc, to_simplified
from zhengce.sources import read_source
from zhengce.text import normalize

from conftest import CORPUS, ROOT

PLAN = CORPUS / "beijing-business-environment-plan-2021.txt"  # one 公文: 京政发〔2021〕24号
PLAN_KEY = "京政发〔2021〕24号"
XICHENG = CORPUS / "xicheng-gazette-2022.txt"


def corpus_lines(path: Path, start: int = 1, end: int | None = None) -> list[str]:
    """Lines ``start..end`` (1-based, inclusive) of a corpus file, as the file has them."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return lines[start - 1:end]


def flat(lines) -> str:
    return normalize("".join(x if isinstance(x, str) else x.text for x in lines))


# -- fixture writers ----------------------------------------------------------------------------
def write_pdf(path: Path, lines: list[str], per_page: int = 40, *, password: str | None = None) -> None:
    """A text-layer PDF of ``lines`` (wrapped at 36 characters), CJK via reportlab's STSong-Light."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), encrypt=password)
    wrapped = [line[i:i + 36] for line in lines if line.strip() for i in range(0, len(line), 36)]
    for start in range(0, len(wrapped), per_page):
        c.setFont("STSong-Light", 11)
        y = 800
        for chunk in wrapped[start:start + per_page]:
            c.drawString(40, y, chunk)
            y -= 19
        c.showPage()
    c.save()


def write_docx(path: Path, blocks: list[str | list[list[str]]]) -> None:
    """A DOCX of paragraphs (str) and tables (list of rows of cells; a cell may hold "\\n")."""
    import docx

    d = docx.Document()
    for b in blocks:
        if isinstance(b, str):
            d.add_paragraph(b)
            continue
        t = d.add_table(rows=len(b), cols=max(len(r) for r in b))
        for i, row in enumerate(b):
            for j, cell in enumerate(row):
                paras = cell.split("\n")
                t.cell(i, j).text = paras[0]
                for extra in paras[1:]:
                    t.cell(i, j).add_paragraph(extra)
    d.save(str(path))


def write_html(path: Path, lines: list[str]) -> None:
    """A government-site page: nav, scripts and styles around the real text; TSV lines as a table."""
    body, rows = [], []
    for line in lines + [""]:
        if "\t" in line:
            rows.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in line.split("\t")) + "</tr>")
            continue
        if rows:
            body.append("<table>" + "".join(rows) + "</table>")
            rows = []
        if line.strip():
            body.append(f"<p>{escape(line)}</p>")
    path.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>首都之窗</title>"
        "<style>p{color:red} .注入样式{}</style><script>document.write('注入脚本')</script></head>"
        "<body><nav><a href='/'>首页</a> &gt; 导航栏目</nav><div class='article'>" + "\n".join(body)
        + "</div><script>var 统计代码 = 1;</script><footer>主办单位 网站标识码</footer></body></html>",
        encoding="utf-8")


# -- text files ---------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8"),
    ("gbk", "gb18030"),  # GBK is read as its superset
    ("gb18030", "gb18030"),
    ("utf-16", "utf-16-le"),  # Python writes a BOM, little-endian here
])
def test_text_encodings_give_the_same_lines(tmp_path, encoding, expected):
    lines = corpus_lines(PLAN, 1, 120)  # notice + opening of the plan, all GBK-encodable
    f = tmp_path / "plan.txt"
    f.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    src = read_source(f)
    assert src.encoding == expected
    assert [s.text for s in src.lines] == lines
    assert [s.lineno for s in src.lines] == list(range(1, len(lines) + 1))


def test_short_gbk_file_is_not_taken_for_korean(tmp_path):
    # beijing-business-environment-plan-2021.txt:7 — a short line alone is what fools detectors
    f = tmp_path / "short.txt"
    f.write_bytes("各区人民政府，市政府各委、办、局，各市属机构：".encode("gbk"))
    src = read_source(f)
    assert src.lines[0].text == "各区人民政府，市政府各委、办、局，各市属机构："


def test_crlf_and_markdown(tmp_path):
    lines = corpus_lines(PLAN, 3, 8)
    f = tmp_path / "plan.md"
    f.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    src = read_source(f)
    assert src.fmt == "md" and [s.text for s in src.lines] == lines


# -- PDF ----------------------------------------------------------------------------------------
def test_pdf_reads_real_text_in_order_with_pages(tmp_path):
    lines = corpus_lines(PLAN, 1, 90)
    f = tmp_path / "plan.pdf"
    write_pdf(f, lines, per_page=30)
    src = read_source(f)
    assert src.fmt == "pdf"
    assert flat(src.lines) == flat(lines)
    pages = [s.page for s in src.lines]
    assert pages[0] == 1 and pages == sorted(pages) and pages[-1] > 2
    assert [s.lineno for s in src.lines] == list(range(1, len(src.lines) + 1))


def test_encrypted_pdf_is_refused(tmp_path):
    f = tmp_path / "secret.pdf"
    write_pdf(f, corpus_lines(PLAN, 3, 5), password="mima")
    with pytest.raises(SourceError, match="secret.pdf.*加密"):
        read_source(f)


# -- DOCX ---------------------------------------------------------------------------------------
def test_docx_paragraphs_and_tables_in_body_order(tmp_path):
    # xicheng-gazette-2022.txt:970-978 — a heading, then the 专项应急预案 table as TSV rows
    before = [t for t in corpus_lines(XICHENG, 960, 971) if t.strip()]
    table = [r.split("\t") for r in corpus_lines(XICHENG, 972, 978)]
    after = [t for t in corpus_lines(XICHENG, 979, 990) if t.strip() and "\t" not in t]
    merged = [["7", "西城区重污染天气应急预案\n西城区空气重污染应急分指挥部", "区生态环境局"]]
    f = tmp_path / "xicheng.docx"
    write_docx(f, [*before, table + merged, *after])
    src = read_source(f)
    got = [s.text for s in src.lines if s.text.strip()]
    rows = ["\t".join(r) for r in table]
    assert got == before + rows + [
        "7\t<p>西城区重污染天气应急预案</p> <p>西城区空气重污染应急分指挥部</p>\t区生态环境局"] + after


def test_docx_of_a_whole_document_keeps_its_text(tmp_path):
    lines = [t for t in corpus_lines(PLAN) if t.strip()]
    f = tmp_path / "plan.docx"
    write_docx(f, lines)
    assert flat(read_source(f).lines) == flat(lines)


# -- HTML ---------------------------------------------------------------------------------------
def test_html_drops_script_style_nav_and_keeps_text_and_tables(tmp_path):
    lines = [t for t in corpus_lines(XICHENG, 960, 990) if t.strip()]
    f = tmp_path / "page.html"
    write_html(f, lines)
    src = read_source(f)
    got = [s.text for s in src.lines]
    assert got[:len(lines)] == lines  # each <p> a line, each <tr> a tab-separated row, in order
    assert not any(w in "".join(got) for w in ("注入脚本", "统计代码", "注入样式", "导航栏目", "首都之窗"))


def test_html_gbk_declared_in_meta(tmp_path):
    line = corpus_lines(PLAN, 3, 3)[0]
    f = tmp_path / "gbk.htm"
    f.write_bytes(f"<html><head><meta charset=gb2312></head><body><p>{line}</p></body></html>".encode("gbk"))
    src = read_source(f)
    assert src.encoding == "gb18030" and src.lines[0].text == line


def test_html_nested_100k_deep_keeps_its_text(tmp_path):
    f = tmp_path / "deep.html"
    f.write_text("<html><body>" + "<div>" * 100_000 + "京政发〔2021〕24号" + "</div>" * 100_000
                 + "<p>附件</p></body></html>", encoding="utf-8")
    assert [s.text for s in read_source(f).lines] == ["京政发〔2021〕24号", "附件"]


# -- bad input: the reader says what is wrong and names the file ---------------------------------
def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """file → expected words of the error (the file name must also be in it)."""
    good_pdf = tmp_path / "for-cutting.pdf"
    write_pdf(good_pdf, corpus_lines(PLAN, 1, 60))
    data = good_pdf.read_bytes()
    cases = {
        "empty.txt": (b"", "为空"),
        "blank.md": (b"\n \r\n\t\n", "为空"),
        "binary.txt": (bytes(range(256)) * 40, "二进制"),
        "image.txt": (b"\x89PNG\r\n\x1a\n" + os.urandom(2000), "二进制"),
        "truncated.pdf": (data[: len(data) // 2], "截断"),
        "notazip.docx": (PLAN.read_bytes()[:5000], "DOCX"),
        "notapdf.pdf": (b"<html>not a pdf</html>", "PDF"),
        "scripts-only.html": (b"<html><body><script>alert('x')</script><style>p{}</style></body></html>",
                              "没有可读取的文字"),
        "table.xlsx": (b"PK\x03\x04", "XLSX"),  # a zip cut to its signature
        "slides.pptx": (b"PK\x03\x04", "不支持"),
    }
    out = {}
    for name, (blob, words) in cases.items():
        (tmp_path / name).write_bytes(blob)
        out[name] = (tmp_path / name, words)
    return out


def test_bad_inputs_raise_one_clear_source_error(tmp_path):
    for name, (path, words) in _bad_inputs(tmp_path).items():
        with pytest.raises(SourceError) as e:
            read_source(path)
        assert name in str(e.value) and words in str(e.value), (name, str(e.value))


# -- bad input through the Library: one error, nothing stored is lost ----------------------------
def test_bad_inputs_leave_the_library_intact(library, tmp_path):
    plan = tmp_path / "plan.txt"
    shutil.copy(PLAN, plan)
    [first] = library.ingest([plan])
    assert first.status == "ingested"
    before = library.counts()
    (tmp_path / "bad").mkdir()
    bad = _bad_inputs(tmp_path / "bad")
    for name, (path, _) in bad.items():
        shutil.copy(path, plan)  # a broken new version of an ingested file must not delete it
        [r] = library.ingest([plan])
        assert r.status == "error" and "plan.txt" in r.error and "Traceback" not in r.error, name
        [r2] = library.ingest([path])
        assert r2.status == "error" and name in r2.error
    assert library.counts() == before
    assert library.document(PLAN_KEY) is not None


@pytest.mark.parametrize("fmt", ["gbk.txt", "utf16.txt", "html", "docx", "pdf"])
def test_valid_formats_ingest_like_the_utf8_text(sqlite_library, tmp_path, fmt):
    lines = corpus_lines(PLAN)
    f = tmp_path / f"plan.{fmt.split('.')[-1]}"
    if fmt == "gbk.txt":
        f.write_bytes(PLAN.read_text(encoding="utf-8").encode("gb18030"))
    elif fmt == "utf16.txt":
        f.write_bytes(PLAN.read_text(encoding="utf-8").encode("utf-16"))
    elif fmt == "html":
        write_html(f, lines)
    elif fmt == "docx":
        write_docx(f, [t for t in lines if t.strip()])
    else:
        write_pdf(f, lines)
    [r] = sqlite_library.ingest([f])
    assert r.status == "ingested", r.error
    doc = sqlite_library.document(PLAN_KEY)
    assert doc is not None and doc.source == f.name
    assert "优化营商环境规划" in doc.title
    assert "注入脚本" not in doc.raw and "统计代码" not in doc.raw


def test_huge_line_and_deep_brackets_finish_with_a_clear_outcome(sqlite_library, tmp_path):
    text = PLAN.read_text(encoding="utf-8")
    one_line = tmp_path / "one-line.txt"  # 10 MB of real text with every line break removed
    one_line.write_text((text.replace("\n", "") * (10_000_000 // len(text.encode()) + 1)), encoding="utf-8")
    brackets = tmp_path / "brackets.txt"  # the real plan with 100k nested brackets in its body
    lines = text.split("\n")
    brackets.write_text("\n".join(lines[:300] + ["（" * 100_000 + "一" + "）" * 100_000] + lines[300:]),
                        encoding="utf-8")
    r1, r2 = sqlite_library.ingest([one_line, brackets])
    assert r1.status in ("ingested", "error") and (r1.status == "ingested" or "one-line.txt" in r1.error)
    assert r2.status == "ingested", r2.error
    assert sqlite_library.document(PLAN_KEY) is not None


# -- the CLI: one line per bad file, exit code 1, no traceback -----------------------------------
def test_cli_ingest_reports_each_bad_file_in_one_line(tmp_path):
    bad = _bad_inputs(tmp_path)
    exe = Path(sys.executable).with_name("zhengce")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "zhengce.cli"]
    proc = subprocess.run([*cmd, "ingest", *[str(p) for p, _ in bad.values()], str(PLAN)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env={**os.environ, "COLUMNS": "500"})  # rich wraps piped output at 80 columns
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    err_lines = [x for x in proc.stderr.splitlines() if x.startswith("错误")]  # the summary follows them
    for name, (_, words) in bad.items():
        mine = [x for x in err_lines if name in x]
        assert len(mine) == 1 and words in mine[0], (name, mine)
    assert PLAN.name in proc.stdout  # the good file in the same run still went in


# -- hanzi ---------------------------------------------------------------------------------------
@pytest.mark.skipif(not has_opencc(), reason="opencc not installed")
@pytest.mark.parametrize("traditional, simplified", [
    ("人員", "人员"),  # GUIDE §2: traditional characters slip into converted gazettes
    ("積極發展經濟，推進專項試點", "积极发展经济，推进专项试点"),
    ("京政发〔2021〕24号", "京政发〔2021〕24号"),  # already simplified: unchanged
    ("2021", "2021"),
    # characters t2s changes only inside a phrase (hanzi._PHRASE_ONLY): the shortcut for texts
    # without a changing character must not skip them
    ("反覆研究", "反复研究"), ("沈澱", "沉淀"), ("瞭解情况", "了解情况"),
    ("提高覆盖率", "提高覆盖率"),  # 覆 alone is simplified: unchanged
])
def test_to_simplified(traditional, simplified):
    assert to_simplified(traditional) == simplified


@pytest.mark.skipif(not has_opencc(), reason="opencc not installed")
def test_simplify_lines_is_the_file_wide_conversion():
    """Converting only the lines that hold a changing character equals converting the joined file
    (the lines of the real corpus, where 覆盖/破坏 pass the prefilter and stay as they are)."""
    import opencc

    from zhengce.ingest.hanzi import simplify_lines
    conv = opencc.OpenCC("t2s")
    lines = (Path(__file__).resolve().parents[1] / "data" / "gazettes" / "xicheng-gazette-2022.txt").read_text(encoding="utf-8").splitlines()
    lines += ["人員名單", "反覆研究", "abc", "", "積極發展"]
    assert simplify_lines(lines) == conv.convert("\n".join(lines)).split("\n")
    assert simplify_lines(["a\nb", "人員"]) == ["a\nb", "人員"]  # a line holding a newline: as before
