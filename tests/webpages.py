"""Web pages of layouts other than gov.cn's, built from real corpus text (tests and own gold).

Each layout is one a district or provincial portal uses: a ``<div>`` portal with an ``<h1>`` title
outside the article and a ``<ul><li><label>`` metadata block (``t20220129_2584163.html``), a
municipal ``index.html`` whose block is a ``<th>``/``<td>`` table without colons and whose article
holds a data table, and a page with no block at all whose title is split over centred ``<p>``s.
Share bars, font switches, "上一篇/下一篇", related-link lists, breadcrumbs and footers surround
the article as on real sites. The gold for them is ``tests/data/webpage/documents.jsonl``,
labelled by hand from the corpus documents (none of them is in the dev gold).
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from conftest import CORPUS

XICHENG = CORPUS / "xicheng-gazette-2022.txt"
SHARE = ("<div class='share'>分享到：<a href='#'>微信</a> <a href='#'>微博</a> <a href='#'>QQ空间</a> "
         "<a href='#'>打印</a> <a href='#'>关闭</a></div>")
FONT = "<div class='font'>【字体：<a href='#'>大</a> <a href='#'>中</a> <a href='#'>小</a>】</div>"
NAV = ("<div class='top'><ul class='menu'><li><a href='/'>首页</a></li><li><a href='/zwgk/'>政务公开</a></li>"
       "<li><a href='/zwfw/'>政务服务</a></li><li><a href='/hdjl/'>互动交流</a></li></ul></div>"
       "<div class='position'>当前位置：<a href='/'>首页</a> &gt; <a href='/zwgk/'>政务公开</a> &gt; "
       "<a href='/zcwj/'>政策文件</a></div>")
PAGER = ("<div class='pages'><p><a href='/t1.html'>上一篇：北京市西城区人民政府关于公布区级行政权力清单的通知</a></p>"
         "<p><a href='/t2.html'>下一篇：北京市西城区人民政府办公室关于印发年度重点工作的通知</a></p></div>")
RELATED = ("<div class='related'><h3>相关链接</h3><ul>"
           "<li><a href='/a.html'>北京市西城区人民政府关于进一步优化营商环境的若干措施</a></li>"
           "<li><a href='/b.html'>北京市西城区促进金融科技发展的支持办法</a></li></ul></div>")
FOOTER = ("<div class='footer'><p><a href='/map'>网站地图</a> | <a href='/lx'>联系我们</a> | "
          "<a href='/sm'>网站声明</a></p><p>主办：北京市西城区人民政府办公室 承办：西城区政务服务中心</p>"
          "<p>京ICP备05060933号 网站标识码：1101020001 京公网安备 11010202007624号</p></div>")
SCRIPT = "<script>var _maq = _maq || []; document.write('访问统计');</script>"
BOILERPLATE = ["分享到", "微信", "QQ空间", "字体", "上一篇", "下一篇", "相关链接", "网站地图", "网站标识码",
               "当前位置", "政务服务", "访问统计", "主办："]


def corpus_lines(start: int, end: int, path: Path = XICHENG) -> list[str]:
    """Lines ``start``..``end`` (1-based, inclusive) as a site shows them: markdown marks dropped."""
    lines = path.read_text(encoding="utf-8").splitlines()[start - 1:end]
    out = []
    for t in lines:
        t = re.sub(r"^#+\s*", "", t.replace("**", "")).rstrip()
        if t.strip():
            out.append(t)
    return out


def article_html(lines: list[str], title_lines: int) -> str:
    """Centred ``<p>`` per title line, ``<p>`` per paragraph, TSV runs as one ``<table>``."""
    parts, rows = [], []
    for i, line in enumerate(lines + [""]):
        if "\t" in line:
            rows.append("<tr>" + "".join(f"<td><p>{escape(c)}</p></td>" for c in line.split("\t")) + "</tr>")
            continue
        if rows:
            parts.append("<table border='1' class='MsoTable'><tbody>" + "".join(rows) + "</tbody></table>")
            rows = []
        if not line:
            continue
        if i < title_lines:
            parts.append(f"<p style='text-align: center;'><strong>{escape(line)}</strong></p>")
        else:
            parts.append(f"<p style='text-indent: 2em;'>{escape(line)}</p>")
    return "\n".join(parts)


def portal_page(lines: list[str], title: str, block: dict[str, str], title_lines: int) -> str:
    """Layout A: ``<div>`` portal, ``<ul><li><label>`` block, ``<h1>`` title, article without it."""
    items = "".join(f"<li><label>{escape(k)}：</label><span>{escape(v)}</span></li>" for k, v in block.items())
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'>"
            f"<title>{escape(title)}_北京市西城区人民政府</title>"
            f"<meta name='ArticleTitle' content='{escape(title)}'>{SCRIPT}</head><body>{NAV}"
            f"<div class='xxgk-info'><ul>{items}</ul></div>"
            f"<div class='article'><h1 class='title'>{escape(title)}</h1>{SHARE}{FONT}"
            f"<div class='content' id='zoom'>{article_html(lines[title_lines:], 0)}</div>{PAGER}</div>"
            f"{RELATED}{FOOTER}</body></html>")


def municipal_page(lines: list[str], title: str, block: list[tuple[str, str]], title_lines: int) -> str:
    """Layout B: ``index.html``, block as ``<th>``/``<td>`` pairs without colons, data table inside."""
    cells = ["".join(f"<th>{escape(k)}</th><td>{escape(v)}</td>" for k, v in block[i:i + 2])
             for i in range(0, len(block), 2)]
    table = "<table class='xxgk'>" + "".join(f"<tr>{c}</tr>" for c in cells) + "</table>"
    return ("<html><head><meta http-equiv='Content-Type' content='text/html; charset=utf-8'>"
            f"<title>{escape(title)}</title>{SCRIPT}<style>.TRS_Editor p{{line-height:2}}</style></head>"
            f"<body>{NAV}<div class='main'><div class='left'><ul><li><a href='/1'>政策文件</a></li>"
            "<li><a href='/2'>政策解读</a></li><li><a href='/3'>规划计划</a></li></ul></div>"
            f"<div class='right'>{table}<div class='TRS_Editor'>{article_html(lines, title_lines)}</div>"
            f"{SHARE}</div></div>{FOOTER}</body></html>")


def bare_page(lines: list[str], title_lines: int) -> str:
    """Layout C: no metadata block; the title split over centred paragraphs inside the article."""
    return ("<html><head><meta charset='utf-8'><title>政策文件</title></head><body>"
            f"{NAV}<div id='zoom'>{article_html(lines, title_lines)}</div>{FONT}{SHARE}{FOOTER}</body></html>")


def write_pages(folder: Path) -> dict[str, Path]:
    """The three pages of ``tests/data/webpage`` (file name → path)."""
    folder.mkdir(parents=True, exist_ok=True)
    a_title = ("北京市西城区人民政府印发《北京市西城区关于服务北京证券交易所发展和促进创新型中小企业"
               "在北京证券交易所上市的若干措施（试行）》的通知")
    # xicheng-gazette-2022.txt:36-89 (西政发〔2022〕1号)
    a = portal_page(corpus_lines(36, 89), a_title, {
        "索 引 号": "11110102000042/2022-00012", "发文机构": "北京市西城区人民政府",
        "主题分类": "综合政务/其他", "成文日期": "2022年01月29日", "发布日期": "2022年02月07日",
        "文　　号": "西政发〔2022〕1号", "名　　称": a_title}, title_lines=4)
    b_title = "北京市西城区民政局关于印发《“洗浴、代换煤气、上门理发”三项为老服务管理办法》的通知"
    # xicheng-gazette-2022.txt:3122-3294 (西民发〔2022〕2号, a data table at 3241-)
    b = municipal_page(corpus_lines(3122, 3294), b_title, [
        ("索引号", "11110102MB0123456K/2022-00003"), ("主题分类", "民政、扶贫、救灾/社会福利"),
        ("发布机构", "北京市西城区民政局"), ("生成日期", "2022-01-29"), ("名称", b_title),
        ("文号", "西民发〔2022〕2号"), ("公开日期", "2022-02-10")], title_lines=3)
    # xicheng-gazette-2022.txt:4187-4936 (西人社发〔2022〕8号)
    c = bare_page(corpus_lines(4187, 4936), title_lines=3)
    out = {"t20220129_2584163.html": a, "index.html": b, "t20220311_2601234.html": c}
    paths = {}
    for name, html in out.items():
        (folder / name).write_text(html, encoding="utf-8")
        paths[name] = folder / name
    return paths
