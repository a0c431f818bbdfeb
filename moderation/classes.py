"""Round 19: the protected grounds as open classes, not word lists (standard 5.1.3 d; 就业促进法 §3, §26–31;
妇女权益保障法 §43; 人力资源市场暂行条例 §24; 残疾人保障法 §38).

Rounds 15–18 added the words each fresh batch used (a generation, a dialect's word for girls, a tier) and the next
batch used others. Each class here is a pattern of how a ground is written, so an unseen member is still one:
any generation (95后, 八零后, 零零后), any zodiac year (属虎), any age in tens (四十几岁, 年满四十), any height or
weight, any people ending in 族 (but 上班族, 打工族), any faith written 信…教, any province, county or city's people
(周口市来的, 那边过来的), any disease with 病 (but 生病, 看病), any school tier. :mod:`moderation.wanted` pairs a class
with a verb of wanting or refusing; the class alone decides nothing.
"""

from __future__ import annotations

import re
from typing import Final

from moderation import alternation
from moderation.grounds import PROVINCES

_TENS: Final = "(?:[2-6][0-9]|[二三四五六]十(?:[一二三四五六七八九]|几|多)?)"
# round 20: an age as a threshold or an approximation, not a year count: 快四十, 过了四十二, 超过三十五, 四十出头
NEAR: Final = ("快", "近", "奔", "年近", "年过", "过了", "超过", "超出", "上了", "满了", "到了")  # round 23: 到了五十五的…转去后勤
_NEAR: Final = f"(?:{'|'.join(sorted(NEAR, key=len, reverse=True))})"
_ABOUT: Final = "(?:出头|好几|开外|往上|朝上|以上|上下|挂零)"
# not a count of days, pieces, people or money after the number (超过三十天, 过了二十个)
_NOT_UNIT: Final = "(?![0-9一二三四五六七八九几多十天个号块元分斤米公里年月日次件单人小点度万千百条周])"
_BIRTH: Final = "(?:以前|之前|以后|之后|前|后)?(?:出生|生的|生人)"
_NOT_FRONT: Final = "(?!面|边|天|期|台|端|夕|景|途|提|者|任|后|往)"
# Each class: a name, its words (folded into one prefix tree: ``re`` tests each character once) and the shapes no
# word list can hold. A class is people only with what follows it (see ``ground_at``).
_CLASSES: Final[tuple[tuple[str, tuple[str, ...], str], ...]] = (
    ("generation", (), "(?:[0-9]{2}|[零〇一二三四五六七八九]{2})后(?!面|边|来|天|期|续|果|悔|台|勤|厨|方|头|门|院)"
     "|(?:[5-9][05]|[五六七八九][零〇五])前(?!面|边|天|期|台|端|夕|景|途|提|者|任|后|往)"),
    ("zodiac", (*("属" + a for a in "鼠牛虎兔龙蛇马羊猴鸡狗猪"), "生肖"), ""),
    ("age", ("年纪", "年龄", "岁数", "大龄", "超龄", "半百", "年轻", "老阿姨", "老大爷", "老头", "阿叔", "阿婶", "大叔", "大妈", "大婶"),
     f"{_TENS}(?:周?岁|来岁)|年满{_TENS}|{_NEAR}{_TENS}{_NOT_UNIT}|{_TENS}{_ABOUT}|奔[四五六](?!星|环|驰|跑|走|波|赴|向|着)"
     "|年过半百|(?:[5-9]0|[五六七八九][零〇])年代?(?:以前|之前|以后|之后|前|后)?(?:出生|生的|生人)"),
    ("body", ("身高", "个子", "个头", "体重", "胖", "太瘦", "矮", "高挑", "颜值", "长相", "相貌", "面相", "长得", "漂亮", "好看", "丑",
              "五官", "纹身", "文身", "染发", "染头发", "痘", "秃", "口音"),
     "[一1]米[0-9一二三四五六七八九]|[0-9一二三四五六七八九十百]{2,4}斤(?=以|的|往)"),
    ("health", ("乙肝", "澳抗", "表面抗原", "携带者", "携带的", "病毒携带", "阳性", "hiv", "艾滋", "病史", "肝炎", "肝病", "大三阳", "小三阳", "拄拐", "残联", "抑郁", "癫痫", "残疾",
                "残障", "听力", "视力", "腿脚", "聋", "哑", "盲人", "瘸", "跛", "轮椅", "有病",
                # round 21: a medical history that is no disease named with 病 (钙化点, 住过传染科, 做过手术)
                "钙化", "结节", "肿瘤", "癌症", "做过手术", "动过手术", "开过刀", "住过院", "传染科", "精神科",
                # round 22: chronic or past diseases named without 病 after them (肺结核…早治好了也不收; 有哮喘的)
                "结核", "哮喘", "糖尿", "白癜风", "牛皮癣", "银屑", "甲亢", "红斑狼疮", "地中海贫血",
                # batch 25 read: a hand, a blood type, a past work injury (左撇子别报; 只要O型和A型血的; 出过工伤的不要)
                "左撇子", "型血", "工伤"),
     "病(?=史|人|患|的|者)|拄着拐"),
    ("region", (*PROVINCES, "河南", "甘肃", "贵州", "广西", "新疆", "西藏", "东北", "外地", "外省", "外来", "农村", "农业户口",
                "老表", "北佬", "捞仔", "外地仔", "本地人", "本地户口", "本地的", "本地", "那边来的", "那边过来的"),
     "(?:省|县|州)(?=人|的|来的|籍)|市(?=人|来的|籍)"),
    ("ethnicity", ("族", "同胞"), ""),
    ("faith", ("宗教", "信仰", "伊斯兰", "穆斯林", "基督", "天主教", "佛教", "道教", "回民", "清真", "头巾", "斋月", "做礼拜", "真主", "斋戒"),
     "信[\u4e00-\u9fff]{1,3}?教"),
    ("family", ("未婚", "已婚", "已育", "未育", "离异", "离婚", "单身", "怀孕", "怀上", "备孕", "孕妇", "孕期", "宝妈", "娃", "孩子",
                "小孩", "二胎", "三胎", "产假", "哺乳", "结婚", "成家", "丧偶", "守寡", "再婚", "单亲", "未生", "生仔",
                "已昏", "未昏"),
     "怀[着了上起咗](?:孕|娃|宝宝|孩子)|结[了咗过]婚|离[了咗过]婚"),
    ("gender", ("男的", "女的", "男滴", "女滴", "男生", "女生", "男性", "女性", "男士", "女士", "男人", "女人", "男孩", "女孩", "小伙", "姑娘", "婆娘",
                "妹子", "妹仔", "女仔", "靓女", "后生女", "后生仔", "汉子", "爷们", "娘们"), ""),  # batch 25: 娘们
    ("school", ("一本", "二本", "三本", "双一流", "双非", "985", "211", "统招", "全日制", "非全", "成教", "网教", "自考", "成考",
                "函授", "专升本", "普通院校", "普通本科", "普本", "野鸡", "民办", "二流", "三流", "名校", "名牌"), ""),
)  # fmt: skip
_WORD_CLASS: Final[dict[str, str]] = {w: name for name, words, _ in _CLASSES for w in words}
_SHAPES: Final[tuple[tuple[str, re.Pattern[str]], ...]] = tuple((name, re.compile(shape)) for name, _, shape in _CLASSES if shape)
_NOT_GEN: Final = "(?!面|边|来|天|期|续|果|悔|台|勤|厨|方|头|门|院)"
_AGE_TAIL: Final = "(?:周?岁|来岁)"
# Every shape written to start with a literal (a class's first characters one by one), and the words as one prefix
# tree: ``re`` then skips to the characters a match can start with instead of trying every class at every position.
_LEADING: Final = (
    *(f"{d}[0-9]后{_NOT_GEN}" for d in "0123456789"),
    *(f"{d}[零〇一二三四五六七八九]后{_NOT_GEN}" for d in "零〇一二三四五六七八九"),
    *(f"{d}[0-9]{_AGE_TAIL}" for d in "23456"),
    *(f"{d}十(?:[一二三四五六七八九]|几|多)?{_AGE_TAIL}" for d in "二三四五六"),
    f"年满{_TENS}", "一米[0-9一二三四五六七八九]", "1米[0-9一二三四五六七八九]",
    *(f"{d}[05]前{_NOT_FRONT}" for d in "56789"), *(f"{d}[零〇五]前{_NOT_FRONT}" for d in "五六七八九"),
    *(f"{p}{_TENS}{_NOT_UNIT}" for p in NEAR), *(f"{d}十(?:[一二三四五六七八九]|几|多)?{_ABOUT}" for d in "二三四五六"),
    "奔[四五六](?!星|环|驰|跑|走|波|赴|向|着)", "年过半百",
    *(f"{d}0年代?{_BIRTH}" for d in "56789"), *(f"{d}[零〇]年代?{_BIRTH}" for d in "五六七八九"),
    "怀[着了上起咗](?:孕|娃|宝宝|孩子)", "结[了咗过]婚", "离[了咗过]婚", "拄着拐",
    *(f"{d}[0-9一二三四五六七八九十百]{{1,3}}斤(?=以|的|往)" for d in "0123456789一二三四五六七八九十百"),
    "病(?=史|人|患|的|者)", "省(?=人|的|来的|籍)", "县(?=人|的|来的|籍)", "州(?=人|的|来的|籍)", "市(?=人|来的|籍)",
    "信[\u4e00-\u9fff]{1,3}?教",
)  # fmt: skip


def _unwrapped(tree: str) -> str:
    """The tree without the group around all of it, so each of its alternatives starts with a literal at the top."""
    depth = 0
    for i, c in enumerate(tree):
        depth += (c == "(") - (c == ")")
        if depth == 0:
            return tree[3:-1] if tree.startswith("(?:") and i == len(tree) - 1 else tree
    return tree


GROUND: Final = re.compile("|".join((*_LEADING, _unwrapped(alternation.pattern(_WORD_CLASS)))))
_HEAD_CLASS: Final = {"省": "region", "县": "region", "州": "region", "市": "region", "病": "health"}


def class_of(text: str) -> str:
    """The class a ground match belongs to (a word's or a one-character head's, else the shape it fits)."""
    name = _WORD_CLASS.get(text) or _HEAD_CLASS.get(text)
    if name is not None:
        return name
    return next((n for n, shape in _SHAPES if shape.fullmatch(text) is not None), "")


# Words ending in 族 that name no people (上班族, 打工族) and classes that name a thing after them (本地的岗位, 黑龙江本地岗).
_NOT_PEOPLE_ZU: Final = frozenset(("上班", "打工", "月光", "追星", "工薪", "家", "宗", "贵", "种", "亲", "水", "啃老", "低头",
                            "夜猫", "通勤", "单身", "丁克", "蚁", "工", "班"))  # fmt: skip
_THING_AFTER: Final = re.compile(
    "(?:本地|当地|省内|市内)?的?(?:岗|班|装|鞋|厕所|宿舍|订单|单子|货|菜|路|项目|客户|市场|业务|快递|车间|工厂|分厂|仓|门店|店|线|区|学校|医院|病房|科室|窗口"
    "|证|票|同事|师傅也|顾客|患者|病人|老人家|产品)"
)


# What may not stand right before a match (checked here, not by a leading lookbehind: a branch that starts with one
# keeps ``re`` from skipping ahead to the characters a match can start with): 下属马上 is no zodiac year, 生病的 no
# disease, 超市的 no city's people; 省, 县, 州 and 族 need a name before them (上班族 is checked below).
_NOT_BEFORE: Final = {"属": "下金归附亲家专从所隶", "病": "生看治毛防", "市": "超城都门股夜"}
_NAMED_BEFORE: Final = frozenset("省县州族")


def ground_at(match: re.Match[str], folded: str) -> bool:
    """A class match that names people: not 上班族, not 本地的岗位 or 孕期的订单 (a thing of that ground)."""
    text, start = match.group(), match.start()
    before = folded[start - 1] if start > 0 else ""
    if before.isdigit() and text[-1] in "后前":
        return False  # 2024后: a year, no generation
    if before and before in _NOT_BEFORE.get(text[0] if text[0] == "属" else text, ""):
        return False
    if text in _NAMED_BEFORE and not "\u4e00" <= before <= "\u9fff":
        return False
    if text == "族":
        two = folded[max(0, start - 2) : start]
        if two in _NOT_PEOPLE_ZU or before in _NOT_PEOPLE_ZU:
            return False
    return _THING_AFTER.match(folded, match.end()) is None


def grounds_in(folded: str, start: int, end: int) -> list[re.Match[str]]:
    """Every class match that names people between start and end."""
    return [m for m in GROUND.finditer(folded, start, end) if ground_at(m, folded)]


_DIGITS: Final = "0123456789零〇一二三四五六七八九十几"
_SHAPE_HEADS: Final = (
    *(d + "后" for d in _DIGITS[:-2]), *(d + "岁" for d in _DIGITS), "周岁", "来岁", "年满", "一米", "1米", "斤以", "斤的", "斤往",
    *(e + t for e in "省县州" for t in ("人", "的", "来的", "籍")), "市人", "市来的", "市籍", "病史", "病人", "病患", "病的", "病者",
    "教的", "教徒", "多岁",
    # round 20: the new shapes' literal heads
    *(d + e + "前" for d in "56789" for e in "05"), *(d + e + "前" for d in "五六七八九" for e in "零〇五"),
    *(p + d for p in NEAR for d in "23456二三四五六"), *("十" + a for a in ("出头", "好几", "开外", "往上", "朝上", "以上", "上下", "挂零")),
    "奔四", "奔五", "奔六", "年过半百", *(d + "0年" for d in "56789"), *(d + z + "年" for d in "五六七八九" for z in "零〇"),
    *("怀" + a for a in "着了上起咗"), "结了婚", "结咗婚", "结过婚", "离了婚", "离咗婚", "离过婚", "拄着拐",
)  # fmt: skip
#: literal heads that every class match holds one of (the automaton's cue to run :mod:`moderation.wanted`)
CLASS_ANCHORS: Final[tuple[str, ...]] = tuple(dict.fromkeys((*_SHAPE_HEADS, *(w for _, words, _ in _CLASSES for w in words))))
