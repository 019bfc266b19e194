"""Server-rendered pages without a browser: escaping, anchors by citation id, HTML error pages."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from conftest import CORPUS


@pytest.fixture
def client_for(tmp_path):
    from fastapi.testclient import TestClient

    from zhengce.api import create_app
    from zhengce.library import Library

    libs = []

    def make(*files):
        lib = Library(url=f"sqlite:///{tmp_path}/w.db", data_dir=tmp_path)
        libs.append(lib)
        lib.ingest(files)
        return lib, TestClient(create_app(lib), raise_server_exceptions=False)
    yield make
    for lib in libs:
        lib.engine.dispose()


def test_document_text_is_escaped(client_for, tmp_path):
    # A real notice opening (xicheng-gazette-2022.txt) with markup injected into its body.
    src = tmp_path / "hostile.txt"
    src.write_text("北京市西城区人民政府关于印发测试方案的通知\n西政发〔2022〕99号\n"
                   "各街道办事处：\n一、总体要求<script>alert('x')</script>\n（一）加强<b>组织</b>领导。\n",
                   encoding="utf-8")
    lib, client = client_for(src)
    doc = lib.document(lib.documents()[0].key)
    html = client.get(f"/documents/{quote(doc.key, safe='')}").text
    assert "<script>alert" not in html and "<b>组织</b>" not in html
    # the provision page also shows the raw copy, markup and all, as text
    hostile = next(p for p in doc.provisions if "<script>" in p.raw)
    page = client.get("/p/" + quote(hostile.cid, safe="/")).text
    assert "&lt;script&gt;alert" in page and "<script>alert" not in page


def test_every_provision_is_anchored_by_its_citation_id(client_for):
    # beijing-gazette-2022-05.txt: a gazette issue with several numbered documents.
    lib, client = client_for(CORPUS / "beijing-gazette-2022-05.txt")
    doc = lib.document(max(lib.documents(), key=lambda d: d.line_end - d.line_start).key)
    html = client.get(f"/documents/{quote(doc.key, safe='')}").text
    from markupsafe import escape
    missing = [p.cid for p in doc.provisions if f'id="{escape(p.cid)}"' not in html]
    assert not missing, missing[:5]
    for label in ("发文字号", "发文机关", "成文日期", "文种", "时效性"):
        assert f"<dt>{label}</dt>" in html


def test_home_lists_counts_and_latest(client_for):
    lib, client = client_for(CORPUS / "xicheng-gazette-2022.txt")
    html = client.get("/").text
    assert f"<b>{lib.counts()['documents']}</b> 篇公文" in html
    newest = max((d for d in lib.documents() if d.date), key=lambda d: d.date)
    assert str(escape_title(newest.title)) in html


def escape_title(t: str):
    from markupsafe import escape
    return escape(t)


@pytest.mark.parametrize("snippet, expected", [
    # search snippets come pre-escaped with <mark> (zhengce.search.engine.snippet)
    ("对&lt;重点&gt;企业给予<mark>补贴</mark>", "对&lt;重点&gt;企业给予<mark>补贴</mark>"),
    ("对<script>x</script>企业<mark>补贴</mark>", "对&lt;script&gt;x&lt;/script&gt;企业<mark>补贴</mark>"),
    ("R&amp;D 研发<mark>费用</mark>", "R&amp;D 研发<mark>费用</mark>"),
])
def test_snippets_are_escaped_once_keeping_marks(snippet, expected):
    from zhengce.web.render import highlight
    assert str(highlight(snippet)) == expected


def test_templates_and_assets_reference_nothing_outside():
    """Deployments may be offline: no template or static file may point at another host."""
    import re
    from pathlib import Path

    import zhengce.web
    root = Path(zhengce.web.__file__).parent
    files = [p for p in root.rglob("*") if p.suffix in (".html", ".css", ".js", ".svg")]
    assert len(files) >= 5
    for p in files:
        text = p.read_text(encoding="utf-8")
        ext = [u for u in re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s\"')]*", text) if "w3.org/2000/svg" not in u]
        assert not ext, (p.name, ext[:3])


def test_task_dashboard_charts_match_the_summary(client_for):
    # beijing-private-enterprise-policies-2021q4.txt: measures naming （责任单位：…） for each item.
    import re
    lib, client = client_for(CORPUS / "beijing-private-enterprise-policies-2021q4.txt")
    from zhengce import track
    summ = track.summary(lib)
    assert summ.total > 0
    html = client.get("/tasks").text
    status_svg, overdue_svg = re.findall(r"<svg.*?</svg>", html, re.S)[:2]
    totals = [int(n) for n in re.findall(r'fill="#636c76">(\d+)</text>', status_svg)]
    assert totals == [u.total for u in summ.by_unit[:15]]
    overdue = sorted((u.counts["逾期"] for u in summ.by_unit if u.counts["逾期"]), reverse=True)[:15]
    assert [int(n) for n in re.findall(r'fill="#636c76">(\d+)</text>', overdue_svg)] == overdue
    # the per-agency view lists exactly that agency's tasks
    unit = summ.by_unit[0]
    page = client.get("/tasks", params={"unit": unit.unit}).text
    assert page.count('<tr id="t-') == min(unit.total, 200)


def test_search_page_counts_provisions_and_documents(client_for):
    # xicheng-gazette-2022.txt: 营商环境 runs through several of the year's documents
    lib, client = client_for(CORPUS / "xicheng-gazette-2022.txt")
    from zhengce.search import search
    r = search(lib, "营商环境")
    html = client.get("/search", params={"q": "营商环境"}).text
    assert f"共 <b>{r.total:,}</b> 条条款 · <b>{r.documents:,}</b> 篇文件" in html
    assert "（文件数）" in html  # facet counts are documents, and the page says so


def test_a_bounded_total_is_shown_as_a_lower_bound(client_for, monkeypatch):
    """A backend may count a common query's provisions only up to a bound (``total_relation``
    "gte"); API, page and CLI then say "at least", never a made-up exact number."""
    lib, client = client_for(CORPUS / "xicheng-gazette-2022.txt")
    from zhengce.cli.search import total_text
    from zhengce.search import search
    exact = search(lib, "营商环境")
    backend_search = lib.search_index.search

    def bounded(*args, **kw):
        r = backend_search(*args, **kw)
        r.total, r.total_relation = min(r.total, 100), "gte"
        return r
    monkeypatch.setattr(lib.search_index, "search", bounded)
    body = client.get("/api/search", params={"q": "营商环境"}).json()
    assert body["total_relation"] == "gte" and body["total"] == min(exact.total, 100)
    assert body["documents"] == exact.documents
    html = client.get("/search", params={"q": "营商环境"}).text
    assert f"至少 <b>{body['total']:,}</b> 条条款（未逐一计数）· 共 <b>{exact.documents:,}</b> 篇文件" in html
    assert total_text(search(lib, "营商环境")) == f"≥ {body['total']:,} 条条款 · 共 {exact.documents:,} 篇文件"


def test_match_page_lists_not_eligible_up_to_a_bound(client_for, monkeypatch):
    """The not-eligible list of the match page stops at REJECTED_SHOWN and says how many more
    there are (xicheng-gazette-2022.txt: 西城区 rules, a person aged 70 of 西城区 without assistance)."""
    import re

    from zhengce.match import match_profile
    from zhengce.web import pages
    lib, client = client_for(CORPUS / "xicheng-gazette-2022.txt")
    query = "kind=person&age=70&hukou=西城区&residence_district=西城区"
    rejected = match_profile(lib, {"kind": "person", "age": 70, "hukou": "西城区",
                                   "residence_district": "西城区"}).counts["not eligible"]
    assert rejected > 5

    def listed(html: str) -> list[str]:
        part = html[html.index("不符合条件的政策（"):]
        return re.findall(r"<li>[^<]*：", part[:part.index("</ul>")])

    html = client.get(f"/match?{query}").text
    assert f"不符合条件的政策（{rejected} 项）" in html
    assert len(listed(html)) == rejected and "rejected-more" not in html
    monkeypatch.setattr(pages, "REJECTED_SHOWN", 5)
    html = client.get(f"/match?{query}").text
    assert len(listed(html)) == 5 and f"另有 {rejected - 5} 项未列出" in html



@pytest.fixture
def gazettes(client_for):
    return client_for(*sorted(CORPUS.glob("*.txt")))  # data/gazettes: 47 documents


def test_home_counts_and_latest_come_from_queries(gazettes):
    import datetime as dt

    from zhengce.track import summary
    library, client = gazettes
    html = client.get("/").text
    # the figure the home page shows is the number of tasks the dashboard counts
    assert f"<b>{summary(library).total}</b> 项任务" in html
    newest = sorted(library.documents(), key=lambda d: (d.date or dt.date.min, d.key), reverse=True)[:10]
    shown = [d.key for d in library.documents() if f'href="/documents/{quote(d.key, safe="")}"' in html]
    assert sorted(shown) == sorted(d.key for d in newest)
    positions = [html.index(f'href="/documents/{quote(d.key, safe="")}"') for d in newest]
    assert positions == sorted(positions)  # newest first, as before


def test_document_list_is_paged(gazettes, monkeypatch):
    from zhengce.web import pages
    library, client = gazettes
    monkeypatch.setattr(pages, "DOCS_PAGE", 10)
    every = [d.key for d in library.documents()]
    assert len(every) > 20
    seen, page = [], 1
    while True:
        html = client.get(f"/documents?page={page}").text
        seen += [k for k in every if f'href="/documents/{quote(k, safe="")}"' in html]
        if "下一页" not in html:
            break
        assert f"第 {page} 页" in html
        page += 1
    assert seen == every and page == -(-len(every) // 10)  # in list order, each once
    assert f"共 {len(every)} 篇" in client.get("/documents").text
    monkeypatch.setattr(pages, "DOCS_PAGE", 2)
    assert len(library.documents(doc_type="通知")) > 2  # a filter keeps its value in the pager's links
    assert "doc_type=%E9%80%9A%E7%9F%A5&amp;page=2" in client.get("/documents?doc_type=通知").text
