"""Hand-labelled own gold for issue 10 (benefits + cases), written by reading the texts.

Documents (none is covered by shared/eval/dev): xicheng-gazette-2022.txt 西人社发〔2022〕8号 and
西民发〔2022〕3号; beijing-private-enterprise-policies-2021q4.txt 北京市关于促进“专精特新”中小企业高质量
发展的若干措施 and 北京市关于应对疫情防控常态化促进中小企业健康发展若干措施; content_5345808.htm
(国发〔2018〕39号, national). Run ``python make_gold.py`` to rewrite benefits.jsonl / cases.jsonl.
"""

import json
from pathlib import Path

X, P, G = "xicheng-gazette-2022.txt", "beijing-private-enterprise-policies-2021q4.txt", "content_5345808.htm"
JOB, POST = "西人社发〔2022〕8号", "西民发〔2022〕3号"
B = [
    # 西人社发〔2022〕8号 落实就业工作若干措施的实施细则 (xicheng-gazette-2022.txt:4197-4720)
    ("a01", X, JOB, "岗位补贴标准为本市全口径城镇单位就业人员平均工资的70%", "organization", None, None,
     ["本区社会公益性就业组织", "安置就业困难人员"]),
    ("a02", X, JOB, "依次按照每人每年6000元、9000元、1.2万元标准申请岗位补贴", "enterprise", 12000, "per year",
     ["用人单位", "招用本区户籍登记失业人员等并稳定就业"]),
    ("a03", X, JOB, "依次按照每年6000元、9000元、1.2万元标准申请就业奖励", "person", 12000, "per year",
     ["本区户籍", "登记失业人员/应届高校毕业生/退役士兵等", "不含低保登记失业人员", "实现稳定就业"]),
    ("a04", X, JOB, "按照每人每月2000元标准，申请不超过一年的见习生活补贴", "person", 2000, "per month",
     ["本区户籍毕业2年内未就业", "参加就业见习"]),
    ("a05", X, JOB, "按照每人每月2000元的标准申请就业奖励", "person", 2000, "per month",
     ["本区户籍", "低保", "登记失业人员", "实现就业"]),
    ("a06", X, JOB, "按照每年实际房租金额申请补贴，最高不超过4万元", "person", 40000, "per year",
     ["本区户籍劳动力", "实现创业", "在本区注册经营一年以上"]),
    ("a07", X, JOB, "每人每年可在本区定点培训机构享受一次免费创业培训或技能培训", "person", None, "per year",
     ["法定劳动年龄内", "未在用人单位就业", "本区户籍"]),
    ("a08", X, JOB, "个人可申请1000元培训补贴", "person", 1000, "one-off", ["获得《创业合格证书》"]),
    ("a09", X, JOB, "个人可申请1万元一次性创业补助", "person", 10000, "one-off", ["通过创业培训成功创业", "正常经营一年以上"]),
    ("a11", X, JOB, "按照每人200元标准申请职业培训补贴", "enterprise", 200, "per person",
     ["在本区经营、参保、纳税的企业", "线上培训不低于40课时"]),
    ("a12", X, JOB, "5000人(含)以上,可申请一次性培训补贴10万元", "organization", 100000, "one-off",
     ["取得本区职业技能培训资质的培训机构", "年度培训规模1000人以上（分档3万/5万/10万）"]),
    ("a13", X, JOB, "可按照10万元标准申请一次性补贴", "enterprise", 100000, "one-off",
     ["在本区经营、参保、纳税的企业", "建立技能大师工作室、技能人才实训基地"]),
    ("a14", X, JOB, "分别按照每人2000元、2500元、3000元标准申请职业培训补贴", "enterprise", 3000, "per person",
     ["在本区经营、参保、纳税的企业", "培养出高技能人才（高级工/技师/高级技师分档）"]),
    ("a15", X, JOB, "按照每人1万元标准申请一次性补贴", "enterprise", 10000, "per person",
     ["在本区经营、参保、纳税的企业", "招用非本区参保缴费的高技能人才"]),
    ("a16", X, JOB, "按照每人每年5000元标准申请工资性补贴", "enterprise", 5000, "per year",
     ["货币性工资收入同比增幅5%以上", "最长三年"]),
    ("a17", X, JOB, "企业按照5万元标准申请一次性竞赛补贴", "enterprise", 50000, "one-off",
     ["职工取得国家级（5万）/市级（3万）竞赛前三名"]),
    ("a18", X, JOB, "规模在100人以上(含)的,可申请5万元技能竞赛补贴", "enterprise", 50000, "one-off",
     ["本区企业、行业协会、商会", "开展区级职业技能竞赛（分档2万/3万/5万）"]),
    ("a19", X, JOB, "主办单位可申请5万元展示活动补贴", "enterprise", 50000, "one-off",
     ["本区企业、行业协会、商会", "举办高技能人才成果展示活动"]),
    ("a20", X, JOB, "按照每人1000元标准申请职业介绍补贴", "organization", 1000, "per person",
     ["本区经营性人力资源服务机构", "推荐本区户籍登记失业人员就业6个月以上"]),
    ("a21", X, JOB, "按照服务费的10%申请人才服务奖励", "organization", None, None,
     ["本区经营性人力资源服务机构", "成功推荐年薪60万元以上高级人才"]),
    ("a22", X, JOB, "同时用人单位可按照服务费的10%申请人才引进补贴", "enterprise", None, None,
     ["在本区纳税的用人单位", "引进高级人才"]),
    # 西民发〔2022〕3号 社区养老服务驿站运营扶持办法 (xicheng-gazette-2022.txt:3301-3480)
    ("b01", X, POST, "基本养老服务对象与驿站签订服务协议，方可无偿享受基本养老服务", "person", None, None,
     ["北京市户籍老年人", "特困 / 低保低收入家庭的失能失智高龄 / 计生特殊家庭 / 其他家庭失能失智重度残疾"]),
    ("b02", X, POST, "驿站按照实际签约服务的基本养老服务对象人数，每人每月给予180元补贴", "organization", 180,
     "per person per month", ["驿站", "服务质量星级一星级及以上（第二十五条）"]),
    ("b03", X, POST, "被评定为三星级及以上的驿站，每家每月增加3000元补贴", "organization", 3000, "per month",
     ["驿站", "三星级及以上（二星级2000元）"]),
    ("b04", X, POST, "短期托养每人每天给予30元的托养补贴", "organization", 30, "per day", ["驿站", "开展托老服务"]),
    ("b05", X, POST, "每年租金补贴不超过60万元", "organization", 600000, "per year", ["社会力量建设运营驿站", "运营满一年"]),
    ("b06", X, POST, "按照审定金额的50%予以一次性进行资助", "organization", 300000, "one-off",
     ["驿站装修改造和购买设施设备", "最高不超过30万元"]),
    ("b07", X, POST, "每新增1家连锁运营驿站的，给予5万元的一次性补贴", "organization", 50000, "one-off", ["品牌连锁运营"]),
    ("b08", X, POST, "落实用电、用水、用气、用热享受居民价格政策", "organization", None, None, ["在区民政部门备案为养老服务机构"]),
    # 北京市关于促进“专精特新”中小企业高质量发展的若干措施 (beijing-private-enterprise-policies-2021q4.txt:2812-3125)
    ("c01", P, None, "第二至三年支持金额最高不超过500万元", "enterprise", 5000000, "per year", ["专精特新", "颠覆性技术和前沿技术项目"]),
    ("c02", P, None, "对符合条件的项目给予最高3000万元的奖励", "enterprise", 30000000, "per project", ["专精特新", "技术改造项目"]),
    ("c03", P, None, "为企业免费开展智能、绿色诊断评估", "enterprise", None, None, ["国家和市级专精特新中小企业及小巨人企业"]),
    ("c04", P, None, "符合条件的改造项目给予最高5000万元固定资产投资补助或贴息支持", "enterprise", 50000000, "per project",
     ["专精特新", "老旧厂房改造"]),
    ("c06", P, None, "对迁入本市的国家级专精特新“小巨人”企业给予一次性奖励", "enterprise", None, "one-off", ["国家级小巨人", "迁入本市"]),
    ("c07", P, None, "根据项目投入给予最高5000万元支持", "enterprise", 50000000, "per project", ["揭榜攻关和样机研发"]),
    ("c08", P, None, "每年给予最高1000万元补贴", "enterprise", 10000000, "per year", ["融资租赁购置设备"]),
    ("c09", P, None, "在新三板挂牌并给予资金补贴", "enterprise", None, None, ["专精特新", "新三板挂牌"]),
    ("c10", P, None, "市级财政按规定给予每家总额不超过300万元的资金", "enterprise", 3000000, "per firm",
     ["专精特新", "A股或境外主要证券交易所上市"]),
    ("c11", P, None, "贷款贴息给予不超过3年、每年最高500万元支持", "enterprise", 5000000, "per year", ["一带一路新设或并购"]),
    ("c12", P, None, "按照实际发生费用给予最高70%的资金支持", "enterprise", None, None, ["开展外贸业务", "参加国际性展会"]),
    ("c13", P, None, "给予200万元奖励，单个企业年奖励额不超过1000万元", "enterprise", 2000000, "each time", ["国际注册药品医疗器械"]),
    # 北京市关于应对疫情防控常态化促进中小企业健康发展若干措施 (beijing-private-enterprise-policies-2021q4.txt:1305-1612)
    ("e01", P, None, "继续将小规模纳税人免征增值税优惠政策", "enterprise", None, None, ["小规模纳税人", "在京注册的中小企业"]),
    ("e03", P, None, "将制造业企业研发费用加计扣除比例提高到100%", "enterprise", None, None, ["制造业", "在京注册的中小企业"]),
    ("e04", P, None, "免征进口关税和进口环节增值税、消费税", "enterprise", None, None, ["符合条件的中小企业", "进口科研用品"]),
    ("e05", P, None, "鼓励辖内商业银行对小微企业免收全部单位结算账户管理费和年费", "enterprise", None, None, ["小微企业"]),
    ("e07", P, None, "辖内银行卡清算机构免收小微企业卡、单位结算卡跨行转账汇款手续费", "enterprise", None, None, ["小微企业"]),
    ("e08", P, None, "并给予不超过贷款额2%的贴息支持", "enterprise", None, None, ["科技型小微企业", "京创融贷款"]),
    ("e09", P, None, "对小微企业信用贷款和知识产权质押融资给予贴息支持", "enterprise", None, None, ["小微企业", "信用贷款"]),
    ("e10", P, None, "对上市企业、新三板挂牌企业予以资金奖励", "enterprise", None, None, ["上市或新三板挂牌", "在京注册的中小企业"]),
    # 国发〔2018〕39号 关于做好当前和今后一个时期促进就业工作的若干意见 (content_5345808.htm, national)
    ("d01", G, "国发〔2018〕39号", "可返还其上年度实际缴纳失业保险费的50%", "enterprise", None, None, ["参保企业", "不裁员或少裁员"]),
    ("d02", G, "国发〔2018〕39号", "优先为符合条件的小微企业提供低费率的担保支持", "enterprise", None, None, ["符合条件的小微企业"]),
    ("d03", G, "国发〔2018〕39号", "可申请最高不超过15万元的创业担保贷款", "person", 150000, None, ["符合创业担保贷款申请条件", "自主创业"]),
    ("d04", G, "国发〔2018〕39号", "可申请最高不超过300万元的创业担保贷款", "enterprise", 3000000, None,
     ["小微企业", "新招用符合条件人员达到25%"]),
    ("d05", G, "国发〔2018〕39号", "对创业孵化基地给予一定奖补", "organization", None, None, ["创业孵化基地"]),
    ("d06", G, "国发〔2018〕39号", "为失业人员自主创业免费提供经营场地", "person", None, None, ["失业人员", "自主创业", "稳定就业压力较大地区"]),
    ("d07", G, "国发〔2018〕39号", "按规定给予就业见习补贴", "person", None, None, ["离校未就业高校毕业生、16—24岁失业青年", "参加就业见习"]),
    ("d08", G, "国发〔2018〕39号", "对培训合格的失业人员给予职业培训补贴", "person", None, None, ["失业人员", "培训合格"]),
    ("d09", G, "国发〔2018〕39号", "对其中就业困难人员和零就业家庭成员在培训期间再给予生活费补贴", "person", None, "per year",
     ["就业困难人员和零就业家庭成员", "培训期间"]),
    ("d10", G, "国发〔2018〕39号", "可在参保地申请技术技能提升补贴", "person", None, None, ["参保1年以上", "取得职业资格证书"]),
    ("d11", G, "国发〔2018〕39号", "由失业保险基金发放失业保险金", "person", None, None, ["符合条件的失业人员"]),
    ("d12", G, "国发〔2018〕39号", "对符合条件的生活困难下岗失业人员，给予临时生活补助", "person", None, None, ["生活困难下岗失业人员"]),
]

PERSON = [b[0] for b in B if b[4] == "person"]
FIRM = [b[0] for b in B if b[4] == "enterprise"]
ORG = [b[0] for b in B if b[4] == "organization"]
XJOB = [b[0] for b in B if b[2] == JOB]
XPOST = [b[0] for b in B if b[2] == POST]
JOB_PERSON = [i for i in XJOB if i in PERSON]
BJ = [b[0] for b in B if b[1] == P]  # city documents (Beijing)


def case(cid, profile, eligible, ineligible):
    inel = [i for i in dict.fromkeys(ineligible) if i not in eligible]
    return {"id": cid, "profile": profile, "eligible": eligible, "ineligible": inel}


def person(**kw):
    return {"kind": "person", **kw}


def firm(**kw):
    return {"kind": "enterprise", **kw}


def org(**kw):
    return {"kind": "organization", **kw}


C = [
    # people: 免费培训 a07 (西城户籍, 法定劳动年龄内, 未就业); 基本养老服务 b01 (北京户籍老年人 + 身份)
    case("k01", person(age=35, hukou="西城区", residence_district="西城区", employment="registered-unemployed",
                       assistance=[], disability="none"), ["a07"], FIRM + ORG + ["a05", "b01"]),
    case("k02", person(age=35, hukou="海淀区", residence_district="海淀区", employment="registered-unemployed",
                       assistance=[]), [], FIRM + ORG + JOB_PERSON + ["b01"]),
    case("k03", person(age=45, hukou="西城区", residence_district="西城区", employment="employed", assistance=[],
                       disability="none"), [], FIRM + ORG + ["a07", "a05", "b01"]),
    case("k04", person(age=66, hukou="西城区", residence_district="西城区", employment="registered-unemployed",
                       assistance=[], disability="none", lives_alone=False), [], FIRM + ORG + ["a07", "a05"]),
    case("k05", person(age=85, hukou="西城区", residence_district="西城区", assistance=["低保"]), ["b01"],
         FIRM + ORG + ["a07"]),
    case("k06", person(age=70, hukou="西城区", residence_district="西城区", assistance=["特困"]), ["b01"], FIRM + ORG),
    case("k07", person(age=72, hukou="北京市", residence_district="西城区", assistance=["计生特扶"]), ["b01"],
         FIRM + ORG + JOB_PERSON),
    case("k08", person(age=70, hukou="外地", residence_district="西城区", assistance=["特困"]), [],
         FIRM + ORG + JOB_PERSON + ["b01"]),
    case("k09", person(age=75, hukou="西城区", residence_district="西城区", assistance=[], disability="severe"),
         ["b01"], FIRM + ORG + ["a07", "a05"]),
    case("k10", person(age=22, hukou="西城区", residence_district="西城区", employment="new-graduate",
                       graduation_year=2022, assistance=[]), ["a07"], FIRM + ORG + ["a05", "b01"]),
    case("k11", person(age=90, hukou="北京市", residence_district="西城区", assistance=["低收入"]), ["b01"],
         FIRM + ORG + JOB_PERSON),
    case("k12", person(age=40, hukou="西城区", residence_district="西城区", employment="employed", assistance=[],
                       disability="none", lives_alone=False), [], FIRM + ORG + ["a07", "a05", "b01"]),
    case("k13", person(age=30, hukou="外地", residence_district="西城区", employment="registered-unemployed",
                       assistance=[]), [], FIRM + ORG + JOB_PERSON + ["b01"]),
    # firms: 专精特新 scope (c*), 中小企业 scope (e*), listing venues
    case("f01", firm(district="海淀区", size="small", certifications=["专精特新中小企业"], listing="新三板",
                     industries=["制造业"], taxpayer="small-scale"),
         ["c03", "c09", "e01", "e03", "e05", "e07", "e10"], PERSON + ORG + ["c10"] + XJOB),
    case("f02", firm(district="朝阳区", size="medium", certifications=[], listing="none",
                     industries=["软件和信息技术服务业"], taxpayer="general"), [],
         PERSON + ORG + ["c03", "c09", "c10", "e01", "e03", "e05", "e07", "e10"] + XJOB),
    case("f03", firm(district="西城区", size="medium", certifications=["专精特新小巨人"], listing="A股",
                     industries=["生物医药"], taxpayer="general"), ["c03", "c10", "e10"],
         PERSON + ORG + ["c09", "e01", "e03", "e05", "e07"]),
    case("f04", firm(district="东城区", size="large", certifications=["高新技术企业"], listing="境外",
                     industries=["制造业"], taxpayer="general"), [],
         PERSON + ORG + ["c03", "c09", "c10", "e01", "e03", "e05", "e07", "e10"] + XJOB),
    case("f05", firm(registered_in_beijing=False, size="small", certifications=["专精特新中小企业"], listing="新三板",
                     industries=["制造业"], taxpayer="small-scale"), [],
         PERSON + ORG + BJ + XJOB),
    case("f06", firm(district="西城区", size="micro", certifications=[], listing="none", industries=["制造业"],
                     taxpayer="small-scale"), ["e01", "e03", "e05", "e07"], PERSON + ORG + ["c03", "c09", "c10", "e10"]),
    case("f07", firm(district="海淀区", size="small", certifications=["专精特新中小企业"], listing="北交所",
                     industries=["软件和信息技术服务业"], taxpayer="general"), ["c03", "e05", "e07", "e10"],
         PERSON + ORG + ["c09", "c10", "e01", "e03"] + XJOB),
    case("f08", firm(district="海淀区", size="small", certifications=["创新型中小企业"], listing="none",
                     taxpayer="general"), ["e05", "e07"], PERSON + ORG + ["c03", "c09", "c10", "e01", "e10"] + XJOB),
    case("f09", firm(district="通州区", size="small", certifications=["专精特新中小企业"], listing="none",
                     industries=["制造业"], taxpayer="small-scale"), ["c03", "e01", "e03", "e05", "e07"],
         PERSON + ORG + ["c09", "c10", "e10"] + XJOB),
    case("f10", firm(district="西城区", size="large", certifications=["高新技术企业"], listing="A股",
                     taxpayer="general"), [], PERSON + ORG + ["c03", "c09", "c10", "e01", "e05", "e07", "e10"]),
    case("f11", firm(district="丰台区", size="micro", certifications=[], listing="新三板", taxpayer="general"),
         ["e05", "e07", "e10"], PERSON + ORG + ["c03", "c09", "c10", "e01"] + XJOB),
    case("f12", firm(district="西城区", size="small", certifications=["专精特新小巨人"], listing="none",
                     taxpayer="general"), ["c03", "e05", "e07"], PERSON + ORG + ["c09", "c10", "e10", "e01"]),
    # organisations: 驿站 (b02-b08), 培训机构 (a12), 人力资源服务机构 (a20, a21)
    case("o01", org(org_type="养老服务驿站", district="西城区"), [], PERSON + FIRM + ["a01", "a12", "a20", "a21"]),
    case("o02", org(org_type="养老服务驿站", district="朝阳区"), [], PERSON + FIRM + XPOST + ["a12", "a20", "a21"]),
    case("o03", org(org_type="人力资源服务机构", district="西城区"), [], PERSON + FIRM + XPOST + ["a12"]),
    case("o04", org(org_type="培训机构", district="西城区"), [], PERSON + FIRM + XPOST + ["a20", "a21"]),
    case("o05", org(org_type="行业协会", district="西城区"), [],
         PERSON + [i for i in FIRM if i not in ("a18", "a19")] + XPOST + ["a12", "a20", "a21"]),
    case("o06", org(org_type="托育机构", district="海淀区"), [], PERSON + FIRM + XPOST + ["a12", "a20", "a21", "a01"]),
]

if __name__ == "__main__":
    here = Path(__file__).parent
    with open(here / "benefits.jsonl", "w", encoding="utf-8") as f:
        for bid, src, dn, quote, who, amt, per, conds in B:
            f.write(json.dumps({"id": bid, "source": src, "doc_number": dn, "quote": quote, "beneficiary": who,
                                "amount_max_yuan": amt, "amount_per": per, "conditions": conds},
                               ensure_ascii=False) + "\n")
    with open(here / "cases.jsonl", "w", encoding="utf-8") as f:
        for c in C:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    print(len(B), "benefits", len(C), "cases", sum(len(c["eligible"]) for c in C), "eligible pairs")
