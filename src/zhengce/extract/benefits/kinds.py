"""Kinds of benefit: grants are only part (shared/GUIDE.md "Kinds of benefit").

The kind is read from the words of the granting clause; the first line that matches wins, so a
more specific kind stands before a broader one (贷款贴息 is an interest subsidy, not a loan).
"""

from __future__ import annotations

import re

KINDS: list[tuple[str, str, re.Pattern]] = [
    ("tax_deduction", "税前扣除", re.compile(r"加计扣除|定额扣除|据实扣除|税前扣除|专项附加扣除|减除费用|扣除标准")),
    ("tax_refund", "退税", re.compile(r"即征即退|退税|退还[^，。；]{0,6}税|全额退还")),
    ("tax_exemption", "免税", re.compile(r"免征|免予缴纳|免税")),
    ("tax_reduction", "减税", re.compile(r"减半征收|减按[^，。；]{0,6}征收|减征|减免[^，。；]{0,4}税|减税")),
    ("fee_cut", "减免收费", re.compile(r"免收|减免[^，。；]{0,8}费|低费率(?!的?担保)|费率[^，。；]{0,4}(降|优惠)|折[^，。；]{0,2}优惠|居民价格|降低[^，。；]{0,6}费")),
    ("interest_subsidy", "贴息", re.compile(r"贴息")),
    ("guarantee", "担保", re.compile(r"(低费率的)?担保(支持|费)|融资担保")),
    ("loan", "贷款", re.compile(r"贷款")),
    ("insurance_refund", "返还社保费", re.compile(r"返还[^，。；]{0,14}保险费")),
    ("free_service", "免费服务", re.compile(r"免费|无偿")),
    ("priority", "优先", re.compile(r"优先")),
    ("rent_support", "租金补贴", re.compile(r"房租|租金补贴|租金")),
    ("award", "奖励", re.compile(r"奖励|奖补|奖金")),
    ("allowance", "津贴", re.compile(r"津贴|保险金|生活费")),
    ("subsidy", "补贴", re.compile(r"补贴|补助|资助|资金支持|支持")),
]
KIND_ZH = {k: zh for k, zh, _ in KINDS}


GRANT_VERB = re.compile(r"给予|予以|提供|享受|申请|发放")


def _first_kind(text: str) -> str:
    best, kind = len(text) + 1, ""
    for k, _zh, pat in KINDS:
        m = pat.search(text)
        if m and m.start() < best:
            best, kind = m.start(), k
    return kind


def benefit_kind(grant_text: str) -> str:
    """The kind of the benefit a granting clause gives: the first kind word after the grant verb
    ("对小微企业信用贷款…给予贴息支持" is an interest subsidy, not a loan), else the first in the
    clause ("免征进口关税…全额退还增值税" is an exemption); a plain 补贴 on rent is rent support.
    "" when no kind word stands in it."""
    m = GRANT_VERB.search(grant_text)
    kind = _first_kind(grant_text[m.end():]) if m else ""
    kind = kind or _first_kind(grant_text)
    if kind == "subsidy" and KINDS[[k for k, _, _ in KINDS].index("rent_support")][2].search(grant_text):
        return "rent_support"
    return kind
