"""The fictional province the sample fleet serves: 华川省 and its cities and counties.

Every name, host and code here is invented. Division codes use the unassigned
province prefix 39, so no 网站标识码 or 公安机关备案号 of the fleet is a real one.
The fleet never connects anywhere: these hosts exist only inside its proxy.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    """An administrative division (行政区划) with a government portal."""

    name: str  # 华川省, 云江市, 青禾县
    short: str  # name without the suffix: 华川, 云江, 青禾
    slug: str  # pinyin used in host names
    division_code: str  # six digits
    level: str  # province | city | county
    parent: str | None  # division code of the parent place


@dataclass(frozen=True)
class Department:
    """A government department that runs its own site (部门网站)."""

    name: str  # 发展和改革委员会
    slug: str  # host label: fgw
    topic: str  # its field, used to write plausible titles


PROVINCE = Place("华川省", "华川", "huachuan", "390000", "province", None)

CITIES: tuple[Place, ...] = (
    Place("云江市", "云江", "yunjiang", "390100", "city", "390000"),
    Place("石桥市", "石桥", "shiqiao", "390200", "city", "390000"),
    Place("安澜市", "安澜", "anlan", "390300", "city", "390000"),
    Place("北溪市", "北溪", "beixi", "390400", "city", "390000"),
)

COUNTIES: tuple[Place, ...] = (
    Place("青禾县", "青禾", "qinghe", "390121", "county", "390100"),
    Place("望川县", "望川", "wangchuan", "390122", "county", "390100"),
    Place("柳溪县", "柳溪", "liuxi", "390221", "county", "390200"),
    Place("南屏县", "南屏", "nanping", "390222", "county", "390200"),
    Place("白沙县", "白沙", "baisha", "390321", "county", "390300"),
    Place("金坪县", "金坪", "jinping", "390322", "county", "390300"),
    Place("鹤山县", "鹤山", "heshan", "390421", "county", "390400"),
    Place("长宁县", "长宁", "changning", "390422", "county", "390400"),
)

PROVINCIAL_DEPARTMENTS: tuple[Department, ...] = (
    Department("发展和改革委员会", "fgw", "重点项目建设"),
    Department("教育厅", "jyt", "义务教育"),
    Department("财政厅", "czt", "预算管理"),
    Department("人力资源和社会保障厅", "rst", "就业创业"),
    Department("自然资源厅", "zrzyt", "国土空间规划"),
    Department("生态环境厅", "sthjt", "生态环境保护"),
    Department("交通运输厅", "jtt", "公路建设养护"),
    Department("卫生健康委员会", "wjw", "医疗卫生服务"),
)

CITY_DEPARTMENTS: tuple[Department, ...] = (
    Department("发展和改革委员会", "fgw", "重点项目建设"),
    Department("教育局", "jyj", "义务教育"),
    Department("人力资源和社会保障局", "rsj", "就业创业"),
    Department("交通运输局", "jtj", "公路建设养护"),
)

#: Department sites that live on a domain breaking the 2017 guideline (域名不规范):
#: (city division code, department slug) -> host.
NONCONFORMING_HOSTS: dict[tuple[str, str], str] = {
    ("390300", "jtj"): "anlanjtj.gov.cn",
    ("390400", "jyj"): "www.bxedu.net",
}

#: National hosts the fleet stands in for, so footer links resolve inside the test
#: world: the fleet answers for them itself and never contacts the real ones.
NATIONAL_HOSTS: dict[str, str] = {
    "www.gov.cn": "中国政府网",
    "bszs.conac.cn": "党政机关网站标识管理",
    "zfwzzc.www.gov.cn": "我为政府网站找错",
    "zfwzgl.www.gov.cn": "政府网站找错",
    "dcs.conac.cn": "党政机关网站标识管理",
    "www.beian.gov.cn": "全国互联网安全管理服务平台",
    "beian.miit.gov.cn": "ICP/IP地址/域名信息备案管理系统",
}

#: Abbreviation used in ICP and 公安 record numbers (京ICP备…, 京公网安备…).
RECORD_PREFIX = "华"


def place_by_code(code: str) -> Place:
    for place in (PROVINCE, *CITIES, *COUNTIES):
        if place.division_code == code:
            return place
    raise KeyError(code)
