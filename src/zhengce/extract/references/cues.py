"""Relation cues as data: which words around a mention say how a document relates to another.

A relation is read from the verb that governs the mention inside its clause (the text between
，。；！？ outside brackets): the word right after a mention or a list of mentions wins ("…》同时废止",
"…》印发给你们", "…》修订工作"), else the last cue word before it in the clause ("依据《A》《B》"), else
``cites``. Each pattern names the corpus case that motivated it; order matters (first match wins).
"""

from __future__ import annotations

import re

RELATIONS = ("repeals", "amends", "replaces", "basis", "implements", "issues", "forwards", "cites")

RELATION_LABELS = {
    "repeals": "废止", "amends": "修订", "replaces": "代替", "basis": "依据", "implements": "落实",
    "issues": "印发", "forwards": "转发", "cites": "引用",
}

# Cues right AFTER a mention (or the last mention of a list), allowing a few linking characters.
AFTER: list[tuple[str, re.Pattern[str]]] = [
    # xicheng-gazette-2022.txt:4030 "…(西教发〔2021〕2号)同时废止"; :3226 "…(西民发[2018]27号)文件废止";
    # beijing-private-enterprise-policies-2021q4.txt:1640 "一律停止执行"; "宣布失效" decisions.
    # "《X》(…)自本决定发布之日起废止" (decisions that repeal a list of documents).
    ("repeals", re.compile(r"^(?:等|等文件|文件|等\d+件文件)?(?:自[^,，。;；]{1,24}?起)?(?:同时|一并|即行|予以|相应)?"
                           r"(?:废止|停止执行|不再执行|作废|失效)")),
    # "本办法代替《X》" is a before-cue; "《X》同时被代替" rare, but "(…)同时代替" appears in standards.
    ("replaces", re.compile(r"^(?:同时)?(?:被)?(?:代替|替代|取代)")),
    # beijing-gazette-2022-05.txt:649 "推进《北京市未成年人保护条例》修订工作";
    # govcn content_5354526 "提出对《国有资产评估管理办法》的修订建议"; "对《X》作如下修改".
    ("amends", re.compile(r"^(?:的|进行|作(?:如下|以下)?|作出)?(?:修订|修改|修正)(?!后)")),
    # "将《X》第九条(第二款)中的…修改为…", "删去《X》第三条" — decisions amending regulations article by article.
    ("amends", re.compile(r"^(?:第[一二三四五六七八九十百零\d]+条)?(?:第[一二三四五六七八九十\d]+款)?(?:第[一二三四五六七八九十\d]+项)?"
                          r"(?:中的?[^。;；]{0,40}?)?(?:修改为|修订为|删去|删除|予以删除|增加一[条款项])")),
    # "现将《X》印发给你们" (every wrapping notice); govcn content_5338761 "《X》已经国务院领导同志同意，现印发给你们".
    # 京人社劳发〔2021〕46号 "拟定了《…的意见》(试行)，现印发你们" (the 试行 outside the 《》).
    ("issues", re.compile(r"^(?:\((?:试行|暂行|修订|\d{4}年修订)\))?(?:已经[^,，。]{0,16}同意)?[,，]?(?:现予?|特此)?"
                          r"(?:印发给|印发你们|发给你们|予以印发|予以发布|予以公布)")),
    # govcn content_5345291 "国家地震局《关于…的报告》已经国务院同意，现转发给你们".
    ("forwards", re.compile(r"^(?:已经[^,，。]{0,16}同意)?[,，]?现?(?:转发给|转发你们)")),
    # "《X》的实施细则/实施办法/实施意见" (a document that is X's implementing rules).
    ("implements", re.compile(r"^的?(?:实施细则|实施办法|实施意见|实施方案)")),
    # govcn content_5345291 "做好《…条例》和《…预案》的落实工作" (the verb as a noun after the list).
    ("implements", re.compile(r"^的?(?:贯彻落实|贯彻|落实|实施|执行)(?:工作|情况)")),
    # xicheng-gazette-2022.txt:1873 "以《未成年人保护法》为根本遵循"; :1561 "以《A》《B》为基本遵循";
    # beijing-private-enterprise-policies-2021q4.txt:5493 "以《…》(京社保发〔2021〕11号)为准".
    ("basis", re.compile(r"^(?:等|等文件)?为(?:根本|基本|重要)?(?:遵循|指引|指导|依据|准|准绳)")),
]

# Cues BEFORE a mention in the same clause; the last one before the mention governs it.
# "修订后的《X》" / "修订的《X》" is an adjective (西政办发〔2022〕2号 "落实修订的《…目录》"), not a verb.
BEFORE: list[tuple[str, re.Pattern[str]]] = [
    ("repeals", re.compile(r"废止|停止执行|不再执行|宣布失效")),  # govcn content_5342665 "不再执行《…规定》中…"
    ("replaces", re.compile(r"代替|替代|取代")),
    ("amends", re.compile(r"修订(?!后?的)|修改(?!后?的)|修正(?!后?的)")),  # beijing-business-environment-plan-2021.txt:388
    ("forwards", re.compile(r"转发")),
    # basis: dev xicheng "依据《…实施意见》"; 按照/依照/根据 throughout; "参照联合国《…公约》";
    # govcn content_5360002 "严格遵循《…城乡规划法》"; "认真执行《…》"; xicheng:4714 "按《实施意见》提出申请".
    # (the look-behinds stand after the first character — "执(?<!停止执)(?<!不再执)行" is "(?<!停止)(?<!不再)执行" —
    # so every alternative starts with a plain character and the regex engine can skip to the next one)
    ("basis", re.compile(r"根据|依据|按照|依照|遵照|参照|参考|比照|遵循|执(?<!停止执)(?<!不再执)行|按(?=《)|适用(?=《)")),
    # implements: "落实《…》", "贯彻《…》", "深入实施《…》", "践行《…》" (beijing-gazette-2022-05.txt:378).
    ("implements", re.compile(r"落实|贯彻|实(?<!颁布实)施(?!意见|方案|细则|办法)|践行")),
    # Verbs that make or mention a document without taking it as basis reset the clause to ``cites``:
    # beijing-business-environment-plan-2021.txt:216 "集中修订出台《…条例》" (a past revision, reported);
    # xicheng-gazette-2022.txt:1130 "制定了《…工作方案(试行)》"; "加强对《…法》…的宣传".
    ("cites", re.compile(r"制定|制订|编制|出台|颁布|起草|宣传|解读|印发|发布|公布|结合|符合")),
]

# Publishing verbs: a neutral "cites" for another body's act ("党中央、国务院印发《…》"), but for the
# document's own text ("现公布修订后的《…条例》", govcn content_5351177.htm) they are ``issues``.
PUBLISH = re.compile(r"印发|发布|公布|颁布")

# An intro that makes every mention in the list below it one relation: "现决定废止下列文件：",
# "失效的行政规范性文件目录" (beijing-private-enterprise-policies-2021q4.txt:1640), "对下列规章作如下修改：".
LIST_INTRO: list[tuple[str, re.Pattern[str]]] = [
    ("repeals", re.compile(r"(?:下列|以下|如下)[^。]{0,30}(?:废止|停止执行|失效)|(?:废止|失效|停止执行)的[^。,，]{0,24}"
                           r"(?:目录|清单|名单|文件)|(?:予以|决定|宣布)(?:废止|失效)[^。]{0,12}[:：]$")),
    ("amends", re.compile(r"(?:下列|以下|如下)[^。]{0,30}(?:修改|修订)|作如下修改|修改如下")),
]

# A 《…》 that ends like these names a document; forms and certificates (《开户许可证》,
# 《西城区就业见习生活补贴申请表》, xicheng-gazette-2022.txt:4315) are not references.
DOC_WORDS = ("法", "条例", "公约", "标准", "规范", "纲要", "目录", "协定", "协议", "议程", "安排", "宪章",
             "准则", "通则", "要求", "纪要", "名录",
             "请示", "建议", "答复", "复函", "议案", "提案")  # govcn content_5345440 "《关于…的请示》收悉"
NOT_DOC = re.compile(r"(?:申请表|申请书|审批表|登记表|花名册|承诺书|委托书|许可证|登记证|证书|证明|执照|"
                     r"核定表|受理单|记录|协议书|服务协议|合同|通知书|批准书|采集表|居住证|身份证|证)$")
