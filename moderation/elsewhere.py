"""Round 19: "go elsewhere" told without an app word the lexicon lists (standard 5.1.3 d: 导流; platforms' published
rules against diversion).

A diversion is a pointer plus a place that is not this room; each shape below is one such pair, written with
open slots rather than the words one writer used:

- A profile place holding a contact (主页有V, 简介里有我联系方式, 背景图上印着我电话, 置顶评论第一条就是我的号,
  头像就是二维码): a pointer word, then 有/印着/写着/就是…, then a contact noun. Not someone else's profile
  (主播简介里的电话打不通), not a job list (主页的职位列表里有全部岗位).
- A code to scan into a group or a friendship (长按识别二维码进群, 扫我背景墙上的码直接进群); not a check-in code.
- An app named by description, not by name (那个绿色的聊天软件, 两个气泡的软件, 别的软件上), then a search, a contact
  verb or a name: the reader is sent to find the speaker there; a browser or a pasted code (复制到浏览器, 口令打开).
- A name assembled to search (姓李名航，后面接1988，连起来一搜就是我; 搜我名字拼音加生日).
- Round 22: this room called the wrong place to talk (平台上聊不方便, 公屏不好说); a contact told in a code (号码我用
  星期讲), put together and dialled or called the speaker's (…连起来打过来; …拼起来就是我电话), printed on a parcel or a
  card the reader holds (面单上的寄件人电话就是我的), or a numbered room in an app to install (装个…对讲，进888频道).
- :func:`links`: a link (t.cn/…, bit.ly/…, www 点 x 点 net, x 点 cn), read in the original text where the dots are.
- :func:`cyrillic_apps`: an app named in Cyrillic (Телеграм, Вотсап, Вайбер) beside a Russian contact verb.
A warning (别信, 冒充, 骗…) clears the folded shapes; the policy then decides as for any diversion (a question or a
report from a seeker passes). The folded shapes run only when the automaton saw one of their anchors (``ANCHORS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

from moderation.leftmost import Gated
from moderation.required import gated  # round 24: a re call only where a match can be

Raw = tuple[str, str, int, int, str]

_WARNED: Final = gated(re.compile("骗|别信|不要信|别加|不要加|不用加|冒充|举报|假的|小心|谨防|不是我们|不要相信|别相信"))
_CJK: Final = "[\u4e00-\u9fff]"


def _sent(pattern: Gated, folded: str, label: str, cleared: Gated = _WARNED) -> Iterator[Raw]:
    """The shapes' common end: the first match, unless the message warns against it (or ``cleared`` matches)."""
    m = pattern.search(folded)
    if m is not None and cleared.search(folded) is None and _WARNED.search(folded) is None:
        yield ("diversion", "divert", m.start(), m.end(), label)
_NOT_MINE: Final = re.compile("(?:主播|你|您|他|她|别人|人家|对方|老板|客服|官方|平台)的?$")

PROFILE: Final = ("主页", "首页", "简介", "个签", "个性签名", "头像", "背景", "封面", "昵称", "置顶", "评论区", "橱窗", "动态", "朋友圈")
_PROFILE: Final = re.compile(
    f"(?:{'|'.join(PROFILE)}).{{0,8}}?(?:有|印着|印了|写着|写了|挂着|留了|放了|就是|藏着)(?:我的|我|个|着)?{_CJK}{{0,4}}?"
    "(?:联系方式|vx|wx|v(?![a-z])|薇|微(?!博|笑|调|商|软)|威(?!胁|风)|扣|q(?![a-z])|(?<![编工型序批单学舍楼门车房床座牌票期届账])号(?!线|楼|门|位|召|称)"
    "|电话|手机|二维码|群(?!众|体)|数字)"
)


def profile_pointer(folded: str) -> Iterator[Raw]:
    """A contact left on one's profile, bio, pinned post or picture: the reader is sent to fetch it."""
    for m in _PROFILE.finditer(folded):
        if _NOT_MINE.search(folded, max(0, m.start() - 4), m.start()) is None and _WARNED.search(folded) is None:
            yield ("diversion", "divert", m.start(), m.end(), "profile pointer")
            return


SCAN: Final = ("扫", "识别", "长按")
_SCAN: Final = gated(re.compile(f"(?:扫|识别|长按){_CJK}{{0,8}}?码{_CJK}{{0,4}}?(?:(?:进|入|加|拉){_CJK}{{0,4}}?群|加我|加好友|好友|私聊)"))
_CHECK_IN: Final = gated(re.compile("签到|打卡|健康码|付款|支付|收款|平台生成|入职后|入职以后"))


def scanned_group(folded: str) -> Iterator[Raw]:
    """A code to scan that leads into a group or a friendship off the room."""
    return _sent(_SCAN, folded, "scan to join", _CHECK_IN)


APP_WORDS: Final = ("软件", "app", "应用", "浏览器", "口令", "网址")
_DESCRIBED: Final = gated(re.compile(
    f"(?:那个|那款|另一个|另外一个|另外那个|别的|其他|外面的?|绿色?|蓝色?|[一二两三]个气泡|带{_CJK}{{1,4}}的){_CJK}{{0,6}}?"
    f"(?:软件|app|应用)(?:上|里|里面|上面)?{_CJK}{{0,4}}?(?:搜|找我|加我|私我|私信我|联系我|名字|昵称|号|id)"
    # a browser or a pasted code is a place outside the room too: 复制到浏览器打开, 复制口令打开某宝
    f"|(?:复制|粘贴|拷贝){_CJK}{{0,6}}?(?:浏览器|口令|网址)|(?:浏览器|口令|网址)(?:里|中|上)?(?:打开|搜|输入|访问)"
))


def described_app(folded: str) -> Iterator[Raw]:
    """Another app named by its colour, icon or as "that one", then a search, a contact verb or a name."""
    return _sent(_DESCRIBED, folded, "app described")


ASSEMBLED: Final = ("连起来", "拼起来", "合起来", "组合起来", "连在一起", "串起来", "这就是我", "那就是我", "这是我", "这便是我", "搜我名字", "搜我全名", "搜我姓名", "搜我拼音", "搜我真名",
                    "数下来", "数出来", "读出来", "念出来", "算出来", "读下来", "就能看到", "就能找到", "就能搜到",
                    "就可以看到", "就可以找到")  # fmt: skip
_CONTACT: Final = "电话|号码|手机|微信|联系方式|v(?![a-z])|vx|wx|q(?![a-z])|qq|扣扣"
_ASSEMBLED: Final = gated(re.compile(
    # round 22: put together, then dialled or added (去掉小数点连起来打过来), or called the speaker's contact
    "(?:连起来|拼起来|合起来|组合起来|连在一起|串起来)(?:一|去|再|直接|就|后)?(?:搜|打|拨|呼|加)"
    f"|(?:连起来|拼起来|合起来|组合起来|连在一起|串起来)[^|]{{0,8}}?(?:就是|即是|便是)我的?(?:{_CONTACT})"
    # batch 24 read: digits given, then "that is my phone" (记住1385，后面再接上0727，这就是我手机)
    f"|[0-9]{{3,}}[^|]{{0,12}}?(?:这|那)(?:就|便)?是我的?(?:{_CONTACT})"
    "|搜我(?:的)?(?:全名|名字|姓名|真名|拼音)(?:拼音)?(?:加|后面|跟|接|再加|和)"
    # batch 25 read: a name searched elsewhere shows the speaker's contact (百度搜“老郭护林”就能看到我电话), or the
    # talk moves there (搜“老张说铁路”就能看到，去那边聊)
    f"|搜[^|]{{1,14}}?(?:就能|就可以|就会|能|就)(?:看到|找到|搜到|刷到)[^|]{{0,3}}?(?:我的?(?:{_CONTACT})|去那边|到那边|那边聊|那边说)"
    # round 23: counted or read off a thing in view, then called the speaker's contact or dialled (一层层数下来就是我手机号)
    f"|(?:数|读|念|算)(?:下来|出来)[^|]{{0,4}}?(?:(?:就|即|便)是我的?(?:{_CONTACT})|(?:打|拨|呼|加)(?:给)?我)"
))


def assembled_search(folded: str) -> Iterator[Raw]:
    """A name (and a birth year or other digits) to put together and search: an account, told in parts."""
    return _sent(_ASSEMBLED, folded, "assembled search")


# round 22: the speaker's contact told in a code (号码我用星期讲, 电话按原子序数念): the code is only worth it off the room
ENCODED: Final = (*(c + v for c in ("号码", "电话", "手机号", "微信号", "联系方式")
             for v in ("我用", "我按", "用", "按", "按照", "我拿", "拿", "在我", "藏在", "写在", "放在", "就在")),
           "位换成", "位改成", "位替换成", "位换为", "位替成")  # fmt: skip
_ENCODED: Final = gated(re.compile(
    "(?:号码|电话|手机号|微信号|联系方式)我?(?:用|按照|按|拿)[^|]{1,8}?(?:讲|念|说|报|表示|编|拼|读|数)"
    "(?![^|]{0,3}(?:填|登记|输入|实名))"
    # batch 24 read: hidden in the speaker's own thing (联系方式在我直播背景音乐的歌名里), or digits swapped in
    # (号码就是…电话，把中间四位换成我工号2263)
    "|(?:号码|电话|手机号|微信号|联系方式)(?:就)?(?:在|藏在|写在|放在)我[^|]{0,14}?(?:里|上|中)(?!填|登记)"
    "|(?:中间|前|后|末|最后)(?:[一二三四五六七八两0-9])位(?:换成|改成|替成|替换成|换为)[^|]{0,6}?[0-9]{3,}"
))


def encoded_contact(folded: str) -> Iterator[Raw]:
    """A contact told in a code the reader must decode: the speaker wants it read off the room."""
    return _sent(_ENCODED, folded, "contact encoded")


# round 22: the speaker's number printed on a thing the reader holds (面单上的寄件人电话就是我的, 传单上那个号是我的)
PRINTED: Final = ("面单", "快递单", "快递盒", "包裹上", "名片", "传单", "宣传单", "海报", "车身", "门头", "招牌", "货箱", "包装",
           "工装", "衣服", "背后", "后背", "帽子", "车牌", "胸牌", "工牌", "袖子")  # fmt: skip
_PRINTED: Final = gated(re.compile(
    f"(?:{'|'.join(PRINTED)})[^|]{{0,10}}?(?:{_CONTACT}|号|字母|数字)(?:就|也)?是我的?(?!们)(?:{_CONTACT}|号)?"
    # the other order: my number is what is printed there (我号码就是我头像那张车牌上的数字)
    f"|我的?(?:{_CONTACT}|号)(?:就|也)?是[^|]{{0,10}}?(?:{'|'.join(PRINTED)}|头像|背景)[^|]{{0,4}}?上(?:面)?的?(?:数字|字母|号|那串)"
))


def printed_contact(folded: str) -> Iterator[Raw]:
    """The speaker's number pointed at on a parcel, a card or a poster the reader has."""
    return _sent(_PRINTED, folded, "contact printed")


# round 22: an app installed and a numbered room entered (装个…对讲，进888频道): a channel off the platform
INSTALLED: Final = ("装个", "装一个", "下个", "下一个", "下载个", "下载一个", "安装个", "安装一个")
_INSTALLED: Final = gated(re.compile(
    "(?:装个|装一个|下个|下一个|下载个|下载一个|安装个|安装一个)[^|]{1,10}?(?:进|加|搜|入)[^|]{0,3}?[0-9]{3,}"
    "(?:频道|房间|号房|群|号)"
))


def installed_room(folded: str) -> Iterator[Raw]:
    """Another app installed and a numbered channel or room entered there."""
    return _sent(_INSTALLED, folded, "app room")


# round 22: this room called the wrong place to talk (平台上聊不方便, 直播间里不好说): the rest is to happen elsewhere
INCONVENIENT: Final = ("不方便", "不好说", "不好聊", "不好讲", "说不了", "聊不了", "讲不了", "不能说", "不能聊")
_HERE: Final = "平台|这里|这儿|直播间|公屏|评论区|这边|这上面|弹幕|屏幕上"
_INCONVENIENT: Final = gated(re.compile(
    f"(?:{_HERE})(?:上|里|上面|里面|上头)?(?:聊|说|讲|谈|沟通|问|交流)?(?:太|有点|有些|真|实在)?(?:{'|'.join(INCONVENIENT)})"
))


# the talk moved to the platform's own channels, not off it
_ON_PLATFORM: Final = gated(re.compile("平台客服|平台私信|站内|报名按钮|点报名|点击报名|官方客服|小黄车|购物车|预约按钮|投递按钮|一键投递"))


def inconvenient_here(folded: str) -> Iterator[Raw]:
    """This room named as the wrong place to talk: the speaker moves the talk off it."""
    return _sent(_INCONVENIENT, folded, "room inconvenient", _ON_PLATFORM)


# In the ORIGINAL text (the fold deletes dots): a scheme, www, a path after a domain, a dot spelled 点/dot, or a
# bare domain with a TLD that ordinary technical words do not end in (ASP.NET, Vue.js are skills, not links). The
# search starts at the dot and its TLD (a first character the regex engine skips to), then looks back for the name.
_DOT: Final = r"\s*(?:\.|。|点|dot|\[\.\]|\(\.\))\s*"
_TLDS: Final = "cn|com|net|top|xyz|vip|cc|im|ly|link|site|club|shop|work|gd|gl|ink|fun|icu|ltd|tk|me|io|co|org|to|tw|hk|app|biz|info"
_TLD: Final = re.compile(f"(?P<dot>\\.|。|点|dot|\\[\\.\\]|\\(\\.\\))\\s*(?P<tld>{_TLDS})(?![a-z0-9])(?P<path>\\s*/\\s*[a-z0-9]+)?", re.ASCII)
_NAME: Final = re.compile(f"(?<![a-z0-9@._-])[a-z0-9][a-z0-9_-]{{0,40}}(?:{_DOT}[a-z0-9][a-z0-9_-]{{0,40}})*\\s*$", re.ASCII)
_SCHEME: Final = re.compile(r"https?\s*:\s*/\s*/\s*\S+|www" + f"(?:{_DOT}[a-z0-9-]+)+", re.ASCII)
_BARE_TLDS: Final = frozenset(("cn", "com", "top", "xyz", "vip", "cc", "im", "ly", "link", "site", "club", "shop", "work", "gd",
                        "gl", "ink", "fun", "icu", "ltd", "tk"))  # fmt: skip
_PUBLIC: Final = re.compile(r"gov|edu")


def links(text: str) -> Iterator[Raw]:
    """A link or domain to open elsewhere, in the original text's coordinates (searched lower-cased: a
    case-blind pattern cannot skip ahead to its first character)."""
    lowered = text.lower()
    text = lowered if len(lowered) == len(text) else text
    dotted = "." in text or "点" in text or "。" in text or "dot" in text or "[" in text or "(" in text
    if not dotted and "http" not in text:
        return  # no dot of any kind and no scheme: the patterns below cannot match (substring tests cost little)
    for m in _SCHEME.finditer(text) if "http" in text or "www" in text else ():  # its two literal starts
        if _PUBLIC.search(m.group()) is None:  # a government or school site is no other room
            yield ("diversion", "divert", m.start(), m.end(), "link")
            return
    for m in _TLD.finditer(text):
        name = _NAME.search(text, max(0, m.start() - 90), m.start())
        if name is None or _PUBLIC.search(text, name.start(), m.end()) is not None:
            continue
        spelled = m.group("dot").strip() not in (".", "")
        if m.group("path") or spelled or m.group("tld") in _BARE_TLDS:
            yield ("diversion", "divert", name.start(), m.end(), "link")
            return


# Cyrillic read by sound (not by look, as the homoglyph table does): Телеграм → telegram, Вотсап → votsap.
_CYRILLIC: Final = MappingProxyType(str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}))  # fmt: skip
_HAS_CYRILLIC: Final = re.compile("[\u0400-\u04ff]")
_RU_APP: Final = re.compile("teleg|tg(?![a-z])|v[ao]tsap|uatsap|whatsapp|vaiber|viber|signal|insta|vkontakt|vk(?![a-z])")
_RU_CONTACT: Final = re.compile("pish|napish|dobav|zvon|sviaz|svyaz|stuch|naid|nomer|nik|kontakt|lichk|perehod|kanal|chat|grupp")


def cyrillic_apps(text: str) -> Iterator[Raw]:
    """An app named in Cyrillic beside a contact verb, read by sound; span of the whole message."""
    if _HAS_CYRILLIC.search(text) is None:
        return
    sounded = text.lower().translate(_CYRILLIC)
    if _RU_APP.search(sounded) is not None and _RU_CONTACT.search(sounded) is not None:
        yield ("diversion", "divert", 0, len(text), "app in cyrillic")


# batch 25 read: a mobile number spelled in pinyin numerals (yao san jiu ling er wu qi ba ba liu yao 打这个)
_PINYIN_DIGITS: Final = MappingProxyType({"yi": "1", "yao": "1", "er": "2", "liang": "2", "san": "3", "si": "4", "wu": "5",
                                          "liu": "6", "qi": "7", "ba": "8", "jiu": "9", "ling": "0", "dong": "0"})  # fmt: skip
_PINYIN_RUN: Final = re.compile("(?<![a-z])(?:(?:yao|yi|er|liang|san|si|wu|liu|qi|ba|jiu|ling|dong)[ \u3000,，、-]*){11,}", re.I)
_PINYIN_NUMERAL: Final = re.compile("yao|yi|er|liang|san|si|wu|liu|qi|ba|jiu|ling|dong", re.I)
_MOBILE_DIGITS: Final = re.compile("1[3-9][0-9]{9}")
_LONG_LATIN: Final = re.compile("[a-z]{22,}")


def pinyin_numbers(text: str, folded: str) -> Iterator[Raw]:
    """Eleven or more pinyin numerals in a row that read as a mobile number: the number, spelled out (only when the
    folded text, spaces gone, holds a run of 22 letters: eleven numerals of two letters at least)."""
    if _LONG_LATIN.search(folded) is None:
        return
    for run in _PINYIN_RUN.finditer(text):
        digits = "".join(_PINYIN_DIGITS[n.group().lower()] for n in _PINYIN_NUMERAL.finditer(run.group()))
        if len(digits) == 11 and _MOBILE_DIGITS.fullmatch(digits) is not None:
            yield ("pii", "phone", run.start(), run.end(), "phone in pinyin")


def in_original(text: str, folded: str, fold: Callable[[str], str]) -> list[Raw]:
    """:func:`links`, :func:`cyrillic_apps` and :func:`pinyin_numbers`, moved to the folded text (where the policy
    reads clauses) by folding each span and finding it there."""
    out: list[Raw] = []
    for category, kind, start, end, label in (*links(text), *cyrillic_apps(text), *pinyin_numbers(text, folded)):
        piece = fold(text[start:end])
        at = folded.find(piece) if piece else -1
        if at >= 0:
            out.append((category, kind, at, at + len(piece), label))
    return out


# round 23: a contact asked of the other side with a reason to leave this app (主播能不能私下给个联系方式，我妈不会用这个软件;
# 还有没有别的号，这软件老闪退; 整个联系方式呗，下了播唠唠嗑): the reason makes the request a move off the platform, so the
# hit is the reason (asking "有没有别的联系方式，还是只能在这里问？" names none and passes)
LEAVING: Final = ("私下", "私底下", "私人", "下了播", "下播", "闪退", "不会用", "用不惯", "用不来", "限流", "被封", "封号",
                  "这软件", "这个软件", "这app", "这个app", "单独聊", "唠嗑", "唠唠",
                  "直接找你", "直接打", "直接问你", "直接联系", "直接加你", "打过去")  # fmt: skip  # batch 25: …我直接找你报名
_ASKED_CONTACT: Final = re.compile(
    "(?:给|留|发|整|来|求|要|报|说|私信)(?:一?个|一下|下)?(?:你的?|主播的?)?(?:私人)?(?:联系方式|电话|手机号|号码|私人号|私号)"
    "|(?:有没有|还有没有|有没|还有)(?:你的?)?(?:别的|其他|另外的?|私人)(?:号|联系方式|电话)"
    "|(?:小号|私人号|私号|别的号|其他号|联系方式|电话|号码)(?:是)?(?:多少|发一下|给一下|报一下|发我|给我)"
    # batch 25 read: an app's number asked (你钉钉号多少: folded 钉), a contact to be sent (把你手机号发一下)
    "|(?:微信|vx|wx|qq|钉|飞书|抖音|快手|手机)号?(?:是)?多少|把你的?(?:联系方式|电话|手机号|号码|微信)(?:发|给|留)"
)
_LEAVING: Final = re.compile("|".join(LEAVING))
_CONTACT_WORDS: Final = ("联系方式", "电话", "号", "微信", "vx", "wx", "qq", "钉", "飞书", "抖音", "快手")  # every request holds one
_STAYS: Final = gated(re.compile("不要私下|别私下|(?<![能可])不私下|不用私下|(?<!能)不能私下|就不要了|不需要|平台上|站内|在这里问|在这问|就在这"))


def leaving_asked(folded: str) -> Iterator[Raw]:
    """A contact asked for, with a reason to leave this app: the last reason is the hit (the request may be a question)."""
    if not any(word in folded for word in _CONTACT_WORDS):
        return  # most anchored messages (下了播, 私人…) ask for no contact: no regex call
    asked = _ASKED_CONTACT.search(folded)
    if asked is None or _WARNED.search(folded) is not None or _STAYS.search(folded) is not None:
        return
    start = end = -1
    for reason in _LEAVING.finditer(folded):
        if not (asked.start() <= reason.start() < asked.end()):  # the last reason (it follows the request)
            start = start if reason.start() == end else reason.start()  # joined to the one before (不会用这个软件)
            end = reason.end()
    if start >= 0:
        yield ("diversion", "divert", start, end, "leaving asked")


#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "profile": PROFILE, "scanjoin": SCAN, "described": APP_WORDS, "assembled": ASSEMBLED,
    "inconvenient": INCONVENIENT, "encoded": ENCODED, "printed": (*PRINTED, "号就是", "码就是", "话就是", "信就是"),
    "installed": INSTALLED, "leaving": LEAVING,
})  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({
    "profile": profile_pointer, "scanjoin": scanned_group, "described": described_app, "assembled": assembled_search,
    "inconvenient": inconvenient_here, "encoded": encoded_contact, "printed": printed_contact,
    "installed": installed_room, "leaving": leaving_asked,
})  # fmt: skip
# none: an app word the lexicon saw (二维码, 联系方式) is a diversion hit the policy may clear when alone
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({})
LABELS: Final[frozenset[str]] = frozenset(
    ("profile pointer", "scan to join", "app described", "assembled search", "room inconvenient", "contact encoded",
     "contact printed", "app room", "leaving asked", "phone in pinyin")
)
