"""REST: benefits (rule units), policy cards, and matching a profile to verdicts with reasons."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Query

from ..errors import InvalidInput
from ..library import Library
from .deps import ServiceUnavailable, get_library
from .serialize import plain

router = APIRouter(prefix="/api", tags=["政策匹配 match"])
# Lists are paged: a library of 100,000 documents holds ~380,000 rules (hundreds of MB as JSON).
PAGE, MAX_PAGE = 1000, 10000


def _match():
    try:
        from .. import match
    except ImportError as e:
        raise ServiceUnavailable("政策匹配服务尚未就绪", hint=str(e)) from e
    return match


@router.get("/benefits", summary="惠企惠民政策（规则单元）列表")
def benefits(lib: Library = Depends(get_library),
             kind: str | None = Query(None, pattern="^(person|enterprise|organization)$",
                                      description="受益主体：person / enterprise / organization"),
             limit: int = Query(PAGE, ge=1, le=MAX_PAGE, description="本页最多返回的规则数"),
             offset: int = Query(0, ge=0, description="从第几条开始（上一页的 next_offset）")) -> dict:
    items = _match().list_benefits(lib, kind)
    page = items[offset:offset + limit]
    end = offset + len(page)
    return {"ok": True, "total": len(items), "offset": offset, "next_offset": end if end < len(items) else None,
            "benefits": [b.to_dict() for b in page]}


@router.get("/cards/{rule_id:path}", summary="政策卡片：谁能享受 / 享受什么 / 标准 / 怎么申请 / 受理部门 / 政策依据")
def card(rule_id: str, lib: Library = Depends(get_library)) -> dict:
    return {"ok": True, "card": _match().card(lib, rule_id).to_dict()}


@router.get("/profile-fields", summary="画像字段词表（表单与校验所用）")
def profile_fields() -> dict:
    from ..match.profile import vocabulary
    return {"ok": True, "fields": vocabulary()}


@router.post("/match", summary="画像匹配：每项政策给出 可以享受 / 可能可以享受 / 不符合条件 及理由")
def match_profile(
    lib: Library = Depends(get_library),
    profile: dict[str, Any] = Body(..., embed=True, examples=[{
        "kind": "enterprise", "district": "西城区", "size": "small", "certifications": ["高新技术企业"]}]),
    include_not_eligible: bool = Query(True, description="是否返回不符合条件的政策"),
    limit: int = Query(PAGE, ge=1, le=MAX_PAGE, description="本页最多返回的政策项数（counts 总是统计全部）"),
    offset: int = Query(0, ge=0, description="从排序后的第几项开始（上一页的 next_offset）"),
) -> dict:
    if not isinstance(profile, dict):
        raise InvalidInput("profile 必须是 JSON 对象", field="profile")
    result = _match().match_profile(lib, profile)
    out = result.to_dict(include_not_eligible, offset=offset, limit=limit)
    return {"ok": True} | plain(out)


@router.post("/match/{rule_id:path}", summary="一项政策的结论与逐条理由（条件、画像中的事实、结果、依据条款）")
def explain_rule(
    rule_id: str,
    lib: Library = Depends(get_library),
    profile: dict[str, Any] = Body(..., embed=True, examples=[{"kind": "person", "age": 70, "hukou": "西城区"}]),
) -> dict:
    if not isinstance(profile, dict):
        raise InvalidInput("profile 必须是 JSON 对象", field="profile")
    m = _match()
    item = m.explain(lib, rule_id, profile)
    return {"ok": True, "benefit": plain(item.benefit.to_dict()), "verdict": item.verdict,
            "verdict_zh": item.verdict_zh, "trace": [m.trace_row(c) for c in item.checks],
            "card": plain(m.card(lib, rule_id).to_dict())}
