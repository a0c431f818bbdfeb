"""Pattern detectors that a word list cannot express: numbers, emails, addresses,
and the shapes of discriminatory requirements.

All work on the normalised text (see :mod:`moderation.normalize`), except emails
which keep their punctuation and are searched in the original text. Each detector
returns ``(category, kind, start, end, label)`` in normalised (or, for emails,
original) coordinates; the engine maps them back and applies the role rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping
from types import MappingProxyType
from typing import Final

from moderation import baits, charges, families, grounds, harms, lures, menace, offsite, required, shapes
from moderation.homes import addresses, landlines  # round 18: landlines moved there
from moderation.leftmost import Leftmost  # round 18: a finditer that skips to where a match can start
from moderation.normalize import DIGITISH
from moderation.snares import DETECTORS as ROUND16
from moderation.snares import DOUBLES as ROUND16_DOUBLES
from moderation.snares import LATE as ROUND19_LATE

Raw = tuple[str, str, int, int, str]

ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK: Final = "10x98765432"


def id_checksum_ok(number: str) -> bool:
    """GB 11643 citizen ID: ISO 7064 MOD 11-2 check character, plus a plausible birth date."""
    if len(number) != 18 or not number[:17].isascii() or not number[:17].isdigit():
        return False
    month = (ord(number[10]) - 48) * 10 + ord(number[11]) - 48
    day = (ord(number[12]) - 48) * 10 + ord(number[13]) - 48
    if not (1 <= month <= 12 and 1 <= day <= 31 and number[6:8] in ("19", "20")):
        return False
    total = 0
    for i in range(17):  # a plain loop: compiled by mypyc (setup.py), no int() per digit
        total += (ord(number[i]) - 48) * ID_WEIGHTS[i]
    return ID_CHECK[total % 11] == number[17].lower()


def id_shape_ok(number: str) -> bool:
    """An 18-character ID number's shape: digits, a plausible birth date; the check character may be
    wrong (mistyped or made up, the rest still identifies a person: issue 14)."""
    if len(number) != 18 or not number[:17].isascii() or not number[:17].isdigit():
        return False
    month = (ord(number[10]) - 48) * 10 + ord(number[11]) - 48
    day = (ord(number[12]) - 48) * 10 + ord(number[13]) - 48
    return 1 <= month <= 12 and 1 <= day <= 31 and number[6:8] in ("19", "20")


_RUN: Final = re.compile(f"[{DIGITISH}]{{5,}}x?")
DIGIT_RUN: Final = _RUN  # the engine's probe: could this message hold a phone or ID number at all?
_PHONE: Final = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
_PHONE_BARE: Final = re.compile(r"1[3-9][0-9]{9}")
_ID: Final = re.compile(r"(?<![0-9])[1-8][0-9]{16}[0-9x](?![0-9])")
# Emails are found from each "@" outwards with bounded windows (local part ≤ 64, domain
# ≤ 255 characters, RFC 5321), so a long run of letters cannot make the search quadratic.
_EMAIL_LOCAL: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}\s?$", re.ASCII)
_EMAIL_DOMAIN: Final = re.compile(r"\s?[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}", re.ASCII)
_AT: Final = re.compile("[@＠]")
_HANDLE: Final = re.compile(r"(?:号|是|为|id)?([a-z][a-z0-9]{4,19}|[0-9]{5,12})")

def numbers(folded: str, number_view: str) -> Iterator[Raw]:
    """Phone numbers and ID numbers (check character right or wrong), in any digit form."""
    for run in _RUN.finditer(number_view):
        raw = folded[run.start() : run.end()]
        chunk = run.group()
        digits = chunk[:-1] if chunk.endswith("x") else chunk
        if len(raw) - raw.count("o") - raw.count("l") < 7 and not (len(digits) == 11 and _PHONE_BARE.match(digits)):
            continue  # mostly letters: not a number, unless shaped as a mobile one (l39oooo1lll)
        if len(chunk) < 11:  # shorter than a mobile number: neither a phone nor an ID
            continue
        for m in _PHONE.finditer(chunk):
            yield ("pii", "phone", run.start() + m.start(), run.start() + m.end(), "phone")
        if len(digits) == 12 and not raw[0].isascii() and _PHONE_BARE.fullmatch(digits, 1):
            # a name ending in a numeral right before the number: 张三，138… folds to 三138… (an x after it too, as C)
            yield ("pii", "phone", run.start() + 1, run.start() + 12, "phone")
        if len(chunk) > 11 and not raw[11].isascii() and raw[:11].isascii() and raw[:11].isdigit() and _PHONE_BARE.match(chunk):
            # a mobile number in ASCII digits run into numerals after it: 138…，二十四小时开机 folds to 138…二十四
            yield ("pii", "phone", run.start(), run.start() + 11, "phone")
        if len(chunk) > 18 and not raw[18].isascii() and raw[:18].isascii() and raw[:18].isdigit() and raw[0] in "12345678" and id_shape_ok(raw[:18]):
            yield ("pii", "id", run.start(), run.start() + 18, "id_number")  # round 16: an ID run into 三年, as a phone
        for m in _ID.finditer(chunk):
            if id_shape_ok(m.group()):
                yield ("pii", "id", run.start() + m.start(), run.start() + m.end(), "id_number")


def handle_after(folded: str, end: int) -> tuple[int, int] | None:
    """A contact handle (WeChat id, QQ number) right after a contact-app term."""
    m = _HANDLE.match(folded, end)
    return (m.start(1), m.end(1)) if m else None


def emails(text: str) -> Iterator[Raw]:
    """Emails in the ORIGINAL text (their punctuation is what makes them emails)."""
    for at in _AT.finditer(text):
        i = at.start()
        local = _EMAIL_LOCAL.search(text, max(0, i - 65), i)
        domain = _EMAIL_DOMAIN.match(text, i + 1, i + 1 + 256)
        if local is not None and domain is not None:
            yield ("pii", "email", local.start(), domain.end(), "email")


_NEG: Final = "不无"
_NOT: Final = ("不是", "并非", "绝非", "并不")
_GENDER: Final = "(?:男|女)(?:性|姓|生|士|的|人)?"
_REFUSE: Final = "(?:就|都|一律|统统|全部)?(?:勿扰|莫扰|不要|免谈|不招|不收|不考虑|别来|别报|不用报|除外|不行|不可以|谢绝|算了|莫来|莫报|冇得要|冇要)"
# round 9: "大三阳的都过不了入职", "聋哑人干不了": only in the patterns that need it (a longer alternation costs every search)
_REFUSE_WIDE: Final = _REFUSE[:-1] + "|刷掉|过不了|干不了|不录用|不予录用|不接受|不欢迎|婉拒|恕不|不予考虑|一概不|没法安排|安排不了)"
_NOT_WORRY: Final = "(?!担心|紧|怕|客气|犹豫|着急|急|慌)"
_LIMIT: Final = "(?:只招|仅招|只要|仅限|只限|只收|只考虑|仅考虑|只看|要求|限)"
_REGIONS: Final = (
    "河南|河北|山东|山西|四川|湖南|湖北|安徽|江西|贵州|云南|广西|广东|福建|甘肃|青海|宁夏|内蒙古?|"
    "黑龙江|吉林|辽宁|东北|潮汕|江苏|浙江|陕西|重庆|海南|外地|外省|农村|新疆|西藏"
)
_SCHOOL: Final = "985|211|双一流|统招|重点大学|重点院校|名校|名牌大学|一本|海归"
_ETHNIC: Final = "少数民族|回族|维族|维吾尔族|藏族|彝族|苗族|壮族|蒙古族|瑶族|侗族|土家族|哈萨克族|朝鲜族|黎族|傣族|布依族"
# An age, 20-69 or 二十-六十九: ``([2-6][0-9]|[二三四五六]十[一-九]?)`` written to start with one
# character class, so ``re`` skips positions by that class instead of trying every one; _AGE_NB
# adds "not right after a digit" (was a leading ``(?<![0-9])``, which disables the skip).
# Same matches and groups (checked against the plain form on random strings).
_AGE_TAIL: Final = r"(?:(?<=[2-6])[0-9]|(?<=[二三四五六])十[一二三四五六七八九]?)"
_AGE: Final = rf"([2-6二三四五六]{_AGE_TAIL})"
_AGE_NB: Final = rf"([2-6二三四五六](?<![0-9][2-6二三四五六]){_AGE_TAIL})"
_TEEN_TWENTY_NB: Final = r"[12](?<![0-9][12])(?:(?<=1)[6-9]|(?<=2)[0-9])"  # (?<![0-9])(?:1[6-9]|2[0-9])

# group → ((pattern, kind), ...); kind "block" = an exclusion, "age" = checked by value.
# A group runs only when the automaton saw one of its anchors (lexicon.ANCHORS).
_PATTERNS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "gender": (
        (f"{_LIMIT}(?!男女|女男){_GENDER}", "block"),
        (f"{_LIMIT}.{{0,8}}?(?:小姑娘|姑娘|小伙子|小伙|女孩|男孩|妹子|美女|帅哥|小妹|(?:男生|女生)(?![男女]|都|也|均))", "block"),
        (f"{_GENDER}(?:优先|才要|才招|才收|才行|{_REFUSE})", "block"),
        (f"(?:不要|不招|不收|不考虑|拒绝|谢绝){_GENDER}", "block"),
    ),
    "hbv": (
        (f"(?:乙肝|小三阳|大三阳)(?:携带者|病毒携带者|患者|病人|的|者)?{_REFUSE_WIDE}", "block"),
        ("(?:查|检查|检测|要求|需要)(?:[^和]{0,4}和)?(?:乙肝|两对半)", "block"),
        (f"(?:肝功能|乙肝)[^，。]{{0,8}}?(?:有问题|不正常|异常|阳性)的.{{0,4}}?{_REFUSE_WIDE}", "block"),
        ("(?:无|非|没有)乙肝", "block"),
        ("(?:不要|不招|不收|拒绝)乙肝", "block"),
    ),
    "ethnic": (
        (f"(?:{_ETHNIC})(?:的|人)?{_REFUSE}", "block"),
        (f"(?:{_ETHNIC})的?(?:人|姐妹|兄弟|同胞|朋友|老乡).{{0,6}}?{_REFUSE_WIDE}{_NOT_WORRY}", "block"),
        (f"(?:不要|不招|不收|拒绝)(?:{_ETHNIC})", "block"),
        (f"{_LIMIT}(?:汉族|汉人)", "block"),
        ("汉族优先", "block"),
    ),
    "region": (
        (f"(?:{_REGIONS})(?:人|籍|户口|户籍|籍贯|佬|来的)?(?:的)?(?:人)?(?:我们|咱们|我这)?(?:这边|这里|厂里|公司)?{_REFUSE_WIDE}{_NOT_WORRY}", "block"),
        (f"(?:户籍|户口|籍贯)(?:是|在|为)?[^，。！？0-9]{{0,4}}?(?:的)?(?:人)?(?:我们|咱们|我这)?{_REFUSE}{_NOT_WORRY}", "block"),
        (f"(?:户籍|户口|籍贯)(?:只限|仅限|限|必须是|要求)(?:{_REGIONS}|本地|本市|本省)", "block"),  # round 15: 籍贯限湖南湖北
        # round 10: a list of places refused together (不收广西和贵州的, 不要河南、安徽籍的)
        (f"(?:不要|不招|不收|拒绝|拒收|唔请|唔要|唔收|不请|别给我推|别推|不要推|莫推)(?:{_REGIONS})(?:(?:和|跟|与|、|或|或者)(?:{_REGIONS}))*(?:人|籍|户口|的|嚟|来的)", "block"),  # 15: 唔请新疆嚟嘅
        # round 23: not the posts' place (只招本地岗，不外派; 只要本地的项目)
        (f"{_LIMIT}[^，。！？]{{0,4}}?(?:本地|本市|本省|本区|城镇|城市)(?:户口|户籍|人)?(?!的?(?:岗|工作|项目|职位|门店|业务|线路|订单|客户))", "block"),
        ("(?:本地|本市|本省|城镇)(?:户口|户籍|人)优先", "block"),
    ),
    "marital": (
        (f"(?:孕妇|怀孕|哺乳期)(?:了)?(?:的|者)?{_REFUSE}", "block"),
        ("(?:不能|不得|不许|不准|不可以)(?:怀孕|生育|生孩子|生小孩|要孩子|结婚)", "block"),
        ("(?:[0-9]|一|两|二|三|四|五)年内(?:不能|不得|不许|不准|不可以|不)?(?:生|怀孕|要孩子|结婚)", "block"),
        (f"{_LIMIT}(?:未婚|已婚|已育|未育)", "block"),
        (f"(?:已婚|未婚|已育|未育|离异|单身)(?:的|者)?{_REFUSE}", "block"),
        (f"(?:没生|未生|没生过|没有生)(?:过)?(?:孩子|小孩)?(?:的|者)?{_REFUSE}", "block"),
        (f"(?:还没结婚|没结婚|未结婚|没成家|大龄未婚|大龄单身)的.{{0,14}}?(?:{_REFUSE_WIDE}|不稳定)", "block"),
        (f"(?:有(?:小孩|孩子)|宝妈|离过婚|结过婚|已婚已育)(?:的)?(?:宝妈|女性|女的|人)?{_REFUSE}", "block"),
        ("(?:不要|不招|不收|拒绝)(?:离过婚|结过婚|有孩子|有小孩|宝妈|已婚|已育)", "block"),
        ("生过(?:孩子|小孩)的?(?:宝妈|女性|女的)?优先", "block"),
        # round 10: pregnancy as a dismissal (怀孕了就自己走人, 休产假的自动离职)
        ("(?:怀孕|怀上|生孩子|生小孩|休产假|请产假)(?:了|的)?(?:就|得|要|必须|直接|算)?(?:自己|自动|主动)?(?:辞退|走人|离职|开除|滚蛋)", "block"),
    ),
    "school": (  # 就业促进法 §3: school tier as an exclusion (issue 14)
        (f"{_LIMIT}.{{0,6}}?(?:{_SCHOOL})", "block"),
        (f"(?:非|不是)(?:{_SCHOOL}).{{0,10}}?(?:{_REFUSE}|勿投|不用投|不看|刷掉)", "block"),
        (f"(?:{_SCHOOL})(?:以上|院校|毕业)?(?:的)?(?:才要|才行|才可以|优先)", "block"),
        ("第一学历(?:要求|必须|需|非)", "block"),
        (f"(?:须为|须是|必须为|必须是)[^，。！？]{{0,4}}?(?:{_SCHOOL})", "block"),  # round 18: 本科须为211工程院校
        # round 10: a lower tier or a part-time degree refused (非全日制的研究生一律不认, 自考本科的不考虑)
        (f"(?:非全日制|自考|成考|成人高考|函授|专升本|民办|三本|二本|电大|网络教育|普通一本|普本|双非|普通本科)(?:的)?(?:本科|研究生|硕士|学历|文凭|毕业生|学生)?(?:的)?[^，。！？,.!?；;]{{0,8}}?(?:{_REFUSE}|不认|不承认|不算数|不看)(?!求|紧|担心|怕)", "block"),
    ),
    "disability": (  # 就业促进法 §29, 残疾人保障法 §38
        (f"(?:残疾|残障|聋哑|聋人|哑巴|盲人|视障|听障|瘸子|坐轮椅)(?:人|者|人士|证)?(?:的)?(?:人)?{_REFUSE_WIDE}", "block"),
        ("(?:不要|不招|不收|拒绝)(?:残疾|残障|聋哑|聋人|哑巴|盲人|瘸子)", "block"),
        # round 10: "we cannot place them" is a refusal too (残疾人我们这没法安排，别浪费时间)
        ("(?:残疾|残障|聋哑|聋人|哑巴|盲人|视障|听障|瘸子|坐轮椅)(?:人|者|人士)?(?:的)?.{0,6}?(?:没法安排|安排不了|不好安排|不给安排|用不了|别浪费时间)", "block"),
    ),
    "looks": (  # round 9: appearance and accent as exclusions ("长得胖的、个子矮的面试直接刷掉", "口音重的不考虑")
        (f"(?:长得胖|长得矮|长得丑|长得黑|个子矮|皮肤黑|口音重|口音太重|不标准)的.{{0,10}}?{_REFUSE_WIDE}{_NOT_WORRY}", "block"),
    ),
    "elder": (  # round 10: age named without a number (年纪大的不要, 上了年纪的我们这边不考虑, 大龄的一概不收)
        (f"(?:年纪大|年龄大|岁数大|年纪偏大|年龄偏大|上了年纪|大龄|中年)(?:的|了)?(?:人|阿姨|大叔|大姐|大哥)?[^，。！？,!?]{{0,6}}?{_REFUSE_WIDE}{_NOT_WORRY}", "block"),
    ),
    "age": (
        (f"{_AGE}周?岁?(?:以上|之上)(?:的)?[^，。！？,.!?]{{0,4}}?{_REFUSE}{_NOT_WORRY}", "block"),  # 18: 以上的嗲嗲婆婆莫来
        (f"(?:超过|大于|高于|满){_AGE}周?岁?(?:的)?{_REFUSE}", "block"),
        (f"{_LIMIT}[0-9]{{2}}后", "block"),
        (_TEEN_TWENTY_NB + "(?:到|至)?" + _AGE + "周?岁", "age"),
        (f"{_AGE_NB}周?岁(?:以下|以内|之内|之下)", "age"),
        # round 14: a range in numerals or with 岁 after each bound or 之间 (要二十到三十五岁之间的, 年龄20到35之间)
        (f"(?:十[六七八九]|[二三四]十[一二三四五六七八九]?)(?:周?岁)?(?:到|至){_AGE}(?:周?岁|之间)", "age"),
        (f"(?<![0-9])(?:1[6-9]|[2-4][0-9])(?:周?岁(?:到|至)|(?:到|至)?(?=[0-9]{{2}}之间)){_AGE}(?:周?岁|之间)", "age"),
    ),
}
DISCRIMINATION: Final[dict[str, tuple[tuple[re.Pattern[str], str], ...]]] = {
    group: tuple((re.compile(p), k) for p, k in patterns) for group, patterns in _PATTERNS.items()
}
# round 15: per pattern, a search for the words one of which each of its matches holds (moderation.required). It
# replaces round 6's probe (the alternation of a group's patterns, searched first): many branches start with
# ``.{0,6}``, an age or a class, so ``re`` tried every branch at every position, which cost more than searching each
# pattern alone; the words' alternation starts with literals, so ``re`` skips through the text to them. None: the
# pattern needs no such word (searched as it is).
# round 16: a few words are tested with ``in`` (``required.probes``).
SEARCHES: Final[dict[str, tuple[tuple[re.Pattern[str], str, tuple[str, ...], re.Pattern[str] | None], ...]]] = {
    group: tuple((pattern, kind, *required.probes(pattern.pattern)) for pattern, kind in patterns)
    for group, patterns in DISCRIMINATION.items()
}
# round 23: bit i set when pattern i of the group can match (one pass over the text, ``required.presence``)
_HELD: Final = {group: required.presence([p.pattern for p, _ in patterns]) for group, patterns in DISCRIMINATION.items()}
AGE_REVIEW_BELOW: Final = 45  # an upper age limit under this is held for review (see docs)


def _age(value: str) -> int:
    if value.isdigit():
        return int(value)
    tens = "一二三四五六七八九".index(value[0]) + 1
    return tens * 10 + ("一二三四五六七八九".index(value[2]) + 1 if len(value) > 2 else 0)


def discrimination(folded: str, group: str) -> Iterator[Raw]:
    """Discriminatory requirements; a leading 不/无 (不限男女, 不查乙肝) cancels a match."""
    held = _HELD[group](folded)
    for i, (pattern, kind) in enumerate(DISCRIMINATION[group]):
        if not held >> i & 1:
            continue  # every match would hold one of its required words, and none is in the text
        for m in pattern.finditer(folded):
            if (m.start() > 0 and folded[m.start() - 1] in _NEG) or folded[max(0, m.start() - 2) : m.start()] in _NOT:
                continue  # 不限男女, 无乙肝要求, 不是只招男生
            if kind == "block":
                yield ("discrimination", "block", m.start(), m.end(), m.group())
            elif _age(m.group(1)) < AGE_REVIEW_BELOW:
                yield ("discrimination", "review", m.start(), m.end(), m.group())


# An amount, not a count: "交五险", "付一次工资", "交一个月" are not payments of five, one, one.
_DEMAND: Final = Leftmost(re.compile(r"(?:交|缴纳|缴|付|充值|充|转账|(?<![运周旋好流扭])转)(?:[0-9]+|[一二两三四五六七八九十百千万]+[百千万]?)(?:元|块|米)?"
                     r"(?![0-9一二两三四五六七八九十百千万]|险|次|号|个|天|月|年|点|倍|成|周|下|遍|套|期|份|张|人|折|分|公里|米|路)"  # round 16: 公交139路 is a bus
                     # money sent to someone: "微信转我150，给你办工卡", "打200到这个账户" (not "想去的打1", "打666")
                     r"|(?:打|转)(?:给)?(?:我|公司|我们)(?:[0-9]+|[一二两三四五六七八九十]+[百千万]?)(?:元|块|米)?"
                     r"|打(?:[0-9]+|[一二两三四五六七八九十]+[百千万]?)(?:元|块|米)?(?=到|给|进)"))
_ID_HELD: Final = Leftmost(re.compile(r"(?:押|扣|扣下|扣留|保管|留下|收走|上交)(?:你的|大家的|员工的)?(?:身份证|护照)|(?:身份证|护照)(?:原件)?(?:要|需要)?(?:押|扣|给公司保管|交给公司|放公司|由公司保管|统一保管|上交)"
                      r"|(?:身份证|护照)(?:原件)?(?:交|交给|交到|放)(?:公司|我|厂里|我们)(?:统一)?保管"  # round 15: 护照 too
                      # round 5: papers handed in and given back only on leaving: "毕业证原件交到人事，离职时再还"
                      r"|(?:身份证|毕业证|学历证|学位证)[^0-9]{0,10}?(?:交到|交给|上交|放在|留在|押在)[^0-9]{0,12}?"
                      r"(?:离职|干满|做满|满)[^0-9]{0,6}?(?:再还|才还|再给|才给|退还|归还|还你|再退)"))


_AMOUNT, _EACH, _NOT_COUNT = shapes.AMOUNT, shapes.EACH, shapes.NOT_COUNT
# Cash or kit with a price, said by the employer side: "报到带上200现金", "工服每套80" (issue 14: fees
# named as paperwork or purchases).
_CASH: Final = Leftmost(re.compile(f"{_AMOUNT}(?:元|块)?(?:钱)?(?:的)?现金|(?:带上?|准备好?|备好|拿上?|凑){_AMOUNT}(?:元|块)(?:钱)?"
                   f"|(?:工服|工衣|工装|制服|被褥|床上用品|饭卡|工牌|胸牌|门禁卡|健康证){_EACH}?{_AMOUNT}(?:元|块)?{_NOT_COUNT}"))


# Goods a job needs, then a price within a few characters (across the folded-away comma), with a buying or
# paying word in that stretch or just before the goods: "头盔餐箱要自己买，在我这买只要299", "先买材料包，八百八一套"
# (issue 14, round 4); a wage in between ("工具厂招工，月薪5000") is not the goods' price. Not 手机: it is in
# every other message about phone numbers, and each anchor costs a message its fast path.
_KIT: Final = re.compile("(?:工具箱|工具包|工具|材料包|资料包|头盔|餐箱|劳保鞋|劳保|对讲机|装备|工鞋|工装鞋|保安服|工服|工装|意外险|保险|平板|电脑)"
                  "([^0-9一二两三四五六七八九十]{0,10}?)"
                  "(?:[0-9]{2,}|[一二两三四五六七八九][百千][一二两三四五六七八九十]?|[一二三四五六七八九]?十[一二三四五六七八九])"
                  "(?![0-9]|号|个|天|月|年|人|点|岁|小时|分钟|公里|米|栋|楼|斤|g|gb)")
_BUY: Final = required.gated(re.compile("买|购|收费|交|付|扣|押"))
_WAGE: Final = required.gated(re.compile("薪|资|工价|提成|月入|日结|补贴"))


def cash(folded: str) -> Iterator[Raw]:
    """Cash to bring or kit to buy, with an amount: the amount is the demand (kind ``deposit``)."""
    for m in _CASH.finditer(folded):
        yield ("fee", "deposit", m.start(), m.end(), "cash+amount")
    if _BUY.search(folded) is None:
        return
    for m in _KIT.finditer(folded):
        if _WAGE.search(m.group(1)) is None and _BUY.search(folded, max(0, m.start() - 6), m.end()) is not None:
            yield ("fee", "deposit", m.start(), m.end(), "kit+price")


# A handle right after 号 or a QQ-number cue (扣扣 folds to 扣): a WeChat-style id (a letter then 5–19 letters
# or digits) or a 7–12 digit number that is not a mobile number (those are personal data already). Room, job,
# order and building numbers are excluded by the word before 号 (checked outside the regex, which then starts
# with a character set the regex engine can skip to).
_CUE_HANDLE: Final = re.compile(r"号(?:是|为|码是|码)?([a-z][a-z0-9]{5,19}|(?!1[3-9][0-9]{9}(?![0-9]))[0-9]{7,12})(?![0-9])"
                         r"|[扣抠寇蔻](?:号|是|为)?((?!1[3-9][0-9]{9}(?![0-9]))[0-9]{6,11})(?![0-9]|元|块|万)")
_NOT_HANDLE_BEFORE: Final = frozenset("工编学舍楼门单型账批期届序车房床座牌票")


def cue_handles(folded: str) -> Iterator[Raw]:
    """Contact handles after a cue word without an app name (issue 14: "号 liuhr_888", "扣扣 736291845")."""
    for m in _CUE_HANDLE.finditer(folded):
        if m.group(1) is not None and m.start() > 0 and folded[m.start() - 1] in _NOT_HANDLE_BEFORE:
            continue
        yield ("diversion", "handle", m.start(), m.end(), "cue+handle")


def insult_ending(folded: str) -> Iterator[Raw]:
    """A message that ends by telling the reader to go away ("…烦死了，滚"); other insult shapes are listed
    terms (lexicons/harassment.txt, round 4), which cost nothing in the automaton."""
    if folded.endswith("滚") and not folded.endswith("我滚"):
        yield ("harassment", "block", len(folded) - 1, len(folded), "滚")


def fee_amounts(folded: str) -> Iterator[Raw]:
    """A demand with an amount (要交80, 充值298): a fee when the employer side says it."""
    for m in _DEMAND.finditer(folded):
        yield ("fee", "item", m.start(), m.end(), "pay+amount")


def id_retention(folded: str) -> Iterator[Raw]:
    """Holding a job seeker's ID card: 就业促进法 §41 forbids it outright."""
    for m in _ID_HELD.finditer(folded):
        if m.start() > 0 and folded[m.start() - 1] in _NEG:
            continue
        yield ("fee", "fraud", m.start(), m.end(), "hold ID card")


_DEPOSIT: Final = Leftmost(re.compile(r"(?<=工资|工钱|薪水)[押压](?=着|住|下|在)|[押压](?:[车卡证]费|[0-9]{2,}|(?:[0-9]+|[零一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾]+)(?:[百千万佰仟]|元|块)"
                      r"|[一两二三半]个?月(?:的)?(?:工资|房租|租金|押金|费用)?)"))


def deposits(folded: str) -> Iterator[Raw]:
    """押 followed by an amount (押💰两百 folds to 押两百): a deposit, 就业促进法 §41."""
    for m in _DEPOSIT.finditer(folded):
        yield ("fee", "deposit", m.start(), m.end(), "押+amount")


def _no_detector(folded: str) -> Iterator[Raw]:
    """Anchors that only open another group (lexicon.ANCHORS["refusal"] for "ground")."""
    return iter(())


def has_digit_run(folded: str) -> bool:
    """Cheap probe: could this message hold a phone or ID number at all?"""
    return _RUN.search(folded) is not None


#: The detector of each anchor group; any other group is a discrimination shape of that name.
BY_GROUP: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({
    "address": addresses, "deposit": deposits, "pay": fee_amounts, "cash": cash, "course": shapes.course_kit, "handle": cue_handles,
    "insult": insult_ending, "landline": landlines, "id_card": id_retention, "ground": grounds.refusals, "refusal": _no_detector,
    "career": shapes.career_threats, "loan": shapes.training_loans,
    "selfpay": shapes.kit_self_paid, "payfirst": shapes.pay_first, "favour": shapes.quid_pro_quo,
    "spec": grounds.specs, **families.DETECTORS, **harms.DETECTORS, **lures.DETECTORS,  # round 14: harms, lures
    **menace.DETECTORS, **charges.DETECTORS, **offsite.DETECTORS, **baits.DETECTORS,  # round 15
    **ROUND16,  # round 16 (moderation/snares.py)
})


# Round 11's family shapes and the category that makes each redundant (a term or an earlier detector found it); not
# the career threat since round 14: a review-kind word (你等着) beside it must not keep its block from running.
_DOUBLES: Final[Mapping[str, str]] = MappingProxyType({"ground": "discrimination", "spec": "discrimination",
    "loan": "scam", "selfpay": "fee", "payfirst": "scam", "favour": "harassment", **families.DOUBLES, **lures.DOUBLES, **baits.DOUBLES,
    **ROUND16_DOUBLES})  # fmt: skip


def grouped(folded: str, groups: set[str], seen: Collection[str] = ()) -> list[Raw]:
    """Run the detector groups whose anchors the automaton saw; a family shape only when its category is not
    ``seen`` yet (a second overlapping ruling costs the multi-ruling path ~5 µs and changes nothing)."""
    out: list[Raw] = []
    shapes_last: list[str] = []
    late: list[str] = []
    for group in groups:
        if group in _DOUBLES:
            shapes_last.append(group)
            continue
        if group in ROUND19_LATE:
            late.append(group)
            continue
        detect = BY_GROUP.get(group)
        out.extend(detect(folded) if detect is not None else discrimination(folded, group))
    if shapes_last:
        found = {raw[0] for raw in out}.union(seen)
        for group in shapes_last:
            if _DOUBLES[group] in found:
                continue
            if group == "ground" and "refusal" not in groups and not grounds.ends_refusing(folded):
                continue  # a ground word without a refusal (the automaton saw none): nothing to pair
            out.extend(BY_GROUP[group](folded))
    for group in late:  # round 19: a payment act neither stands in for a named shape nor keeps one from running
        out.extend(BY_GROUP[group](folded))
    return out
