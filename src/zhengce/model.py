"""Plain data classes that flow between pipeline stages.

Every stage (sources → ingest → extract → store → search/answer/match/track) takes and returns
these; only ``store`` knows about the database and only ``api``/``web``/``cli`` talk to people.
Raw text is kept beside the normalised copy: search and matching read ``text``; display and
citations read ``raw`` with its file and line numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class SourceLine:
    """One line of a source as a reader produced it, with provenance.

    ``lineno`` is 1-based in the source file (for PDF it is a running line counter and ``page``
    is set). ``text`` is exactly what the file said, never repaired.
    """

    text: str
    lineno: int
    page: int | None = None
    # The line ran to the right edge of the page's text block (a PDF line broken by the page
    # width): it continues on the next line. None where the reader cannot tell (plain text).
    wrapped: bool | None = None


@dataclass(slots=True)
class SourceText:
    """What a reader returns: the lines of one file plus facts about the file."""

    path: str  # as given by the caller
    name: str  # file name, the key the eval gold uses (``source``)
    sha256: str
    fmt: str  # txt | md | pdf | docx | html | xlsx | xls | doc | wps | ofd
    encoding: str | None
    lines: list[SourceLine]
    # The file's identity in the library: its path relative to where it was ingested from
    # ("/"-separated), so two ``notice.txt`` in two folders are two sources. Empty means ``name``.
    source_path: str = ""
    # Fields the file states apart from its text, raw as written, keyed by canonical name:
    # a web page's metadata block (index_no, subject, issuers, date, title, doc_number,
    # published, …). Data for ingest to reconcile with the text, never lines to re-parse.
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Provision:
    """A node of a document's provision tree (一、 › (一) › 1. › (1) › ① …, 第X章 › 第X条, tables).

    ``cid`` is the stable citation id: document key + numbering path, e.g.
    ``京政发〔2021〕24号/二/(一)/3``. It does not depend on database ids, so it survives re-ingest.
    ``kind`` is one of: ``preamble`` (notice text before the issued text), ``heading`` (a numbered
    item), ``paragraph`` (unnumbered text inside the parent), ``table`` (a table), ``row`` (one
    table row; ``cells`` set), ``attachment`` (附件 heading).
    """

    cid: str
    doc_key: str
    level: int  # 0 = document root children; grows with depth
    label: str  # the marker as written, normalised: "一", "(一)", "3", "(1)", "①", "第三条", "1.2"
    heading: str  # run-in heading (text up to the first 。 or the heading line), may be ""
    raw: str  # raw text (joined lines as in the file)
    text: str  # normalised, repaired text used for search and extraction
    line_start: int
    line_end: int
    kind: str = "heading"
    parent: str | None = None  # parent cid
    seq: int = 0  # order within the document
    cells: list[str] | None = None  # for kind == "row": normalised cell texts
    header: list[str] | None = None  # for kind == "row": the table's header cells

    @property
    def path(self) -> list[str]:
        """The numbering path below the document key."""
        return self.cid.split("/")[1:]


@dataclass(slots=True)
class Document:
    """One 公文 (official document) as GB/T 9704 describes it.

    A notice that 印发/转发 a plan is ONE document: ``title`` is the notice's title, ``short_title``
    the issued text's title (what stands inside 《》).
    """

    key: str  # stable: canonical 文号 when present, else source name + "#" + ordinal
    source: str  # file name (what people and the eval gold call the file)
    title: str
    short_title: str | None = None
    doc_number: str | None = None  # canonical 〔〕 form
    issuers: list[str] | None = None
    date: dt.date | None = None  # 成文日期
    addressees: list[str] = field(default_factory=list)
    doc_type: str | None = None  # 文种: 通知/意见/办法/方案/规划/…
    level: str | None = None  # 市 | 区
    district: str | None = None  # e.g. 西城区 for a district document
    note: str | None = None  # 附注, e.g. （此件公开发布）
    effective: str | None = None  # "自印发之日起实施", "自2022年1月1日起施行" …
    trial: bool = False  # 试行/暂行
    gazette: str | None = None  # gazette name / issue, when the source is a gazette
    category: str | None = None  # compilation / gazette category heading 【市政府文件】
    published: dt.date | None = None  # 发布日期 (the site's publication date, not the signing date)
    subject: str | None = None  # 主题分类, e.g. "科技、教育\\教育"
    index_no: str | None = None  # 索引号 of the 政府信息公开 catalogue
    # Where each field's value came from: {"date": "signature", "doc_number": "metadata-block"}.
    field_sources: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # conflicts between sources, kept for the reader
    line_start: int = 0
    line_end: int = 0
    raw: str = ""  # raw body text (all lines of the document)
    text: str = ""  # normalised body text
    provisions: list[Provision] = field(default_factory=list)
    # The source's identity: path relative to the folder it was ingested from (== ``source`` for a
    # file ingested on its own). Two files of one name in two folders differ here, not in ``source``.
    source_path: str | None = None
    # 时效性 as last computed (zhengce.graph.refresh_status after each ingest; search filters on it).
    # Ask zhengce.graph.validity_of(…, as_of=…) for any other date.
    status: str | None = None

    @property
    def year(self) -> int | None:
        """The year relative deadlines (年底前) resolve against."""
        if self.date:
            return self.date.year
        return None


@dataclass(slots=True)
class Reference:
    """A reference from a provision to another document (《…》 title and/or 文号), typed.

    ``relation`` is one of repeals, amends, replaces, basis, implements, issues, forwards, cites
    (``zhengce.extract.references.RELATIONS``). ``alias`` is the 以下简称 form the provision used when the
    title was resolved from it; ``self_ref`` marks a wrapping notice issuing its own text.
    """

    doc_key: str
    cid: str
    title: str | None
    doc_number: str | None
    raw: str
    repeal: bool = False  # the text says the referenced document is 废止/停止执行
    relation: str = "cites"
    alias: str | None = None
    context: str = ""  # the words around the mention, for display
    self_ref: bool = False
