"""Patterns for 公文 structure, kept in one place, each commented with the case that motivated it.

Hierarchy markers (GUIDE §2): 一、 › (一)/（一） › 1./1． › (1)/（1） › ①; 第X章 › 第X节 › 第X条;
decimal 1 / 1.1 / 2.3.6 (emergency plans). Patterns run on the *normalised* line (full-width ASCII
folded to half-width), so "（一）" and "(一)" are one case.
"""

from __future__ import annotations

import re

CN_NUM = "一二三四五六七八九十百零〇两"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# (kind, regex). Order matters: the first that matches wins. Each captures the label in group 1.
MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(rf"^(第[{CN_NUM}\d]+章)\s*")),
    ("section", re.compile(rf"^(第[{CN_NUM}\d]+节)\s*")),
    ("article", re.compile(rf"^(第[{CN_NUM}\d]+条)\s*")),
    ("cn", re.compile(rf"^([{CN_NUM}]{{1,3}})\s*、\s*")),  # 一、
    ("paren_cn", re.compile(rf"^\(\s*([{CN_NUM}]{{1,3}})\s*\)\s*")),  # (一)
    # 2.3.6 / 1.1 decimal outline (西城区突发事件总体应急预案); not "68.6%" (a figure, not heading 68).
    ("decimal", re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})(?![\d%.])\s*(?=[\u4e00-\u9fff(“《])")),
    ("num", re.compile(r"^(\d{1,3})\s*[.．、](?![\d%])\s*")),  # 1. 1． 1、
    ("paren_num", re.compile(r"^\(\s*(\d{1,3})\s*\)\s*")),  # (1)
    ("circled", re.compile(rf"^([{CIRCLED}])\s*")),
    # A bare decimal top-level heading "1 总则" (emergency plans; the repaired copy reads "1总则"):
    # a number and a short Chinese heading, nothing else on the line.
    ("decimal", re.compile(r"^(\d{1,2})\s*(?=[\u4e00-\u9fff]{2,12}$)")),
]

# Level order used when numbering styles nest (lower = higher in the tree).
KIND_RANK = {"chapter": 0, "section": 1, "article": 2, "cn": 3, "paren_cn": 4, "num": 5,
             "paren_num": 6, "circled": 7}

DATE_LINE = re.compile(
    r"^[(]?\s*((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[)]?$")
# Signing dates in Chinese numerals: "一九九六年十一月五日" (govcn content_5345407), "二〇〇四年八月十二日"
# (content_5351707); the zero may be 〇, ○ or 零.
DATE_CN_LINE = re.compile(r"^[(]?\s*([二〇零一两三四五六七八九十○]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月"
                          r"\s*([一二三四五六七八九十]{1,3})\s*日\s*[)]?$")
MONTH_LINE = re.compile(r"^((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月$")

# 文种 (document kinds) that end a title. Longest first so 实施意见 wins over 意见.
DOC_TYPES = ["实施意见", "指导意见", "实施细则", "实施方案", "工作方案", "行动计划", "行动方案", "若干措施",
             "若干规定", "管理办法", "实施办法", "暂行办法", "通知", "意见", "决定", "办法", "方案", "规划",
             "措施", "细则", "规定", "条例", "通告", "公告", "批复", "纲要", "计划", "预案", "规则", "指引",
             "指南", "清单", "要点", "审核办法", "决议", "报告", "函",
             # National forms (GUIDE "National conventions"): 答复 to an NPC/CPPCC proposal (govcn
             # content_5351596 "…第7240号建议的答复"), 复函 (content_5345440; 函 already ends it),
             # 通报, 命令, 请示, 纪要.
             "答复", "复函", "通报", "命令", "请示", "纪要"]
DOC_TYPE_END = re.compile(
    r"(?:" + "|".join(sorted(DOC_TYPES, key=len, reverse=True)) + r")(?:\(试行\)|\(暂行\)|\(\d{4}年修订\))?$")
# The longest text DOC_TYPE_END can match: a 文种, "(2021年修订)", and the newline "$" may stand before.
_DOC_TYPE_TAIL = max(map(len, DOC_TYPES)) + len("(2021年修订)") + 1


def doc_type_end(text: str) -> re.Match[str] | None:
    """``DOC_TYPE_END.search(text)``, looking only where a match can start: the last few characters.

    The pattern is anchored at the end, but ``search`` would try it at every position of the text.
    """
    return DOC_TYPE_END.search(text, max(0, len(text) - _DOC_TYPE_TAIL))

# Addressee line: "各区人民政府，市政府各委、办、局，各市属机构：" (主送机关, ends with a colon).
ADDRESSEE = re.compile(r"^[\u4e00-\u9fff、,，()\s]{2,120}[:：]$")
# Letters and 答复 go to persons: "邓乃扬、韩汝琦委员：" (govcn content_5351586), "周桂英等代表："
# (content_5351596), "××同志：".
ADDRESSEE_WORDS = re.compile(r"各|委|局|办|区|街道|单位|部门|机构|政府|公司|总部|(?:代表|委员|同志)[:：]?$")

# Organisation name endings (issuers, signature lines).
ORG_END = re.compile(
    r"(人民政府|政府办公厅|办公厅|办公室|委员会|市委|区委|局|委|厅|部|院|署|会|中心|联合会|支队|集团|公司|办)$")

# A line that is only a 文号, maybe in parentheses: "京政发〔2021〕34号", "(西政发〔2022〕1号)".
DOCNUM_LINE = re.compile(r"^\(?[\u4e00-\u9fff]{1,14}\s*[〔\[]\s*\d{4}\s*[〕\]]\s*\d{1,5}\s*号\)?$")
# A promulgation order: "中华人民共和国国务院令" over "第707号" (govcn content_5351177), "北京市人民政府令",
# "中华人民共和国财政部令". The order's issuer is what stands before 令.
ORDER_HEAD = re.compile(r"^(?:中华人民共和国)?([\u4e00-\u9fff]{2,20}?(?:国务院|人民政府|部|委员会|委|局|署|行|院))令$")
ORDER_NUMBER = re.compile(r"^\(?第\s*(\d{1,5})\s*号\)?$")
# 公告/通告 numbers on their own line: "国家税务总局公告2021年第30号", "2021年第30号".
ANNOUNCE_NUMBER = re.compile(r"^([\u4e00-\u9fff]{2,20}(?:公告|通告))?\s*((?:19|20)\d\d)\s*年\s*第\s*(\d{1,5})\s*号$")
# A subtitle that belongs to the title above it: "(试行)" on the next line (the compilation's
# "北京市创新型绿色技术及示范应用项目征集遴选管理细则" / "(试行)", private-enterprise file line 3265).
TITLE_SUFFIX = re.compile(r"^\((?:试行|暂行|征求意见稿|修订|(?:19|20)\d\d年修订)\)$")
PUBLIC_NOTE = re.compile(r"^\((?:此件|本件)[^)]{0,20}\)$")  # （此件公开发布）
# Editorial notes a publisher adds under the text: "（本文有删减）" (govcn content_5351586),
# "（此件公开发布）", "（有删减）". Never part of a title or a signature.
EDITORIAL_NOTE = re.compile(r"^\((?:此件|本件|本文|全文|有删减|略)[^()]{0,20}\)$")
ATTACHMENT = re.compile(r"^附件\s*(\d{0,2})\s*[:：.]?\s*(.*)$")
TOC_LINE = re.compile(r"(?:\.{4,}|…{2,}|\t\s*\(?\d{1,4}\)?\s*$|\(\d{1,4}\)\s*$)")


def is_toc_line(text: str) -> bool:
    """``TOC_LINE.search``, run only where one of its literals is: a dot leader, a tab, or a line
    ending in ")". The search scans the whole text at every position; the literal tests are C."""
    return bool(("...." in text or "……" in text or "\t" in text or text.rstrip().endswith(")"))
                and TOC_LINE.search(text))


def union(*patterns: str | re.Pattern[str]) -> re.Pattern[str]:
    """One pattern that matches where any of ``patterns`` matches (at the start, as ``match``).

    One call instead of one per pattern: a line is tested against a whole family of line kinds
    (dates, 文号, notes) at once. Only for yes/no questions: the groups are renumbered.
    """
    return re.compile("|".join(f"(?:{p.pattern if isinstance(p, re.Pattern) else p})" for p in patterns))


def may_be_furniture(text: str) -> bool:
    """What every date, month, note, subtitle, attachment, 文号, order and 公告-number line above
    holds: "(" or 附件 first, 号 or 令 somewhere, or 年 with 月. Most lines of prose hold none
    of these, and the literal tests cost less than one pattern of the family."""
    return text[:1] in "(附" or "号" in text or "令" in text or ("年" in text and "月" in text)
