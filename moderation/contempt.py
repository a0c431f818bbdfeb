"""Round 20: contempt with no insult word (standard 5.1.3 d; 网络信息内容生态治理规定 §7).

The lexicon knows insult words; a fresh writer scorns a person in plain ones. What stays is the construction:
a person (你, 他, 这号人, a class of people: 送外卖的, 住地下室的人) judged by a trait (looks, age, schooling,
speech, class, a past) and, in the same stretch, one of:

- presumption: the trait, then a claim to something above it (…还想/也敢/都想/还有脸…: 凭这张脸也想开播), or a
  concession first (…都说不利索，还来…; 连…都没有，坐在这里跟我谈…), or the trait's bearer told to keep out of
  it (…的人就别…; 你那点见识就别…), or a person reduced to a label and denied standing (你一个…的，凭什么…);
- a life judged: a fate (一辈子…的命, 能有什么出息), a stereotype read off them (一看就是…山沟里出来的), a cause
  found in their origin (…种地的…难怪眼界…), a tautology of class (农民工就是农民工);
- a misfortune deserved (…是你自找的, 也是你应得的), not a company's or a scam's (nor 谁让你…都别理);
- a verdict on their worth (替你脸红, 谁会正眼看她, 留在世上…口粮, 有人收你就烧高香), their speech mocked (口音…
  土得掉渣), told to know their place (不看自己什么样) or sent home to a lowly end (回去种地吧).

Lawful neighbours pass: said of oneself (我这辈子就是打工的命), an insult quoted to condemn it or a call to be
polite (别笑话人家, 有人说…太过分), a verdict on a thing or a company (这工服丑得像麻袋, 那家中介活该被查), frank
feedback on skill with no presumption (经验不够，这个岗位不合适), and an inclusive answer (年纪大了还想学的，也欢迎).
The folded text has no punctuation: stretches are counted in characters, and repeats are collapsed (看看 → 看).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

Raw = tuple[str, str, int, int, str]

# a person spoken to or of (a pronoun, a dialect pronoun, or people named by what they do or are)
_PRONOUN: Final = "你|您|他|她|侬|佢|恁|伊"
_PERSON: Final = re.compile(f"{_PRONOUN}|人家|这种人|这号人|这人|那人|这位|那位|这家伙|此人|的人|主播|的也")
# the speaker as subject (not 跟我/给我: the listener acting on the speaker), not 我们 (the employer)
_SELF: Final = re.compile("(?<![跟给让找和对向跟])(?:我|俺|本人)(?!们)")
_PRONOUNS: Final = re.compile(_PRONOUN)
# condemned, reported or asked to stop: a negation before a mocking verb and its object, a report, a rebuke
_CONDEMNED: Final = re.compile(
    "(?:别|不要|莫要?|不许|不准|不能|不该|不应该|少)(?:再)?(?:笑话?|嘲笑|取笑|说|讲|骂|看不起|瞧不起|歧视)"
    "(?:人家|别人|他|她|人|这种|外地)|有人说|有人骂|有人私信|说人家|说别人|自重|尊重|太过分|过分了|投诉|举报|伤人"
    "|不同意|这样不好|别学|文明|不分高低|不分贵贱"
)
# a company, a scam or a platform as the one judged (那家中介活该被查)
_COMPANY: Final = re.compile("中介|骗子|黑心|诈骗|这家公司|那家公司|这个厂|那个厂|这厂|那厂|平台|传销|老板跑")
# an inclusive answer after the claim (年纪大了还想学的，我们也欢迎)
_WELCOMED: Final = re.compile("欢迎|没问题|来得及|也行|也能|照样|一样能|不用担心|别担心|可以来|可以报|别灰心|加油|不容易|辛苦|吗$")

# the trait judged: looks, age, schooling and speech, class and work, a past
_LOOKS: Final = "长相|长得|长那|长这|这张脸|那张脸|这脸|那脸|饼脸|样子|样儿|模样|副样|嘅样|个子|矮成|胖成|黑成|丑成|嗓子|身材|块头"
_AGE: Final = (
    "[一二两三四五六七八九十几]+岁|[二三四五六七八九]十[多几来]?了|[0-9]{2}了|[0-9]{2}岁|一把年纪|这把年纪|这个年纪|这岁数|(?:年纪|岁数)(?:都)?(?:这么|那么|一大把|不小|也不小)?大|大岁数|大年纪"
    "|老女人|老男人|老头|老太|老阿姨|大妈"
)
_SCHOOL: Final = "学历|文凭|高中|初中|小学|没读过书|没上过学|没文化|认不全|普通话|口音|方言|腔调|水平|见识|脑子|履历|简历|本事|能耐"
_CLASS: Final = (
    "穷|地下室|农村|乡下|山沟|山里|种地|种田|捡破烂|捡垃圾|打杂|跑腿|送外卖|送快递|外卖的|快递的|农民工|保安|保洁|搬砖"
    "|挣[一二两三四五0-9]千|底层|出身|小地方|被开除|被辞退|被炒|离过婚|带娃|单亲|没人要|没人收|混日子"
)
_TRAIT: Final = f"{_LOOKS}|{_AGE}|{_SCHOOL}|{_CLASS}"
_TRAIT_RE: Final = re.compile(_TRAIT)

# presumption: a claim to something above the trait (还要 only with what is asked for: pay, a sum, the benefits)
_PAY: Final = ("月薪", "工资", "高薪", "待遇")
_SUM: Final = "[0-9十九八七六五四两三二一]+万"  # a sum in tens of thousands
_ASKED: Final = "|".join((*_PAY, "五险", "双休", _SUM))
_CLAIM: Final = (
    "还想|也想|都想|还敢|也敢|都敢|还有脸|有脸来|还好意思|还学人家|也配|还在(?:这|直播间)|懂什么|懂个啥|懂啥|知道个啥|"
    "还(?:折腾|瞎折腾|凑什么热闹|跟年轻人抢)|还在(?:找工作|投简历|到处|打零工|送外卖|租房)|"
    f"还要(?:{_ASKED})"
)
_CLAIM_RE: Final = re.compile(_CLAIM)
# a concession first: …都说不利索，还来…; 连个文凭都没有，坐在这里跟我谈…
_CONCEDED: Final = re.compile(
    "都(?:[^|]{0,3}?不|没有?|没人)[^|]{0,10}?(?:还(?:想|敢|来|要|好意思|在这|跟我)|也(?:想|敢)|坐在这|跟我谈|跟我讲)"
)
# what the bearer is kept from: speaking up, hoping, being seen (not a hiring act: 四十五岁以上的就别报了 is a refusal,
# the discrimination rules' to read)
_KEPT_FROM: Final = "(?:跟我|发言|说话|开口|想了|想这|做梦|出来|在这|插嘴|掺和|谈|讲|评论|指点|装|丢|现|瞎)"
# kept out of it: 住地下室的人就别跟我谈…; 你那点见识就别发言了
_KEPT_OUT: Final = re.compile(
    f"(?:(?:{_TRAIT})[^|]{{0,3}}?(?:的人?|那点|这点)?|(?:那点|这点)(?:{_SCHOOL}))就(?:别|不要|甭|莫){_KEPT_FROM}"
    "|(?:这种人|这号人|这样的人|这些人|这类人)[^|]{0,4}?就(?:别|不该|不配|只配|只能|不要)"
)
# a label and no standing: 你一个捡破烂出身的，凭什么…; 她一个离过婚带娃的，谁会…
_LABELLED: Final = re.compile(
    f"(?:{_PRONOUN})一个[^|]{{1,14}}?的[^|]{{0,8}}?(?:凭什么|有什么资格|什么资格|有啥资格|哪有资格|谁会|谁要|还想|还敢|也配)"
    f"|(?:{_PRONOUN})(?:也)?(?:不过|只不过|无非)是(?:个|一个)[^|]{{1,8}}?(?:的|而已|罢了)"
)


def _person(folded: str) -> bool:
    return _PERSON.search(folded) is not None


def _cleared(folded: str, start: int) -> bool:
    """Said of oneself (the speaker before it, nobody else named), condemned or reported."""
    if _CONDEMNED.search(folded) is not None:
        return True
    return _SELF.search(folded, 0, start) is not None and _PRONOUNS.search(folded) is None


def _found(folded: str, patterns: tuple[tuple[re.Pattern[str], str], ...]) -> Iterator[Raw]:
    for pattern, label in patterns:
        m = pattern.search(folded)
        if m is not None and not _cleared(folded, m.start()):
            yield ("harassment", "block", m.start(), m.end(), label)
            return


def presumed(folded: str) -> Iterator[Raw]:
    """A trait, then a claim above it; a concession first; kept out; a label denied standing."""
    for m in _CLAIM_RE.finditer(folded):  # the claim first (rarer than a trait), then the trait before it
        trait = _TRAIT_RE.search(folded, max(0, m.start() - 18), m.start())
        if trait is None or _WELCOMED.search(folded, m.end()) is not None or _COMPANY.search(folded) is not None:
            continue
        if not _cleared(folded, trait.start()):
            yield ("harassment", "block", trait.start(), m.end(), "claim above a trait")
        return
    # each shape's own literal first (the trait-led patterns are dear to try at every position); one hit is enough
    shapes = ((_CONCEDED, "claim after a concession", "都"), (_KEPT_OUT, "kept out for a trait", "就"),
              (_LABELLED, "label without standing", "是"), (_LABELLED, "label without standing", "一个"))  # fmt: skip
    for pattern, label, literal in shapes:
        if literal in folded:
            for raw in _found(folded, ((pattern, label),)):
                yield raw
                return


# a life judged: a fate, a stereotype, a cause in the origin, a tautology of class
_FATE: Final = re.compile(
    "(?:一辈子|这辈子|半辈子|下辈子)[^|]{0,12}?(?:的命|就这样|翻不了身|没出息|干嘛去了|干什么去了|干啥去了|白活)"
    "|就是[^|]{1,10}?的命|(?:能有|有什么|这点|没啥|有啥|能有啥)出息|翻不了身"
)
_TYPED: Final = re.compile(
    "一(?:看|听|瞧|瞅)就(?:是|知道)[^|]{0,8}?"
    "(?:山沟|山里|乡下|农村|小地方|穷|混日子|没见过世面|土|底层|没文化|没读过书|翻不了身|没出息|打工的命)"
)
_CAUSED: Final = re.compile(
    f"(?:{_CLASS}|{_SCHOOL})[^|]{{0,10}}?难怪[^|]{{0,8}}?(?:眼界|见识|素质|格局|没出息|窄|小气|土|要出来打工|穷|上不了)"
)
_TAUTOLOGY: Final = re.compile("([\u4e00-\u9fff]{1,3}(?:工|人|的|佬|仔|娃|民|货))就是\\1")


def fated(folded: str) -> Iterator[Raw]:
    """A person's life judged worthless: fate, stereotype, origin blamed, class as a tautology."""
    if not _person(folded) and _TAUTOLOGY.search(folded) is None:
        return
    yield from _found(folded, ((_FATE, "fate judged"), (_TYPED, "stereotype read off a person"),
                               (_CAUSED, "origin blamed"), (_TAUTOLOGY, "class as a tautology")))  # fmt: skip


# a misfortune deserved, said to or of a person
_DESERVED: Final = re.compile("活该|自找的|应得的|自作自受|咎由自取")  # not 谁让你…都别理: "whoever asks you"


def deserved(folded: str) -> Iterator[Raw]:
    """A misfortune called deserved: to or of a person, not a company or a scam."""
    m = _DESERVED.search(folded)
    if m is None or _PRONOUNS.search(folded) is None or _COMPANY.search(folded) is not None:
        return
    yield from _found(folded, ((_DESERVED, "misfortune deserved"),))


# a verdict on a person's worth (person-only words: nobody says them of a thing)
_WORTHLESS: Final = re.compile(
    "替(?:你|他|她)(?:脸红|害臊|丢人|尴尬|臊)|地缝|正眼(?:看|瞧)|(?:谁|哪个)(?:瞧|看)得上|瞧不上你|看不上你|上不了台面"
    "|上不得台面|拉低[^|]{0,8}?档次|碍眼|现世|浪费粮食|口粮|冇眼睇|被人嫌|遭人嫌|嫌你|嫌弃你|烧高香|偷着乐|感恩戴德"
    "|有什么资格|凭什么跟|还有脸|懒得跟你|心里没点?数|自知之明|活着(?:也是|就是|有什么)|留在世上|混吃等死"
    "|不(?:看|照|瞧|想)(?:下)?(?:自己|你自己)[^|]{0,4}?(?:什么样|啥样|几斤几两|什么水平|什么身份|配不配)|几斤几两"
    "|回(?:家|去|老家|村里)[^|]{0,2}?(?:带孙子|带娃|种地|种田|喂猪|养猪|放羊|放牛|洗睡|嫁人|抱孩子)|做梦去吧|别做梦"
    "|趁早[^|]{0,6}?回(?:老家|家|去)|把自己当(?:回事|根葱|盘菜|个人物)|哪根葱|谁给你的(?:勇气|自信|底气|脸)|配不上"
    "|人穷志短|穷山恶水|癞蛤蟆|撒泡尿照|(?:爹妈|父母|爸妈|家里人?)怎么教(?:的|你|他|她)|(?:混|活|过)(?:成这样|到这(?:个)?(?:地步|份上))"
    "|人生(?:失败|输家)|失败者|(?:谁|哪个|哪家)[^|]{0,4}?(?:会|肯|敢|愿意)(?:要|招|用|收|录)(?:你|他|她)|(?:小孩|小学生|三岁|娃娃|幼儿园|文盲|随便拉个人|路边|要饭的)[^|]{0,4}都比(?:你|他|她)"
)
# mocked only beside a trait: 被人笑, 笑死人, 吓着大家 are said of things too
_MOCKED: Final = re.compile("被人笑|笑掉大牙|笑死(?:个)?人|就想笑|吓着大家|吓到大家|没眼看|辣眼睛|遭罪|抹黑")
# speech mocked: the accent, then scorn
_SPEECH: Final = re.compile(
    "(?:口音|方言|腔调|土话|碴子味|普通话|乡音|调调)[^|]{0,10}?"
    "(?:土|笑死人|笑死个人|想笑|好笑|可笑|被人笑|笑话|难听|遭罪|抹黑|掉渣|刺耳|受不了)"
)


def scorned(folded: str) -> Iterator[Raw]:
    """A verdict on a person's worth, speech mocked, or mockery beside a trait."""
    if _COMPANY.search(folded) is not None:
        return
    if _person(folded) or _TRAIT_RE.search(folded) is not None:
        yield from _found(folded, ((_WORTHLESS, "worth judged"), (_SPEECH, "speech mocked")))
    else:  # speech mocked names its speaker (开口就是一股…味，别在这给…抹黑)
        yield from _found(folded, ((_SPEECH, "speech mocked"),))
        return
    m = _MOCKED.search(folded)
    if m is not None and _TRAIT_RE.search(folded) is not None and _person(folded) and _WORTHLESS.search(folded) is None:
        yield from _found(folded, ((_MOCKED, "trait mocked"),))


ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "presumed": ("还想", "也想", "都想", "还敢", "也敢", "都敢", "还有脸", "有脸来", "还好意思", "还学人家", "也配",
                 "还在这", "还在直播间", "还要", "还来", "坐在这", "跟我谈", "跟我讲", "就别", "就不要", "就甭", "就莫", "就不该", "就不配", "就只配", "就只能",
                 "凭什么", "什么资格", "啥资格", "哪有资格", "谁会", "谁要", "懂什么", "懂个啥", "懂啥", "知道个啥",
                 "还折腾", "还瞎折腾", "凑什么热闹", "跟年轻人抢", "不过是", "无非是", "还在找工作", "还在投简历",
                 "还在到处", "还在打零工", "还在送外卖", "还在租房"),
    "fated": ("辈子", "的命", "出息", "翻不了身", "一看就", "一听就", "一瞧就", "一瞅就", "难怪",
              "工就是", "人就是", "的就是", "佬就是", "仔就是", "娃就是", "民就是", "货就是"),
    "deserved": ("活该", "自找的", "应得的", "自作自受", "咎由自取"),
    "scorned": ("脸红", "害臊", "地缝", "正眼", "瞧得上", "看得上", "瞧不上", "看不上", "台面", "档次", "碍眼", "现世",
                "粮食", "口粮", "冇眼睇", "嫌你", "人嫌", "嫌弃你", "烧高香", "偷着乐", "感恩戴德", "资格", "凭什么跟", "有脸", "懒得跟你",
                "没点数", "没数", "自知之明", "活着", "留在世上", "混吃等死", "自己什么样", "自己啥样", "几斤几两",
                "回家带", "回去带", "回老家", "回家种", "回去种", "回家喂", "回去喂", "回家放", "回去放", "回家洗",
                "回去洗", "回家嫁", "回家抱", "回村里", "做梦去吧", "别做梦", "趁早",
                "被人笑", "笑掉大牙", "笑死", "就想笑", "吓着大家", "吓到大家", "没眼看", "辣眼睛", "遭罪", "抹黑",
                "当回事", "当根葱", "当盘菜", "当个人物", "哪根葱", "谁给你的", "配不上", "人穷志短", "穷山恶水", "都比你",
                "都比他", "都比她", "癞蛤蟆", "撒泡尿照", "怎么教", "成这样", "到这地步", "到这个地步", "到这份上",
                "到这个份上", "人生失败", "人生输家", "失败者", "会要你", "肯要你", "敢要你", "会要他", "会要她", "会招你",
                "会用你", "会收你", "愿意要你",
                "口音", "方言", "腔调", "土话", "碴子味", "普通话", "乡音", "调调"),
})  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType(
    {"presumed": presumed, "fated": fated, "deserved": deserved, "scorned": scorned}
)
DOUBLES: Final[Mapping[str, str]] = MappingProxyType(
    {"presumed": "harassment", "fated": "harassment", "deserved": "harassment", "scorned": "harassment"}
)
LABELS: Final[frozenset[str]] = frozenset(
    ("claim above a trait", "claim after a concession", "kept out for a trait", "label without standing", "fate judged",
     "stereotype read off a person", "origin blamed", "class as a tautology", "misfortune deserved", "worth judged",
     "speech mocked", "trait mocked")
)
