"""Colloquial words and the official words the documents use for the same thing.

Citizens ask in everyday words (开业, 户口, 孩子, 社保); documents state the rule in official ones
(经营, 户籍, 适龄儿童, 社会保险). Coverage counts an official form as stating the colloquial term,
so "开业多长时间以后才符合申请条件" meets "在注册地址正式经营至少3个月". One direction only:
an official word in a question is already the documents' word.
"""

from __future__ import annotations

PARAPHRASES: dict[str, list[str]] = {
    "开业": ["经营", "营业", "开办", "成立"],
    "开店": ["经营", "开办"],
    "公司": ["企业", "单位", "用人单位"],
    "小公司": ["小微企业", "企业", "用人单位"],
    "户口": ["户籍"],
    "孩子": ["适龄儿童", "子女", "儿童", "学生"],
    "小孩": ["适龄儿童", "子女", "儿童"],
    "老人": ["老年人"],
    "我妈": ["老年人", "老人"],
    "我爸": ["老年人", "老人"],
    "社保": ["社会保险"],
    "医保": ["医疗保障", "医疗保险"],
    "上班": ["就业", "工作"],
    "找工作": ["求职", "就业"],
    "招人": ["招用", "招聘", "录用"],
    "招": ["招用", "招聘"],
    "租房": ["租赁", "租房"],
    "买房": ["购房", "购买住房"],
    "钱": ["资金", "补贴", "费用", "元"],
    "退钱": ["退款", "退回"],
    "拿到": ["取得", "获得", "制发"],
    "多久": ["时限", "期限"],
    "工资": ["薪酬", "工资"],
    "奖金": ["奖励"],
    "补钱": ["补贴", "补助"],
    "失业": ["登记失业人员", "失业人员"],
    "残疾人": ["残疾"],
    "洗澡": ["洗浴", "助浴"],
    "理发": ["上门理发"],
}


def official_forms(term: str) -> list[str]:
    """The official words documents use for a colloquial ``term`` (empty when none is known)."""
    return PARAPHRASES.get(term, [])
