"""Render real corpus text into the attachment formats sites publish (for the format tests).

Each function takes lines of a corpus file and writes one file the way the usual tools lay it
out, so a reader is tested on a document whose right reading is known (the corpus text):

- ``to_ofd``: an OFD package (GB/T 33190) as 公文 systems write it — A4 pages, 28 characters a
  line and 22 lines a page (GB/T 9704), one ``ofd:TextObject`` per printed line with its
  ``DeltaX`` advances; ``split`` cuts lines into several text objects (a font change mid-line,
  or a writer that emits one object per character).
- ``to_xlsx``: text lines as one-cell rows, each TSV table on its own sheet, numbers as numbers.
- ``to_docx``: paragraphs, and TSV tables as Word tables.
- ``soffice_convert``: LibreOffice headless, to make .doc/.xls from those.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

NS = "http://www.ofdspec.org/2016"
PAGE_W, PAGE_H = 210.0, 297.0
LEFT, TOP = 27.0, 37.0
SIZE = 5.6  # 三号 (16 pt) in mm
PER_LINE, PER_PAGE, STEP = 28, 22, 10.1


def _em(ch: str) -> float:
    """Advance of one character in ems: CJK and full-width 1, ASCII half."""
    return 0.5 if ord(ch) < 0x2E80 else 1.0


NO_LINE_START = "，。、；：？！”’）》〕】"  # 禁则: closing punctuation hangs at the end of the line before


def _wrap(text: str, indent: float) -> list[tuple[float, str]]:
    """Printed lines (x offset in ems, text) of one paragraph, 28 ems wide."""
    out, cur, width, x = [], "", indent, indent
    for ch in text:
        if width + _em(ch) > PER_LINE and cur and ch not in NO_LINE_START:
            out.append((x, cur))
            cur, width, x = "", 0.0, 0.0
        cur += ch
        width += _em(ch)
    if cur:
        out.append((x, cur))
    return out


def ofd_lines(lines: list[str]) -> list[tuple[float, str]]:
    """The printed lines of a text: short lines (titles, 文号, dates) centred, paragraphs indented."""
    printed = []
    for raw in lines:
        t = raw.strip().lstrip("#").strip()
        if not t:
            continue
        width = sum(_em(c) for c in t)
        if width <= 20 and not t.endswith(("。", "；", "：")):
            printed.append(((PER_LINE - width) / 2, t))
        else:
            printed += _wrap(t, 2.0)
    return printed


def _text_object(oid: int, x_em: float, y: float, text: str, size: float = SIZE) -> str:
    deltas = " ".join(f"{_em(c) * size:.2f}" for c in text[:-1])
    w = sum(_em(c) for c in text) * size
    x = LEFT + x_em * SIZE
    return (f'<ofd:TextObject ID="{oid}" Boundary="{x:.2f} {y:.2f} {w:.2f} {size * 1.2:.2f}" Font="2" '
            f'Size="{size}"><ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="{size:.2f}"'
            + (f' DeltaX="{deltas}"' if deltas else "") + f">{escape(text)}</ofd:TextCode></ofd:TextObject>")


def to_ofd(lines: list[str], path: Path, *, split: int = 0, title: str = "", page_numbers: bool = False) -> Path:
    """Write ``lines`` as an OFD package; ``split`` > 0 cuts each printed line into runs of that many
    characters; ``page_numbers`` adds the GB/T 9704 folio "— n —" at the foot of every page."""
    printed = ofd_lines(lines)
    pages = [printed[i:i + PER_PAGE] for i in range(0, len(printed), PER_PAGE)]
    oid = 10
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" '
                   f'DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>0d1f</ofd:DocID><ofd:Title>{escape(title)}'
                   '</ofd:Title><ofd:Creator>zhengce tests</ofd:Creator></ofd:DocInfo>'
                   '<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        refs = "".join(f'<ofd:Page ID="{i + 1000}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
        z.writestr("Doc_0/Document.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}">'
                   f'<ofd:CommonData><ofd:MaxUnitID>999999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 '
                   f'{PAGE_W} {PAGE_H}</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>'
                   f'</ofd:CommonData><ofd:Pages>{refs}</ofd:Pages></ofd:Document>')
        z.writestr("Doc_0/PublicRes.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" '
                   'BaseLoc="Res"><ofd:Fonts><ofd:Font ID="2" FontName="仿宋_GB2312" FamilyName="仿宋"/>'
                   '</ofd:Fonts></ofd:Res>')
        for i, page in enumerate(pages):
            objs = []
            for row, (x_em, text) in enumerate(page):
                y = TOP + row * STEP
                runs = [text[k:k + split] for k in range(0, len(text), split)] if split else [text]
                for run in runs:
                    objs.append(_text_object(oid, x_em, y, run))
                    oid += 1
                    x_em += sum(_em(c) for c in run)
            if page_numbers:  # GB/T 9704: "— 1 —" in 4号 (14 pt) below the text block
                folio = f"— {i + 1} —"
                objs.append(_text_object(oid, (PER_LINE - len(folio) * 0.9) / 2, 272.0, folio, size=4.9))
                oid += 1
            z.writestr(f"Doc_0/Pages/Page_{i}/Content.xml",
                       f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content>'
                       f'<ofd:Layer ID="{oid}">{"".join(objs)}</ofd:Layer></ofd:Content></ofd:Page>')
            oid += 1
    return path


def _cell(value: str):
    """A TSV field as a spreadsheet cell: numbers stored as numbers, as Excel users type them."""
    return int(value) if value.isdigit() and len(value) < 10 else value


def to_xlsx(lines: list[str], path: Path) -> Path:
    """Text lines as one-cell rows of the first sheet; each table (its heading line and TSV rows) on a sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "正文"
    for i, raw in enumerate(lines):
        if not raw.strip():
            continue
        nxt = next((x for x in lines[i + 1:] if x.strip()), "")
        if "\t" in raw:
            ws.append([_cell(c) for c in raw.split("\t")])
        elif "\t" in nxt:  # a table's heading starts a new sheet
            ws = wb.create_sheet(f"表{len(wb.worksheets)}")
            ws.append([raw])
        else:
            ws.append([raw])
    wb.save(path)
    return path


def to_docx(lines: list[str], path: Path) -> Path:
    """Paragraphs, and each run of TSV lines as one Word table (the reader's own input form)."""
    import docx

    d = docx.Document()
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            if lines[i].strip():
                d.add_paragraph(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and "\t" in lines[j]:
            j += 1
        rows = [r.split("\t") for r in lines[i:j]]
        table = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for r, cells in enumerate(rows):
            for c, value in enumerate(cells):
                table.cell(r, c).text = value
        i = j
    d.save(path)
    return path


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_convert(src: Path, fmt: str, outdir: Path) -> Path:
    """``soffice --headless --convert-to fmt`` (e.g. ``doc``, ``xls``); returns the written file."""
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice(), f"-env:UserInstallation=file://{outdir}/.profile", "--headless",
                    "--convert-to", fmt, "--outdir", str(outdir), str(src)],
                   check=True, capture_output=True, timeout=180)
    out = outdir / f"{src.stem}.{fmt}"
    assert out.is_file(), f"soffice wrote no {out}"
    return out
