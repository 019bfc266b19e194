"""End-to-end in Debian's Chromium: search → document → provision link → ask → match → task update.

A real uvicorn server on a free loopback port serves the whole corpus (ingested once per session).
Skips when /usr/bin/chromium is absent (``.ci/run`` installs it). Never downloads a browser.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import CORPUS

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} not installed")]


@pytest.fixture(scope="session")
def web_library(tmp_path_factory):
    from zhengce.library import Library
    d = tmp_path_factory.mktemp("weblib")
    lib = Library(url=f"sqlite:///{d}/t.db", data_dir=d)
    lib.ingest(sorted(CORPUS.glob("*.txt")))
    yield lib
    lib.engine.dispose()


@pytest.fixture(scope="session")
def base_url(web_library):
    from zhengce.api import create_app
    from zhengce.api.testing import running_server
    with running_server(create_app(web_library)) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, base_url):
    ctx = browser.new_context(base_url=base_url, locale="zh-CN")
    p = ctx.new_page()
    p.set_default_timeout(15000)
    external: list[str] = []
    p.on("request", lambda req: external.append(req.url) if not req.url.startswith(base_url) else None)
    yield p
    ctx.close()
    assert not external, f"page loaded assets from outside: {external[:3]}"


def test_search_open_document_follow_provision(page):
    page.goto("/")
    page.get_by_role("searchbox", name="检索关键词").fill("营商环境 审批")
    page.get_by_role("button", name="检索").click()
    page.wait_for_url(re.compile(r"/search\?q="))
    first = page.locator("li.hit").first
    assert first.locator("mark").count() > 0  # highlighted snippet
    assert page.locator(".facets .panel").count() >= 1
    cid = first.locator("a.cidlink").inner_text()
    first.locator("a.hit-title").click()
    # the document page: metadata panel, outline, and the hit's provision anchored by its citation id
    panel = page.locator("section.meta-panel")
    for label in ("发文字号", "发文机关", "成文日期", "文种", "时效性"):
        assert panel.get_by_text(label, exact=True).count() == 1
    assert page.locator("nav.outline a").count() > 0
    target = page.locator(f'[id="{cid}"]')
    assert target.count() == 1
    # follow the provision's own link to its page, then back into the full text
    target.locator("a.plink").first.click()
    page.wait_for_url(re.compile(r"/p/"))
    assert page.locator("code.cid").inner_text() == cid
    page.locator("a.back").click()
    assert page.evaluate("decodeURIComponent(location.hash.slice(1))") == cid


def test_ask_shows_cited_answer(page):
    page.goto("/ask")
    page.get_by_role("searchbox", name="问题").fill("小微企业房租减免有哪些政策？")
    page.get_by_role("button", name="提问").click()
    answer = page.locator("section.answer")
    answer.wait_for()
    cites = answer.locator("a.cite")
    if cites.count():  # answered: every sentence carries a link to its provision
        cites.first.click()
        page.wait_for_url(re.compile(r"/p/"))
        assert page.locator("blockquote.ptext").inner_text().strip()
    else:  # abstained: says so and lists the nearest provisions
        assert "未" in answer.inner_text()


def test_offline_api_docs_render(page):
    page.goto("/docs")
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert page.locator(".opblock-summary-path", has_text="/api/search").count() >= 1
