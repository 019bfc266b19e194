"""OFD (GB/T 33190, the national format for electronic 公文): text lines with their pages.

An OFD file is a zip of XML: ``OFD.xml`` names the document, each page's ``Content.xml`` places
``ofd:TextObject``s whose ``ofd:TextCode`` holds the characters, and page templates hold what
every page repeats. Reading it right means putting positioned runs back in reading order.

The reader is ofdkit (Apache-2.0, pure Python, no dependencies), chosen by measurement against
easyofd, ofdparser and ofdreader on a 公文 rendered by ``tests/render.py`` from corpus text
(西政办发〔2022〕4号, 18 A4 pages, 28 characters × 22 lines) in three layouts — one text object
per printed line, lines cut into 7-character runs, one object per character:

=========  ==========================  =====================  ===================
library    text (normalised) equal      paragraph starts kept  time (line/7/char)
=========  ==========================  =====================  ===================
ofdkit     exact in all three           100 % in all three     0.38 / 0.23 / 1.1 s
easyofd    exact in all three           100 % / 5 % / 0 %      4.3 / 0.27 / 1.0 s
ofdparser  fails (needs simsun.ttc)     –                      –
ofdreader  the 0.1.0 wheel has no code  –                      –
=========  ==========================  =====================  ===================

easyofd also pulls in PyMuPDF, reportlab and loguru and edits ``sys.path`` on import. ofdkit
groups runs into lines by baseline, merges runs of one line, reads templates and has limits
against zip bombs. One ``SourceLine`` per line of each page, with the page number, as PDF does.
"""

from __future__ import annotations

import io
import zipfile

from ..errors import SourceError
from ..model import SourceLine


def read_ofd(path: str, data: bytes) -> tuple[str, str | None, list[SourceLine]]:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SourceError(path, "不是有效的 OFD 文件 (not a zip archive)")
    try:
        import ofdkit
    except ImportError as e:  # pragma: no cover - a dependency of zhengce
        raise SourceError(path, "读取 OFD 需要 ofdkit (reader not installed)", hint="pip install ofdkit") from e
    lines: list[SourceLine] = []
    try:
        with ofdkit.open(data) as doc:
            for page in doc.pages:
                for text in page.text().split("\n"):
                    lines.append(SourceLine(text, len(lines) + 1, page.index + 1))
    except ofdkit.OFDError as e:
        raise SourceError(path, f"OFD 文件已损坏 (broken OFD: {e})") from e
    return "ofd", None, lines
