"""Question analysis: what is asked (the kind of fact) and about what (subject, year, place, group).

Offline rules over the question's own words; no model. The analysis decides what an answer must
state: a question about a fee is answered only by a passage that states a fee, a question about
2023 only by a passage about 2023, a question about 东城区 only by a passage about 东城区.

Fact kinds (``Question.fact``), tried in this order because a question often carries several cues
("找哪个部门" beats "多少" when both are present only for a second sub-question):
``amount`` (money), ``rate`` (比例, %), ``count`` (多少张/几个), ``deadline`` (几月几号, 什么时候),
``duration`` (多久, 几个工作日), ``unit`` (哪个部门负责), ``how`` (怎么申请, 哪些材料),
``where`` (在哪办), ``who`` (哪些人/什么条件), ``yesno`` (能…吗), ``number`` (a bare 多少: some
figure), ``what`` (anything else).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_CN_NUM = "一二三四五六七八九十百千万两半"
NUM = rf"(?:\d+(?:\.\d+)?|[{_CN_NUM}]+)"

# The sixteen districts of Beijing; a question naming one is about that district.
DISTRICTS = ("东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区", "门头沟区", "房山区", "通州区",
             "顺义区", "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区")
_DISTRICT_RE = re.compile("|".join(d[:-1] + "区?" for d in DISTRICTS))

# What each fact kind needs to see in an answer sentence (a value of that kind).
MONEY = re.compile(rf"{NUM}\s*(?:万元|亿元|元)")
RATE = re.compile(rf"{NUM}\s*(?:%|％|‰|成|折)|百分之|千分之|{NUM}倍")
DATE = re.compile(rf"{NUM}\s*月(?:{NUM}\s*[日号])?|{NUM}\s*日[前后起]|年底|月底|年内|上旬|中旬|下旬")
YEAR_VALUE = re.compile(r"(?:19|20)\d\d\s*年")
# A span of time, not a date: "2018年" is a year, "3年" a duration.
_SPAN = rf"(?<![\d.])(?:\d{{1,3}}(?:\.\d+)?|[{_CN_NUM}]+)\s*"
DURATION = re.compile(rf"{_SPAN}(?:个?工作日|日|天|个月|周|年|小时|分钟)|当场|当日|当天|即时|立即|即办")
# The unit a duration question names narrows what answers it ("几个工作日" is not "3个月").
_DURATION_UNITS = [(re.compile(r"工作日"), re.compile(rf"{_SPAN}个?工作日|当场|当日|即时|即办")),
                   (re.compile(r"多少天|几天|多少日|几日"), re.compile(rf"{_SPAN}(?:个?工作日|日|天)|当场|当日|即时")),
                   (re.compile(r"多少个月|几个月"), re.compile(rf"{_SPAN}个?月")),
                   (re.compile(r"多少年|几年|年限"), re.compile(rf"{_SPAN}年"))]
AGENCY = re.compile(r"[\u4e00-\u9fff]{1,14}?(?:局|委员会|委|办公室|管委会|中心|政府|银行|街道|集团|公司|支队|分局|单位)")
PROCEDURE = re.compile(r"申请|提交|申报|办理|登记|报送|向|材料|证明|程序|流程|受理|网上|窗口|登录|填写")
PLACE = re.compile(r"街道|中心|窗口|大厅|服务站|平台|网站|APP|地址|区政务|市民服务")
CONDITION = re.compile(r"户籍|年满|周岁|岁|符合|条件|对象|低保|低收入|特困|失能|残疾|企业|单位|人员|老年人|儿童|"
                       r"毕业生|注册|纳税|参保|具有|取得")

# Question cues, per kind. Each pattern is matched on the NFKC question text.
_ASK = [
    ("unit", re.compile(r"哪些部门|哪个部门|什么部门|哪个单位|哪些单位|谁负责|由谁|找哪|负责部门|牵头|哪个机构|哪家单位|受理部门|谁来|哪个银行|哪家银行")),
    ("amount", re.compile(r"多少钱|补多少|多少[\u4e00-\u9fff]{0,4}?(?:补贴|补助|奖励|资金|资助|费用|万元|元)|(?:补贴|补助|奖励|资助|支持|资金|费用|收费|"
                          r"罚款|金额|保费|手续费|面额|房租|工资|薪酬|贴息)[^，。？?]{0,6}(?:多少|几万|是多少)|"
                          r"金额|多少费|交多少|收多少|给多少|拿多少|补贴标准|奖励标准")),
    ("rate", re.compile(r"比例|百分之|(?:率|占比|增幅|下降|降低|提高)[^，。？?]{0,6}多少|多少%|打几折|几折|多大比例")),
    ("age", re.compile(r"多大年龄|多少岁|几岁|年龄[^，。？?]{0,4}(?:多少|多大|要求)|多大岁数")),
    ("count", re.compile(r"(?:多少|几)\s*(?:个|张|人|户|家|所|辆|项|次|名|间|处|条|台|套|场|级|类|批|栋|座|床|份|位)(?!工作日|月|小时)")),
    ("deadline", re.compile(r"几月|几号|哪天|何时|什么时候|什么时间|截止|哪一年|哪年")),
    ("duration", re.compile(r"多长时间|多久|多少天|几天|多少日|几日|多少个?工作日|几个工作日|期限|时限|多少个月|几个月|多少年|几年|"
                            r"有效期|多长")),
    ("how", re.compile(r"怎么申请|如何申请|怎么办|如何办|怎样申请|申请流程|办理流程|哪些材料|什么材料|准备什么|需要提供|要带|"
                       r"哪些证明|什么证明|怎么领|如何领取|申请方式|手续")),
    ("where", re.compile(r"在哪|哪里|去哪|什么地方|哪儿")),
    ("who", re.compile(r"哪些人|什么人|谁能|谁可以|什么条件|哪些条件|服务对象|哪些老人|哪些企业|适用于|符合条件")),
    ("yesno", re.compile(r"能不能|可不可以|可以[^，。？?]{0,12}吗|能[^，。？?]{0,12}吗|有[^，。？?]{0,10}吗|是否|算不算|符合[^，。？?]{0,8}吗|"
                         r"[^，。？?]{0,8}吗[？?]?$")),
]

# The value a fact kind needs in the answer sentence.
# Some figure: digits, or Chinese numerals with a unit ("一体化" is not a figure).
NUMBER = re.compile(rf"\d+(?:\.\d+)?\s*[\u4e00-\u9fff%％]|[{_CN_NUM}]+\s*(?:个|项|年|月|日|天|人|家|次|所|张|倍|成|万|亿|%)")
AGE = re.compile(rf"{NUM}\s*(?:周岁|岁)")
VALUE = {"age": AGE, "number": NUMBER, "amount": MONEY, "rate": RATE, "deadline": DATE, "duration": DURATION, "unit": AGENCY,
         "how": PROCEDURE, "where": PLACE, "who": CONDITION}

# Measure words a count question names ("多少张床位" → a number before 张).
_COUNT_WORD = re.compile(r"(?:多少|几)\s*(个|张|人|户|家|所|辆|项|次|名|间|处|条|台|套|场|级|类|批|栋|座|床|份|位)")

# Who the question is about (informative: shown in the analysis, used by eligibility).
_GROUPS = {"老人": "老年人", "老年人": "老年人", "我妈": "老年人", "我爸": "老年人", "孩子": "儿童", "儿童": "儿童",
           "学生": "学生", "企业": "企业", "公司": "企业", "驿站": "养老服务驿站", "毕业生": "高校毕业生",
           "失业": "登记失业人员", "残疾": "残疾人", "妇女": "妇女"}

_QUESTION_WORD = re.compile(r"什么|哪|多|几|吗|如何|怎|是否|谁|？|\?")
_BENEFIT_WORD = re.compile(r"奖励|补贴|补助|资助|奖补|贴息")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*(?:年|—|-|–|至|到)")
_PERIOD = re.compile(r"“?(十[一二三四五六七八九]五)”?")
# A figure the question itself gives ("首次突破1亿元", "30分钟政务服务圈"): the answer must be about
# that figure, and the figure itself is not the answer. Ages are the asker's profile, not a subject.
_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|亿元|元|%|％|个工作日|工作日|分钟|小时|平方米|个月|天|日|人次|人|张|个|家|项|次)")


@dataclass(slots=True)
class Question:
    """What a question asks, as the composer and the abstention rules read it."""

    text: str
    fact: str  # amount | rate | count | deadline | duration | unit | how | where | who | yesno | what
    facts: list[str] = field(default_factory=list)  # every kind asked (multi-part questions)
    years: list[int] = field(default_factory=list)  # years named (2023年, 2018—2020年 → both ends)
    periods: list[str] = field(default_factory=list)  # 五年规划 periods named (十四五)
    places: list[str] = field(default_factory=list)  # districts named, full form (西城区)
    groups: list[str] = field(default_factory=list)  # who it is about (老年人, 企业 …)
    figures: list[str] = field(default_factory=list)  # figures the question gives itself
    count_word: str | None = None  # the measure word of a count question (张)
    eligibility: bool = False  # "能享受吗 / 能用吗 / 有补贴吗" about the asker's own situation
    cues: list[str] = field(default_factory=list)  # the question words matched ("什么时候"): not subjects
    before_cue: str = ""  # the question's text up to the first cue of the main kind ("…开业")
    nouns: set[str] = field(default_factory=set)  # words tagged as nouns (subjects are nouns)
    tags: dict[str, str] = field(default_factory=dict)  # part of speech of the question's words

    def needs(self, kind: str | None = None) -> re.Pattern | None:
        """The pattern an answer sentence must match to state the asked fact (None: any)."""
        kind = kind or self.fact
        if kind == "unit" and re.search(r"哪个银行|哪家银行", self.text):
            return re.compile(r"银行")
        if kind == "deadline" and re.search(r"哪一年|哪年", self.text):
            return YEAR_VALUE
        if kind == "duration":
            for cue, pat in _DURATION_UNITS:
                if cue.search(self.text):
                    return pat
        if kind == "count":
            w = re.escape(self.count_word) if self.count_word else "[个张人户家所辆项次名间处条台套场]"
            return re.compile(rf"{NUM}\s*{w}")
        return VALUE.get(kind)

    def to_dict(self) -> dict:
        return {"fact": self.fact, "facts": self.facts, "years": self.years, "periods": self.periods,
                "places": self.places, "groups": self.groups, "figures": self.figures,
                "eligibility": self.eligibility}


def _years(text: str) -> list[int]:
    out = [int(y) for y in _YEAR.findall(text)]
    return sorted(set(out))


def district_of(name: str) -> str:
    """西城 → 西城区 (full form of a district mention)."""
    return name if name.endswith("区") else name + "区"


def analyze(question: str) -> Question:
    """Read a question: asked fact kinds, years, periods, districts, groups, figures."""
    import unicodedata
    q = unicodedata.normalize("NFKC", question).strip()
    # Kinds in the order the question asks them: the first one asked must be stated by the answer.
    found = sorted((m.start(), kind) for kind, pat in _ASK for m in [pat.search(q)] if m)
    cues = [m.group(0) for _kind, pat in _ASK for m in pat.finditer(q)]
    facts = list(dict.fromkeys(kind for _pos, kind in found))
    if not facts and re.search(r"多少|几", q):
        facts = ["number"]  # "托位数要达到多少": some figure, of whatever unit
    main = facts[0] if facts else "what"
    if "rate" in facts and re.search(r"比例|几折|百分之", q):
        main = "rate"  # "贴息的比例是多少": a share, not a sum
    if main in ("what", "number") and _BENEFIT_WORD.search(q) and not _QUESTION_WORD.search(q):
        main = "amount"  # keyword queries "北交所上市 奖励 西城": the sum is what is sought
    if main in ("yesno", "who") and len(facts) > 1 and facts[1] not in ("yesno", "who"):
        main = facts[1]  # "能用吗？一次补贴多少钱？": the figure is what must be stated
    m = _COUNT_WORD.search(q)
    groups = sorted({g for k, g in _GROUPS.items() if k in q})
    tags = _tagger().tag(q)
    personal = bool(re.search(r"我|我们|我家|我妈|我爸|孩子|本人|家里", q))
    eligibility = "yesno" in facts and personal
    return Question(
        text=q, fact=main, facts=facts or ["what"], years=_years(q), periods=sorted(set(_PERIOD.findall(q))),
        places=sorted({district_of(x) for x in _DISTRICT_RE.findall(q)}), groups=groups,
        figures=[f for f in _FIGURE.findall(q) if not re.search(r"岁", f)],
        count_word=m.group(1) if m else None, eligibility=eligibility, cues=cues,
        before_cue=_before_cue(q, main, dict(_ASK).get(facts[0]) if facts else None),
        nouns={w for w, tag in tags if tag.startswith("n") and len(w) >= 2}, tags=dict(tags))


def _before_cue(q: str, main: str, first_pat: re.Pattern | None) -> str:
    """The clause of the question right before the cue of the asked kind ("开业多长时间" → "开业")."""
    pat = dict(_ASK).get(main) or first_pat
    m = pat.search(q) if pat else None
    if m is None:
        return ""
    head = re.split(r"[，。？！,.?!；;]", q[:m.start()])[-1]
    return head


_TAGGER = None


def _tagger():
    """rjieba's part-of-speech tagger (its own dictionary): loaded once, on first question."""
    global _TAGGER
    if _TAGGER is None:
        import rjieba
        _TAGGER = rjieba.Jieba()
    return _TAGGER
