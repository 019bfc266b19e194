"""Task extraction on real corpus text: deadlines, unit lists, prose items and task tables."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengce.extract.agencies import registry
from zhengce.extract.deadlines import resolve
from zhengce.extract.tasks import extract_tasks
from zhengce.extract.tasks.units import split_cell, split_list
from zhengce.model import Document, Provision

from conftest import corpus_file

XICHENG = "xicheng-gazette-2022.txt"
PRIVATE = "beijing-private-enterprise-policies-2021q4.txt"


def lines(name: str, start: int, end: int) -> list[str]:
    text = corpus_file(name).read_text(encoding="utf-8").splitlines()
    return text[start - 1:end]


def doc_of(provs: list[tuple[str, str, str | None]], year: int = 2022) -> Document:
    """A document from (kind, raw text, parent label) rows, cids numbered in order."""
    d = Document(key="T", source="t.txt", title="t", date=dt.date(year, 3, 1))
    for i, (kind, raw, parent) in enumerate(provs):
        d.provisions.append(Provision(
            cid=f"T/{i}", doc_key="T", level=1, label=str(i), heading="", raw=raw, text=raw,
            line_start=i + 1, line_end=i + 1, kind=kind, parent=f"T/{parent}" if parent else None, seq=i))
    return d


@pytest.mark.parametrize("raw,year,want,ongoing", [
    ("年底前", 2022, "2022-12-31", False),  # xicheng-gazette-2022.txt:2511 (table cell)
    ("6 月底前", 2022, "2022-06-30", False),  # xicheng-gazette-2022.txt:2513
    ("11月15日前", 2022, "2022-11-15", False),  # xicheng-gazette-2022.txt:2586
    ("2022 年 9 月底前", 2021, "2022-09-30", False),  # xicheng-gazette-2022.txt:2803 (year as written wins)
    ("2022年12月底", 2022, "2022-12-31", False),  # xicheng-gazette-2022.txt:2857 (no 前)
    ("6-9月", 2022, "2022-09-30", False),  # xicheng-gazette-2022.txt:2605 (a span ends at its last month)
    ("2025年", 2021, "2025-12-31", False),  # xicheng-gazette-2022.txt:1511 实施期限
    ("长期实施", 2022, None, True),  # xicheng-gazette-2022.txt:2590
    ("持续推进", 2022, None, True),  # xicheng-gazette-2022.txt:2716
    ("按时间节点完成", 2022, None, False),  # xicheng-gazette-2022.txt:2562
])
def test_deadlines(raw, year, want, ongoing):
    d = resolve(raw, year)
    assert (d.date.isoformat() if d.date else None) == want
    assert d.ongoing is ongoing


@pytest.mark.parametrize("cell,want", [
    # xicheng-gazette-2022.txt:2511 space-separated cell
    ("区发展改革委 区科学技术和信息化局 区住房城乡建设委", ["区发展改革委", "区科学技术和信息化局", "区住房城乡建设委"]),
    # xicheng-gazette-2022.txt:2543 one name broken by the page layout
    ("市规划自然资源委 西城分局 区住房城市建设委", ["市规划自然资源委西城分局", "区住房城市建设委"]),
    # xicheng-gazette-2022.txt:2562 <p> blocks and a trailing 等部门
    ("<p>区教委</p> <p>区国资委</p> <p>西城公安分局</p> <p>区财政局等部门</p>",
     ["区教委", "区国资委", "西城公安分局", "区财政局"]),
    # xicheng-gazette-2022.txt:2568 a branch company written over two tokens
    ("区商务局 中国邮政集团公司 北京市西城区分公司", ["区商务局", "中国邮政集团公司北京市西城区分公司"]),
    ("---", []),  # xicheng-gazette-2022.txt:2568 co cell
])
def test_split_cell(cell, want):
    assert split_cell(cell) == want


def test_split_list_keeps_comma_free_pair():
    # beijing-private-enterprise-policies-2021q4.txt:1339: "市科委、中关村管委会" is one office
    got = split_list("市财政局，北京市税务局，北京海关，市科委、中关村管委会，市经济和信息化局")
    assert got == ["市财政局", "北京市税务局", "北京海关", "市科委、中关村管委会", "市经济和信息化局"]
    # xicheng-gazette-2022.txt:2826: 、-separated when no comma
    assert split_list("区城市管理委、相关街道") == ["区城市管理委", "相关街道"]


def test_registry_aliases():
    reg = registry()
    assert reg.same("区应急局", "区应急管理局")
    assert reg.same("市投促中心", "市投资促进服务中心")
    assert reg.same("人行营业管理部", "人民银行营业管理部")
    assert reg.level("各街道办事处") == "集体"
    assert reg.level("区生态环境局") == "区"


def test_prose_unlabelled_parenthesis():
    # beijing-private-enterprise-policies-2021q4.txt:1360-1382, item 2 ends "（人民银行营业管理部，北京银保监局，…）"
    raw = "".join(lines(PRIVATE, 1360, 1382))
    tasks = extract_tasks(doc_of([("heading", raw, None)]))
    assert len(tasks) == 1
    assert tasks[0].lead_units == ["人民银行营业管理部", "北京银保监局", "市金融监管局"]
    assert "免收全部单位结算账户管理费和年费" in tasks[0].text
    assert tasks[0].deadline is None


def test_prose_label_lines_attach_to_item():
    # xicheng-gazette-2022.txt:2796-2800: item 2, then 完成时限 and 主要责任单位 lines
    item, deadline, units = (lines(XICHENG, n, n)[0] for n in (2796, 2798, 2800))
    d = doc_of([("heading", item, None), ("paragraph", deadline, "0"), ("paragraph", units, "0")])
    (t,) = extract_tasks(d)
    assert t.lead_units == ["德源集团", "宣房集团"] and t.co_units == []
    assert t.deadline == dt.date(2022, 12, 31) and t.deadline_raw.replace(" ", "") == "2022年12月底前"
    assert t.id == "T/0#1"


def _table(start: int, end: int) -> Document:
    return doc_of([("row", ln, None) for ln in lines(XICHENG, start, end) if ln.strip()])


def test_table_rows_header_submeasure_and_continuation():
    # xicheng-gazette-2022.txt:2509-2553 应对气候变化 2022 年行动计划: repeated headers, a section row,
    # a sub-measure with empty 序号 (row under 6), and continuation rows after page breaks (15, 19)
    tasks = extract_tasks(_table(2509, 2553))
    by_number: dict[str, list] = {}
    for t in tasks:
        by_number.setdefault(t.number, []).append(t)
    assert sorted(by_number, key=int) == [str(i) for i in range(1, 21)]
    first = by_number["1"][0]
    assert first.parent_task == "目标任务"
    assert first.lead_units == ["区生态环境局"]
    assert first.co_units == ["区发展改革委", "区科学技术和信息化局", "区住房城乡建设委", "区交通委", "区城市管理委"]
    assert first.deadline == dt.date(2022, 12, 31)
    assert by_number["2"][0].deadline == dt.date(2022, 6, 30)
    six = by_number["6"]
    assert len(six) == 2 and six[1].lead_units == ["区发展改革委", "区城市管理委"]
    assert six[1].parent_task == "推进能源高效低碳利用"
    (fifteen,) = by_number["15"]  # "…全区绿化覆盖率" + "稳步提高。…" is one measure
    assert "全区绿化覆盖率稳步提高" in fifteen.text
    nineteen = by_number["19"]
    assert len(nineteen) == 2 and "消费理念,培养绿色消费习惯" in nineteen[1].text
    assert "区交通委" in nineteen[1].lead_units


def test_table_ongoing_and_cross_row_deadline():
    # xicheng-gazette-2022.txt:2623-2636: 17 加强区域 / 联防联控, deadline "长期" + "实施" over a page break
    tasks = extract_tasks(_table(2623, 2636))
    t17 = next(t for t in tasks if t.number == "17")
    assert t17.title == "加强区域联防联控"
    assert t17.ongoing and t17.deadline is None


def test_ids_are_stable():
    d = _table(2509, 2530)
    assert [t.id for t in extract_tasks(d)] == [t.id for t in extract_tasks(d)]
