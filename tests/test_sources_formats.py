"""Attachment formats: one real corpus document rendered by the test into each, read back the same.

- 西政办发〔2022〕2号 (data/gazettes/xicheng-gazette-2022.txt lines 2477-2768: the notice and six
  TSV task tables, 166 rows) as .xlsx (openpyxl), .xls, .docx → .doc and .wps (LibreOffice):
  every table row must come out as the same provision with the same cells as from the text.
- 西政办发〔2022〕4号 (same file, lines 2946-3120, prose only) as an OFD package (tests/render.py,
  GB/T 9704 layout, lines cut into runs): same metadata, same normalised text, same outline.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

import pytest

from render import soffice, soffice_convert, to_docx, to_ofd, to_xlsx
from zhengce.errors import SourceError
from zhengce.sources import read_source
from zhengce.sources.spreadsheet import cell_text
from zhengce.text import normalize

from conftest import corpus_file

XICHENG = corpus_file("xicheng-gazette-2022.txt").read_text(encoding="utf-8").split("\n")
TASKS = XICHENG[2476:2768]  # 西政办发〔2022〕2号, lines 2477-2768
PROSE = XICHENG[2945:3120]  # 西政办发〔2022〕4号, lines 2946-3120
needs_soffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) not installed")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    """The corpus text and its renderings (LibreOffice ones only when soffice is installed)."""
    tmp = tmp_path_factory.mktemp("formats")
    files = {"txt": tmp / "plan2.txt", "prose": tmp / "plan4.txt"}
    files["txt"].write_text("\n".join(TASKS) + "\n", encoding="utf-8")
    files["prose"].write_text("\n".join(PROSE) + "\n", encoding="utf-8")
    files["xlsx"] = to_xlsx(TASKS, tmp / "plan2.xlsx")
    files["docx"] = to_docx(TASKS, tmp / "plan2.docx")
    files["ofd"] = to_ofd(PROSE, tmp / "plan4.ofd", split=7, title="西政办发〔2022〕4号", page_numbers=True)
    if soffice():
        files["xls"] = soffice_convert(files["xlsx"], "xls", tmp / "conv")
        files["doc"] = soffice_convert(files["docx"], "doc", tmp / "conv")
        files["wps"] = shutil.copy(files["doc"], tmp / "conv" / "plan2w.wps")  # WPS writes the .doc format
    return files


@pytest.fixture(scope="module")
def lib(rendered, tmp_path_factory):
    """One store with every rendering, each file its own source."""
    from zhengce.library import Library
    tmp = tmp_path_factory.mktemp("formats-db")
    library = Library(url=f"sqlite:///{tmp}/f.db", data_dir=tmp)
    results = library.ingest(list(rendered.values()))
    assert all(r.status == "ingested" for r in results), [r.error for r in results]
    yield library
    library.engine.dispose()


def doc_of(lib, path: Path):
    (d,) = lib.documents(source=path.name)
    return lib.document(d.key)


def rows(doc) -> list[tuple[str, list[str]]]:
    """Table rows as (numbering path below the key, normalised cells)."""
    return [(p.cid.split("/", 1)[1], [normalize(c) for c in p.cells]) for p in doc.provisions if p.kind == "row"]


@pytest.mark.parametrize("fmt", ["xlsx", "docx", pytest.param("xls", marks=needs_soffice),
                                 pytest.param("doc", marks=needs_soffice), pytest.param("wps", marks=needs_soffice)])
def test_task_table_rows_are_the_same_provisions(lib, rendered, fmt):
    text, other = doc_of(lib, rendered["txt"]), doc_of(lib, rendered[fmt])
    assert other.doc_number == "西政办发〔2022〕2号" and other.date == dt.date(2022, 3, 16)
    assert other.title == text.title
    want = rows(text)
    assert len(want) == 166
    assert rows(other) == want
    # xicheng-gazette-2022.txt:2511, row 1 of 应对气候变化: 主责 区生态环境局, 年底前
    first = next(p for p in other.provisions if p.kind == "row" and "碳排放强度同比下降" in p.text)
    assert first.cells[3] == "年底前" and first.cells[4] == "区生态环境局"


@pytest.mark.parametrize("fmt", ["xlsx", pytest.param("doc", marks=needs_soffice)])
def test_tasks_from_a_rendered_table_match_the_text(lib, rendered, fmt):
    from zhengce.track import list_tasks
    tasks = list_tasks(lib)

    def of(path):
        return sorted((normalize(t.text), tuple(t.lead_units), tuple(t.co_units), t.deadline)
                      for t in tasks if t.source == path.name)

    want = of(rendered["txt"])
    assert len(want) >= 100
    assert of(rendered[fmt]) == want


def test_ofd_reads_like_the_text(lib, rendered):
    text, ofd = doc_of(lib, rendered["prose"]), doc_of(lib, rendered["ofd"])
    assert (ofd.title, ofd.doc_number, ofd.date, ofd.issuers) == (
        text.title, "西政办发〔2022〕4号", dt.date(2022, 5, 29), ["北京市西城区人民政府办公室"])
    assert normalize(ofd.text) == normalize(text.text)
    outline = [p.cid.split("/", 1)[1] for p in text.provisions if p.kind != "paragraph"]
    assert [p.cid.split("/", 1)[1] for p in ofd.provisions if p.kind != "paragraph"] == outline
    assert len(outline) > 40


def test_ofd_lines_carry_their_page(rendered):
    src = read_source(rendered["ofd"])
    assert src.fmt == "ofd"
    pages = {ln.page for ln in src.lines}
    assert pages == set(range(1, max(pages) + 1)) and max(pages) >= 10
    # the 文号 stands on page 1; the last sentence on the last page
    assert next(ln.page for ln in src.lines if "西政办发〔2022〕4号" in ln.text) == 1
    last = PROSE[-1].strip() or next(x for x in reversed(PROSE) if x.strip())
    assert normalize(last)[-6:] in normalize("".join(ln.text for ln in src.lines if ln.page == max(pages)))
    # the folio "— 3 —" at every page's foot is running furniture, dropped like a PDF's
    assert not [ln.text for ln in src.lines if ln.text.startswith("—")]
    # a line that runs to the text block's right edge is marked wrapped (the paragraph goes on)
    opening = next(i for i, ln in enumerate(src.lines) if ln.text.startswith("经区政府同意"))
    assert src.lines[opening].wrapped is True
    assert next(ln for ln in src.lines if ln.text == "2022年5月29日").wrapped is False  # the signing date


# -- refusals name the file and the reason --------------------------------------------------------
def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("name, data, words", [
    ("cut.xlsx", b"PK\x03\x04" + b"\x00" * 40, "XLSX"),  # a zip cut off in transfer
    ("web.xls", "<html><table><tr><td>序号</td></tr></table></html>".encode(), "XLS"),
    ("plain.ofd", b"not a zip at all", "不是有效的 OFD"),
    ("nodoc.ofd", _zip({"Doc_0/Document.xml": b"<x/>"}), "OFD.xml"),
    ("badxml.ofd", _zip({"OFD.xml": b"<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'><unclosed>"}), "OFD"),
])
def test_broken_attachments_are_refused_by_name(tmp_path, name, data, words):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(SourceError) as e:
        read_source(p)
    assert name in str(e.value) and words in str(e.value)


def test_missing_converter_is_named(tmp_path, monkeypatch, rendered):
    monkeypatch.setenv("ZHENGCE_SOFFICE", "none")
    p = tmp_path / "old.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)  # the Office 97 signature
    with pytest.raises(SourceError) as e:
        read_source(p)
    assert "old.doc" in str(e.value) and "soffice" in str(e.value) and "libreoffice-writer-nogui" in str(e.value)
    # a .doc that is really a DOCX needs no converter
    renamed = shutil.copy(rendered["docx"], tmp_path / "renamed.doc")
    assert read_source(renamed).fmt == "doc"


def test_hidden_sheet_is_skipped(tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.append(["序号", "工作措施", "完成时限"])
    wb.active.append([1, "新增有偿错时共享车位400个", dt.datetime(2022, 12, 31)])  # xicheng-gazette-2022.txt 西政办发〔2022〕3号
    hidden = wb.create_sheet("下拉选项")
    hidden.append(["区城市管理委", "区交通委"])
    hidden.sheet_state = "hidden"
    wb.save(tmp_path / "t.xlsx")
    lines = [ln.text for ln in read_source(tmp_path / "t.xlsx").lines if ln.text]
    assert lines == ["序号\t工作措施\t完成时限", "1\t新增有偿错时共享车位400个\t2022年12月31日"]


@pytest.mark.parametrize("value, text", [
    (3.0, "3"), (2.5, "2.5"), (None, ""), (True, "是"),
    (dt.datetime(2022, 12, 31), "2022年12月31日"),
    ("区生态环境局\n区发展改革委", "<p>区生态环境局</p> <p>区发展改革委</p>"),  # a cell of two lines
    ("年底\t前 ", "年底 前"),
])
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_file_over_the_size_cap_is_refused(tmp_path, monkeypatch):
    from zhengce.sources import reader
    monkeypatch.setattr(reader, "MAX_BYTES", 1024)
    p = tmp_path / "dump.txt"
    p.write_text("\n".join(PROSE), encoding="utf-8")  # 西政办发〔2022〕4号: ~30 KB of real text
    with pytest.raises(SourceError) as e:
        read_source(p)
    assert "dump.txt" in str(e.value) and "文件过大" in str(e.value)
