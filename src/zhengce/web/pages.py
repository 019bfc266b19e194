"""Server-rendered pages (简体中文). Each page reads the same dicts the REST API returns."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from ..api.deps import document_detail, get_library, require_document
from ..api.serialize import doc_summary
from ..errors import InvalidInput, ZhengceError
from ..library import Library
from ..store import documents as store_docs
from .render import render

router = APIRouter(include_in_schema=False)
DOCS_PAGE = 200  # documents per page of the list (a library holds up to hundreds of thousands)


def _latest(lib: Library, n: int = 10) -> list[dict]:
    with lib.engine.connect() as conn:
        return [doc_summary(d) for d in store_docs.latest_documents(conn, n)]


def _stats(lib: Library) -> dict:
    stats = dict(lib.counts())
    for name, fn in _extra_counts():
        try:
            stats[name] = fn(lib)
        except Exception:  # a service not ready must not break the home page
            continue
    return stats


def _extra_counts():
    """Counts from the feature services (benefits, tasks); each optional."""
    out = []
    try:
        from ..match import benefit_count
        out.append(("benefits", benefit_count))
    except ImportError:
        pass
    try:
        from ..track import task_count
        out.append(("tasks", task_count))
    except ImportError:
        pass
    return out


@router.get("/", response_class=HTMLResponse)
def home(request: Request, lib: Library = Depends(get_library)):
    return render(request, "home.html", title="首页", stats=_stats(lib), latest=_latest(lib))


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, lib: Library = Depends(get_library),
                   issuer: str | None = Query(None, max_length=100),
                   doc_type: str | None = Query(None, max_length=20),
                   title: str | None = Query(None, max_length=200),
                   page: int = Query(1, ge=1, le=100_000)):
    found = lib.documents(issuer=issuer or None, doc_type=doc_type or None, query=title or None,
                          limit=DOCS_PAGE + 1, offset=(page - 1) * DOCS_PAGE)
    docs = [doc_summary(d) for d in found[:DOCS_PAGE]]
    with lib.engine.connect() as conn:
        types = store_docs.doc_types(conn)
    filters = {"issuer": issuer or "", "doc_type": doc_type or "", "title": title or ""}
    total = None if any(filters.values()) else lib.counts()["documents"]
    return render(request, "documents.html", title="全部文件", docs=docs, types=types, filters=filters,
                  page=page, more=len(found) > DOCS_PAGE, total=total, first=(page - 1) * DOCS_PAGE + 1,
                  q=urlencode({k: v for k, v in filters.items() if v}))


@router.get("/documents/{key:path}", response_class=HTMLResponse)
def document_page(key: str, request: Request, lib: Library = Depends(get_library)):
    doc = require_document(lib, key)
    detail = document_detail(lib, doc)
    from .. import graph
    from .graph import svg
    with lib.engine.connect() as conn:
        drawing = svg(graph.neighbourhood(conn, doc))
    return render(request, "document.html", title=doc.title, doc=detail, blocks=_blocks(doc.provisions),
                  graph_svg=drawing)


def _blocks(provisions) -> list[dict]:
    """Provisions in order, consecutive table rows grouped into one table block."""
    blocks: list[dict] = []
    for p in sorted(provisions, key=lambda p: p.seq):
        if p.kind == "row":
            last = blocks[-1] if blocks else None
            if last is None or last["type"] != "table" or last["parent"] != p.parent:
                last = {"type": "table", "parent": p.parent, "header": p.header or [], "rows": []}
                blocks.append(last)
            last["rows"].append(p)
        else:
            blocks.append({"type": "prov", "p": p})
    return blocks


@router.get("/p/{cid:path}", response_class=HTMLResponse)
def provision_page(cid: str, request: Request, lib: Library = Depends(get_library)):
    from ..api.documents import get_provision
    data = get_provision(cid, lib)
    return render(request, "provision.html", title=data["provision"]["cid"], **data,
                  **_derived(lib, data["provision"]["cid"], data["provision"]["doc_key"]))


def _derived(lib: Library, cid: str, doc_key: str) -> dict:
    """Tasks and benefits extracted from this provision or its sub-items (when those services exist)."""
    def under(c: str) -> bool:
        return c == cid or c.startswith(cid + "/")
    out: dict = {"tasks": [], "benefits": []}
    try:
        from ..track import list_tasks
        out["tasks"] = [t for t in list_tasks(lib, doc=doc_key) if under(t.cid)]
    except (ImportError, ZhengceError):
        pass
    try:
        from ..match import list_benefits
        out["benefits"] = [b for b in list_benefits(lib, doc_key=doc_key) if under(b.cid)]
    except ImportError:
        pass
    return out


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, lib: Library = Depends(get_library),
                q: str = Query("", max_length=200), issuer: str | None = Query(None, max_length=100),
                doc_type: str | None = Query(None, max_length=20),
                doc_number: str | None = Query(None, max_length=64),
                level: str | None = Query(None, max_length=2),
                year: str | None = Query(None, max_length=4),
                since: str | None = Query(None, max_length=10), until: str | None = Query(None, max_length=10),
                subject: str | None = Query(None, max_length=100),
                validity: str | None = Query(None, max_length=8),
                page: int = Query(1, ge=1, le=1000)):
    from ..api.search import search as api_search
    start = _date_param(since, "since")
    end = _date_param(until, "until")
    if year:
        if not year.isdigit():
            raise InvalidInput("年份应为四位数字", field="year")
        start, end = max(start or dt.date.min, dt.date(int(year), 1, 1)), min(end or dt.date.max, dt.date(int(year), 12, 31))
    if level and level not in ("市", "区"):
        raise InvalidInput("级别应为 市 或 区", field="level")
    result = None
    if q.strip() or issuer or doc_type or year or doc_number or level or start or end or subject or validity:
        result = api_search(lib, q, issuer=issuer or None, doc_type=doc_type or None, doc_number=doc_number or None,
                            level=level or None, since=start, until=end, subject=subject or None,
                            page=page, per_page=10, validity=validity or None)
    params = {"q": q, "issuer": issuer or "", "doc_type": doc_type or "", "year": year or "",
              "doc_number": doc_number or "", "level": level or "", "since": since or "", "until": until or "",
              "subject": subject or "", "validity": validity or ""}
    return render(request, "search.html", title=f"检索：{q}" if q else "一网通查", result=result,
                  params=params, advanced=any(params[k] for k in ("doc_number", "level", "since", "until")))


def _date_param(value: str | None, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as e:
        raise InvalidInput(f"日期应为 YYYY-MM-DD：{value}", field=field) from e


@router.get("/ask", response_class=HTMLResponse)
def ask_page(request: Request, lib: Library = Depends(get_library), q: str = Query("", max_length=300)):
    from ..api.search import run_ask
    answer = run_ask(lib, q) if q.strip() else None
    return render(request, "ask.html", title=f"问：{q}" if q else "有问即答", q=q, answer=answer)


# Not-eligible items listed on the match page: a library of 100,000 documents has hundreds of
# thousands of rules, nearly all not eligible for one profile; the count says how many more there are.
REJECTED_SHOWN = 1000


@router.get("/match", response_class=HTMLResponse)
def match_page(request: Request, lib: Library = Depends(get_library)):
    from ..api.match import _match
    from ..match.profile import vocabulary
    from .forms import VALUE_LABELS, form_fields, profile_from_query
    m = _match()
    vocab = vocabulary()
    items = list(request.query_params.multi_items())
    submitted = any(k == "kind" for k, _ in items)
    profile = profile_from_query(vocab, items) if submitted else {"kind": "enterprise"}
    result = cards = None
    if submitted:
        result = m.match_profile(lib, profile)
        shown = result.items[:len(result.items) - len(result.rejected)][:40]  # items are read when used
        cards = {i.benefit.id: m.card(lib, i.benefit.id) for i in shown}
    from urllib.parse import urlencode
    return render(request, "match.html", title="我能享受哪些政策", profile=profile,
                  kinds=[(k, VALUE_LABELS[k]) for k in vocab["kind"]["values"]],
                  fields=form_fields(vocab, profile), result=result, cards=cards, rejected_shown=REJECTED_SHOWN,
                  profile_qs=urlencode(items) if submitted else "")


@router.get("/tasks", response_class=HTMLResponse)
def tasks_page(request: Request, lib: Library = Depends(get_library),
               unit: str | None = Query(None, max_length=100), doc: str | None = Query(None, max_length=200),
               status: str | None = Query(None, max_length=4), q: str | None = Query(None, max_length=100),
               msg: str | None = Query(None, max_length=300), err: str | None = Query(None, max_length=300)):
    from urllib.parse import urlencode

    from ..api.tasks import _track
    from .charts import legend, stacked_bars
    track = _track()
    order = [*track.STATUSES, track.OVERDUE]
    order = ["已完成", "推进中", "未开始", "逾期"] if set(order) == {"已完成", "推进中", "未开始", "逾期"} else order
    summ = track.summary(lib, doc=doc or None, unit=unit or None)
    # the first 200 in SQL (a library may hold 600,000 tasks); their number from the summary,
    # which counts per status too, or one COUNT for a text filter the summary does not know
    chosen = dict(unit=unit or None, doc=doc or None, status=status or None, query=q or None)
    views = track.list_tasks(lib, limit=200, **chosen)
    n_tasks = track.count_tasks(lib, **chosen) if q else summ.by_status.get(status, 0) if status else summ.total

    def link(name: str) -> str:
        return "/tasks?" + urlencode({k: v for k, v in (("unit", name), ("doc", doc)) if v})
    top = summ.by_unit[:15]
    chart_status = stacked_bars([(u.unit, u.counts) for u in top], order, title="各单位任务状态", link=link)
    overdue_rows = sorted((u for u in summ.by_unit if u.counts.get(track.OVERDUE)),
                          key=lambda u: -u.counts[track.OVERDUE])[:15]
    chart_overdue = stacked_bars([(u.unit, {track.OVERDUE: u.counts[track.OVERDUE]}) for u in overdue_rows],
                                 [track.OVERDUE], title="各单位逾期任务", link=link)
    filters = {"unit": unit or "", "doc": doc or "", "status": status or "", "q": q or ""}
    back = "/tasks?" + urlencode({k: v for k, v in filters.items() if v})
    export_qs = urlencode({k: v for k, v in filters.items() if v})
    return render(request, "tasks.html", title="任务督办", summary=summ, tasks=views[:200], n_tasks=n_tasks,
                  chart_status=chart_status, chart_overdue=chart_overdue, legend=legend(order),
                  overdue_label=track.OVERDUE, statuses=track.STATUSES, all_statuses=order, filters=filters,
                  units=[u.unit for u in summ.by_unit], back=back, export_qs=export_qs, msg=msg, err=err)


@router.post("/tasks/update")
async def tasks_update(request: Request, lib: Library = Depends(get_library)):
    """The dashboard's inline form: update as the agency whose token is given, then go back."""
    from urllib.parse import urlencode

    from fastapi.responses import RedirectResponse

    from ..api.tasks import _track
    from ..errors import ZhengceError
    form = await request.form()
    task_id = str(form.get("task_id") or "")
    back = str(form.get("back") or "/tasks")
    if not back.startswith("/tasks"):
        back = "/tasks"
    sep = "&" if "?" in back else "?"
    try:
        view = _track().update_task(lib, task_id, token=str(form.get("token") or "") or None,
                                    status=str(form.get("status") or "") or None,
                                    note=str(form.get("note") or "") or None)
        flash = {"msg": f"已更新：{view.title or view.text[:20]} → {view.status}"}
    except ZhengceError as e:
        flash = {"err": f"{e.title}：{e.message}"}
    return RedirectResponse(back + sep + urlencode(flash) + "#t-" + task_id, status_code=303)


@router.get("/cards/{rule_id:path}", response_class=HTMLResponse)
def card_page(rule_id: str, request: Request, lib: Library = Depends(get_library)):
    from ..api.match import _match
    from ..match.profile import vocabulary
    from .forms import profile_from_query
    m = _match()
    items = list(request.query_params.multi_items())
    profile = profile_from_query(vocabulary(), items) if any(k == "kind" for k, _ in items) else None
    c = m.card(lib, rule_id, profile)  # with a profile: its verdict and the trace, as the CLI and API give them
    benefit = m.benefit_summary(lib, rule_id)
    return render(request, "card.html", title=c.title, card=c, benefit=benefit)
