"""Plausible Chinese government text: titles, article bodies, messages and guides.

Everything is drawn from a ``random.Random`` handed in by the caller, so the same
seed always writes the same words.
"""

from __future__ import annotations

import random
from datetime import date

TOPICS: tuple[str, ...] = (
    "安全生产",
    "优化营商环境",
    "乡村振兴",
    "生态环境保护",
    "防汛抗旱",
    "数字政府建设",
    "义务教育",
    "就业创业",
    "医疗保障",
    "森林防火",
    "科技创新",
    "政务公开",
    "河湖长制",
    "城乡环境整治",
    "冬春季疫病防控",
    "农村人居环境",
    "民生实事",
    "信访工作",
    "消防安全",
    "粮食安全",
    "养老服务",
    "招商引资",
    "文明城市创建",
    "食品药品安全",
)

#: Fixed official phrases (规范表述) written correctly in generated text. The wording
#: defect swaps one of them for a known miswriting from ``MISWRITINGS``.
PHRASES: tuple[str, ...] = (
    "社会主义核心价值观",
    "全面从严治党",
    "不忘初心、牢记使命",
    "中华民族伟大复兴",
    "党风廉政建设",
    "实事求是",
    "全面依法治国",
    "以人民为中心",
)

#: Miswritings of fixed phrases seen in bulletins' 严重表述错误 cases (correct -> wrong).
MISWRITINGS: dict[str, str] = {
    "社会主义核心价值观": "社会主义核心价值规",
    "全面从严治党": "全面从严治档",
    "不忘初心、牢记使命": "不忘初心、牢记史命",
    "中华民族伟大复兴": "中华民族伟大复新",
    "党风廉政建设": "党风廉正建设",
    "实事求是": "实是求是",
    "全面依法治国": "全面依法制国",
    "以人民为中心": "以人民为重心",
}

_NEWS_TITLES = (
    "{org}召开{topic}工作推进会",
    "{org}部署{topic}重点工作",
    "{org}主要负责同志调研{topic}工作",
    "{place}{topic}工作取得阶段性成效",
    "{org}举办{topic}专题培训班",
    "{org}开展{topic}专项督查",
    "{place}召开{topic}联席会议",
    "{org}传达学习全省{topic}会议精神",
)
_NOTICE_TITLES = (
    "关于开展{year}年{topic}专项检查的通知",
    "关于做好{topic}有关工作的通知",
    "关于{year}年{topic}项目申报的公告",
    "关于征集{topic}意见建议的公告",
    "{org}关于{topic}工作的提示",
)
_POLICY_TITLES = (
    "{org}关于印发《{place}{topic}实施方案》的通知",
    "{org}关于进一步加强{topic}工作的意见",
    "{org}关于印发《{topic}管理办法》的通知",
    "{org}关于推进{topic}高质量发展的若干措施",
)
_INTERPRETATION_TITLES = (
    "《关于进一步加强{topic}工作的意见》政策解读",
    "图解：{place}{topic}实施方案",
    "一图读懂《{topic}管理办法》",
    "《{place}{topic}若干措施》解读",
)
_PERSONNEL_TITLES = (
    "{org}{year}年公开招聘工作人员公告",
    "{org}干部任前公示",
    "{org}{year}年公开遴选公务员拟遴选人员名单公示",
    "{org}关于工作人员职务任免的通知",
)
_PLAN_TITLES = (
    "{org}{year}年工作要点",
    "{place}{topic}“十四五”规划",
    "{org}{year}年工作总结和下一年工作计划",
    "{place}{topic}三年行动计划",
)
_OTHER_TITLES = (
    "{org}{year}年部门预算公开说明",
    "{org}{year}年{topic}统计数据",
    "{org}{year}年重点工作进展情况",
    "关于{topic}情况的报告",
)
_FORM_TITLES = (
    "{topic}申请表",
    "{topic}项目申报书（模板）",
    "{topic}情况登记表",
)
_INTERACTION_TITLES = (
    "{place}{topic}问卷调查",
    "关于《{topic}管理办法（征求意见稿）》公开征求意见",
    "在线访谈：{topic}工作答网友问",
)

TITLES_BY_CLASS: dict[str, tuple[str, ...]] = {
    "news": _NEWS_TITLES,
    "notice": _NOTICE_TITLES,
    "policy": _POLICY_TITLES,
    "interpretation": _INTERPRETATION_TITLES,
    "personnel": _PERSONNEL_TITLES,
    "plan": _PLAN_TITLES,
    "other": _OTHER_TITLES,
    "service": _FORM_TITLES,
    "interaction": _INTERACTION_TITLES,
}

_SENTENCES = (
    "会议强调，要坚持{phrase}，把{topic}摆在更加突出的位置。",
    "{date}，{org}组织召开专题会议，研究部署{topic}相关工作。",
    "各地各部门要进一步提高政治站位，坚持{phrase}，压紧压实工作责任。",
    "下一步，{org}将持续加大{topic}工作力度，确保各项任务落地见效。",
    "要坚持问题导向，深入开展{topic}排查整治，切实解决群众急难愁盼问题。",
    "会议指出，{topic}事关群众切身利益，必须坚持{phrase}，抓实抓细各项措施。",
    "今年以来，{place}累计完成{topic}项目{n}个，完成年度目标任务的{pct}%。",
    "各单位要加强统筹协调，形成工作合力，推动{topic}工作再上新台阶。",
)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "建国伟芳敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红志文斌宇浩凯亮晨"


def title(rng: random.Random, cls: str, org: str, place: str, year: int) -> str:
    pattern = rng.choice(TITLES_BY_CLASS.get(cls, _OTHER_TITLES))
    return pattern.format(org=org, place=place, topic=rng.choice(TOPICS), year=year)


def paragraphs(
    rng: random.Random,
    org: str,
    place: str,
    when: date,
    count: int,
    phrase: str | None = None,
) -> list[str]:
    """Body paragraphs; ``phrase``, if given, stands in the text verbatim."""
    out: list[str] = []
    for _ in range(count):
        sentences = [
            rng.choice(_SENTENCES).format(
                phrase=rng.choice(PHRASES),
                topic=rng.choice(TOPICS),
                org=org,
                place=place,
                date=f"{when.year}年{when.month}月{when.day}日",
                n=rng.randint(3, 120),
                pct=rng.randint(60, 99),
            )
            for _ in range(rng.randint(2, 4))
        ]
        out.append("".join(sentences))
    if phrase is not None:
        at = rng.randrange(len(out))
        out[at] = f"{out[at]}全体干部职工要深刻领会{phrase}的重大意义，切实把思想和行动统一起来。"
    return out


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


QUESTIONS = (
    "咨询{topic}相关政策",
    "关于{topic}办理流程的咨询",
    "反映{place}{topic}方面的问题",
    "请问{topic}补贴如何申请",
    "建议加强{topic}工作",
)


def question(rng: random.Random, place: str) -> tuple[str, str]:
    topic = rng.choice(TOPICS)
    subject = rng.choice(QUESTIONS).format(topic=topic, place=place)
    text = (
        f"您好！本人是{place}居民，想了解{topic}方面的具体规定，"
        f"包括申请条件、所需材料和办理时限，请相关部门予以答复，谢谢。"
    )
    return subject, text


def reply(rng: random.Random, org: str) -> str:
    return (
        f"您好！您反映的问题已收悉。经{org}核实，相关事项按照现行规定办理，"
        f"具体可咨询{org}政务服务窗口（工作日上午9:00-12:00，下午14:00-17:30）。"
        f"感谢您对我们工作的关心和支持！"
    )


#: The elements of a 办事指南 the inspection indicators name.
GUIDE_ELEMENTS: tuple[str, ...] = (
    "事项名称",
    "设定依据",
    "申请条件",
    "办理材料",
    "办理地点",
    "办理时间",
    "联系电话",
    "办理流程",
)

SERVICES: tuple[str, ...] = (
    "{topic}补助资金申请",
    "{topic}备案",
    "{topic}许可证核发",
    "{topic}项目审批",
    "{topic}证明开具",
    "{topic}资格认定",
)


def guide_values(rng: random.Random, name: str, org: str, phone: str) -> dict[str, str]:
    return {
        "事项名称": name,
        "设定依据": f"《华川省{rng.choice(TOPICS)}条例》第{rng.randint(5, 40)}条",
        "申请条件": "申请人应当具备完全民事行为能力，符合相关法律法规规定的条件。",
        "办理材料": "1. 申请表（原件1份）；2. 申请人身份证明（复印件1份）；3. 相关证明材料。",
        "办理地点": f"{org}政务服务窗口（政务服务中心{rng.randint(1, 4)}楼）",
        "办理时间": "工作日上午9:00-12:00，下午14:00-17:30（法定节假日除外）",
        "联系电话": phone,
        "办理流程": "申请—受理—审查—决定—送达",
    }
