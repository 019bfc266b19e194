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
    page.locator("li.hit").first.wait_for()
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


def test_match_profile_shows_policy_cards_with_reasons(page):
    page.goto("/match")
    page.get_by_label("企业", exact=True).check()
    page.locator("label.field", has_text="所在区").locator("input").fill("西城区")
    page.locator("label.field", has_text="企业规模").locator("select").select_option(label="小型")
    assert page.locator("label.field", has_text="年龄").is_hidden()  # person-only field hidden for 企业
    page.get_by_role("button", name="查看可享受的政策").click()
    page.locator("#match-summary").wait_for()
    cards = page.locator("article.pcard")
    assert cards.count() > 0
    first = cards.first
    assert first.locator("ul.reasons li").count() > 0
    first.locator("a", has_text=re.compile(".")).last.click()  # 政策依据 → the provision
    page.wait_for_url(re.compile(r"/p/"))


@pytest.fixture(scope="session")
def task_tokens(web_library):
    from zhengce import track
    task = next(t for t in track.list_tasks(web_library) if t.lead_units)
    units = set(task.lead_units + task.co_units)
    other = next(u.unit for u in track.summary(web_library).by_unit if u.unit not in units)
    own = track.create_account(web_library, agency=task.lead_units[0]).token
    foreign = track.create_account(web_library, agency=other).token
    return task, own, foreign


def test_update_task_as_its_agency_and_be_refused_as_another(page, task_tokens):
    from urllib.parse import quote
    task, own, foreign = task_tokens
    page.goto("/tasks?unit=" + quote(task.lead_units[0]))
    assert page.locator("figure svg rect").count() > 0  # the charts are drawn

    def submit(token: str, status: str) -> None:
        row = page.locator(f'tr[id="t-{task.id}"]')
        row.get_by_label("新状态").select_option(status)
        row.get_by_label("单位令牌").fill(token)
        with page.expect_navigation():
            row.get_by_role("button", name="更新").click()

    submit(foreign, "已完成")
    assert "无权" in page.get_by_role("alert").inner_text()
    assert page.locator(f'tr[id="t-{task.id}"] td.status').inner_text() != "已完成"
    submit(own, "推进中")
    assert "已更新" in page.get_by_role("status").inner_text()
    assert page.locator(f'tr[id="t-{task.id}"] td.status').inner_text() in ("推进中", "逾期")
    with page.expect_download() as dl:
        page.locator("#export-xlsx").click()
    assert dl.value.suggested_filename.endswith(".xlsx")
