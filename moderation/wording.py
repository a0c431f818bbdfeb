"""The words the moderation policy reads around a hit: negations, demands, questions, warnings, reports.

Plain tables, kept apart from the rules in :mod:`moderation.policy` that compile them into patterns; each
round of the filter (docs/moderation.md) adds to them with a comment saying what wording it answers.
"""

from __future__ import annotations

QUESTION_WORDS = ("吗", "么", "嘛", "呢", "是不是", "要不要", "有没有", "会不会", "能不能", "可不可以", "用不用",
                  "需不需要", "交不交", "收不收", "多少", "哪", "谁", "啥", "如何", "请问", "咋")  # fmt: skip
# The company advancing a fee: no demand, unless the message takes it back from the pay (_CLAWBACK).
ADVANCED = ("公司先垫", "公司垫", "厂里先垫", "厂里垫", "公司预付", "公司先付", "公司先出", "老板垫", "老板先垫")
# Negation and warnings around a fee: "不收押金", "体检费公司报销", "交押金的都是骗子".
FEE_NEGATION = ("不收", "不用", "不需要", "无需", "无须", "没有", "无任何", "免费", "全免", "免收", "不要交",
                "不交钱", "不是那种", "不会收", "不让", "从来不", "从不", "不会让", "不扣", "不押", "严禁", "禁止", "拒绝", "谨防", "小心", "注意", "骗", "举报",
                "不要相信", "别信", "报销", "公司出", "冒充", "不要转账", "无中介", "无押金", "不存在", "公司承担", "公司负责", "公司包", "公司给", "零元",
                # issue 14, session 2: refusals and "the company pays" in other words; warnings ("都是假的")
                "不交", "不缴", "不花", "分文不", "一分不", "全包", "包掉", "公司报", "公司付", "公司掏", "由公司",
                "厂里出", "厂里报", "厂里包", "厂里承担", "老板出", "假的", "是假", "不要信", "不能信", "不是我们",
                "一律没有", "都没有", "不上", "不碰", "都不要", "不要钱", "没收过", "从来没", "从没", "没听说", "不可能",
                "报警", "不能收", "不得收", "不准收", "不可以收", "别去", "拉黑", "没这回事", "没有这回事",
                "入职报", "到厂报", "全报", "给报", "来报", "我不做", "我不去", "我不干", "勿相信", "请勿", "切勿",
                "公司全额", "厂里全额", "别交", "免除", "减免", "豁免", "免交", "免掉", "不涉及", "不存在任何",  # round 5:
                "公司买", "公司交", "公司缴", "公司统一买", "公司统一交", "厂里买", "厂里交", "不是收费", "不算收费", "不属于收费",
                # round 8: dialect and colloquial refusals (莫得压金, 冇按金, 唔使交, 甭掏钱) and the company advancing it
                "莫得", "没得", "木有", "冇", "唔使", "唔洗", "唔收", "甭", "不掏", "一分钱都不", "一分都不",
                # round 13, batch 15 read: Wu 勿 (not) and 覅 (don't) — "阿拉厂里从来勿收押金"
                "勿收", "勿要收", "勿交", "勿要交", "覅交", "覅付", "覅收",
                # round 9, in the fee's own clause ("学美容要交学费的 我们这边不推荐"); not in HARM, where one
                # "不建议" anywhere would excuse a whole scam pitch ("刷单日结，不建议错过")
                "不推荐", "不建议",
                # round 11: walking away from it ("遇到先交学费再分期的直接走"), the hypothetical of a warning ("遇到…的，…")
                "的直接走", "的赶紧走", "的快跑", "的赶紧跑", "正规公司不会", "遇到", "碰到", "凡是",
                # round 11 merge: the employer saying "we pay" in the first person ("体检费我们出")
                "我们出", "我们来出", "我们承担", "我们负责", "我们报", "我们掏", "我们包",
                # round 12: the client pays (家政: "东家付的服务费"), a hypothetical other ("如果有人让你…"), those who
                # charge named as a kind ("入职前要你交钱的，…都不合法"), no group collects it ("不在任何群里收费")
                "交给考试机构", "交给考试院", "交给考试中心", "交给人事考试",  # round 17: the exam body is paid, not us
                "东家付", "东家出", "雇主付", "雇主出", "客户付", "客户出", "东家承担", "雇主承担", "客户承担",
                # round 19: the employer named as the hiring company pays (服务费企业付，求职者零费用)
                "企业付", "企业出", "企业承担", "用人单位付", "用人单位出", "用人单位承担", "招聘方付", "招聘方承担",
                # round 24: the employer or a third party pays (服务费由用工企业支付, 学费单位出, 内推费是腾讯付给推荐人的)
                "企业支付", "企业付费", "单位出", "单位支付", "单位付", "零收费", "付给推荐人", "付给地接社",
                "不代收", "不代扣", "不搞这一套", "不搞这套", "厂里掏", "单位掏", "老板掏",  # batch 26: 报名费厂里掏
                "如果有人", "要是有人", "万一有人", "假如有人", "让你交钱的", "要你交钱的", "叫你交钱的", "收你钱的",
                "让你先交钱的", "不在任何",
                *ADVANCED)  # fmt: skip
# A fee stated with one of these is being demanded ("先交", "自理", an amount).
FEE_DEMAND = ("交", "缴", "付", "支付", "收", "转", "扣", "先", "需", "要", "准备", "带", "自理", "自费", "自己出", "买",
              "贷", "元", "块", "百", "千", "万", "佰", "仟", "拾", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9")  # fmt: skip
# Message-level: talking ABOUT diversion to warn against it ("不用加微信，直接点报名").
DIVERSION_NEGATION = ("不用加", "不要加", "不需要加", "无需加", "别加", "不加", "不会让", "不要相信", "别信",
                      "不需要私下", "不用私下", "不要私下", "严禁", "禁止", "骗子", "谨防", "小心",
                      "不是我们", "不是官方", "冒充", "不用私", "不私聊", "不需要私", "都是骗", "被骗",
                      "不要添加", "不添加", "别添加", "无需添加", "不需要添加", "请勿", "切勿", "勿加",
                      # round 3: telling seekers to keep their number to themselves
                      "不要留", "别留", "勿留", "不要在评论区", "不要在公屏", "别在评论区", "别在公屏", "保护好自己的隐私", "保护隐私", "保护好隐私",
                      "都是假的", "是假的", "谁说是", "谁让你",  # round 5: someone else's invitation called false
                      "不想加", "不愿加", "不愿意加", "不想去别", "不想私",  # round 8: a seeker declining
                      "就不给了", "不方便给", "就不留了",  # round 17: a number withheld (私人号码就不给了，站内信说)
                      "就不要了", "钓人", "别乱连", "别乱加",  # round 22: a contact declined, a bait warned against
                      "不是加",  # round 23: a joke taken back (加个班呗？不是加微信哈哈); 愿不愿意加 no longer refuses
                      "在直播间问", "就在这问", "就在这里问",  # round 23: the questions kept here (…不用了，就在直播间问)
                      "的我都不回", "的我一律不回", "的一律不回", "的都不回", "的我不回", "的我都不理", "的一律不理",  # round 24: 私信我要微信的我都不回了
                      "没理他", "没理她", "没搭理", "没理会", "不搭理他", "不搭理她",  # round 24: a namesake reported and ignored
                      "不发个人", "不接受私", "就不公开", "不公开了", "别把自己的", "不要把自己的",  # round 24: a host's or seeker's refusal
                      "不能留", "不许留", "不让留", "不可以留", "不得留", "不能加", "不能私", "不让私下", "不让加",  # round 9: a platform rule told
                      # round 12: impersonation, "no need to message me privately", "we will not ask for your
                      # number", a crime named, a loss told
                      "打着我们", "打着公司", "打着平台", "打着主播", "认准本直播间", "认准官方", "不用找我私", "别找我私",
                      "不要找我私", "不需要找我私", "不会要你", "不会问你要", "不会找你要", "不会索要", "帮信罪", "判刑",
                      "提不出来",
                      # round 13: a platform rule told in other words ("加个微信好友是不被允许的，有事在平台说")
                      "不被允许", "是不允许的", "不允许加", "不允许私", "不允许留", "不准加", "不可以加",
                      "莫加", "莫私")  # fmt: skip  # round 15: refused in dialect (莫加私人微信)
# Talking ABOUT a scheme to warn against it ("谨防刷单", "冒充我们的都是骗子"); not 不用/免费, which a
# scam's own pitch uses ("不用面试直接录用").
SCAM_NEGATION = ("谨防", "小心", "骗", "举报", "不要相信", "别信", "冒充", "警惕", "远离", "严禁", "禁止",
                 "拒绝", "不要做", "别做", "不招", "上当", "假的", "不要信", "我不做", "我不去", "我不干", "不碰",
                 "不敢碰", "不敢做", "不敢去", "不敢信", "不敢交", "别碰",
                 # round 11: what honest employers never do, and "walk away when you meet it"
                 "正规公司不会", "正规的公司不会", "正规单位不会", "正规招聘不会", "的直接走", "的赶紧走", "的快跑", "的赶紧跑",
                 # round 11 merge: "刷脸、借卡、跑分这些千万不要碰" (not a bare 千万不要: "千万不要错过" is a pitch)
                 "不要碰", "不能碰", "别沾", "不要沾",  # round 8: "入股分红的那种我可不敢碰"
                 # round 12: "千万不要把银行卡借给别人": one's own card or account kept from others (a buyer says 卖给我)
                 "借给别人", "卖给别人", "租给别人", "借给他人", "卖给他人", "租给他人",
                 # round 12 (batch 14 read after its end figure): "…你掉头就走，我们不搞这个" (not a bare 不搞: "不搞虚的")
                 "不搞这个", "不搞这些", "不搞这种", "掉头就走", "扭头就走", "转身就走",
                 "不搞这一套", "不搞这套", "肯定不干", "肯定不做", "才不干", "绝对不干",  # round 24
                 "都是假", "刑事责任",  # batch 26: 爆破证包过的都是假证，查出来要负刑事责任
                 "陷阱")  # fmt: skip  # round 15: "…包往返机票的，基本都是陷阱"
# A job seeker telling what happened to them or to people they know ("我之前做过刷单", "朋友去了缅北").
SEEKER_PAST = ("之前", "以前", "上次", "去年", "前年", "当过", "做过", "干过", "去过", "交过", "被", "让我", "叫我",
               "朋友", "亲戚", "同学", "表哥", "表姐", "我哥", "我姐", "家里人", "听说", "有人", "广告", "投诉",
               "试过", "我已经签", "我签了", "签过", "后悔",  # round 12: "培训贷我已经签了，现在后悔了"
               "上个月", "上周", "上礼拜", "前几天", "前阵子", "上回")  # fmt: skip  # round 24: "我上个月做点赞任务垫了三百…"
# Calling a scheme or a fee harmful ("培训贷坑人", "刷单犯法", "缅北很危险，千万别去"), unless denied ("刷单不犯法").
HARM = ("害人", "坑人", "是坑", "危险", "犯法", "违法", "套路", "忽悠", "被抓", "不介绍", "不能去", "别去", "千万别",
        "拿不回来", "黑中介", "投诉", "害死", "判刑", "坐牢", "犯罪", "抓起来",
        # round 11: a scheme named for what it is ("…拉人头的那种不是工作，是传销"; not "不是传销")
        "是传销", "是诈骗", "是骗局",
        # round 12: a scheme named for what it is ("…千万别签，那是培训贷"; not "不是培训贷"), called unlawful or a
        # swindle, or a loss told ("充了三千提不出来")
        "是培训贷", "叫培训贷", "属于培训贷", "是套路贷", "帮信罪", "不合法", "割韭菜", "提不出来", "提不了现",
        # round 13: "…那是电诈园区，千万不要去" (not a bare 不要去: "不要去工厂了，来…" is a pitch)
        "电诈", "千万不要去", "千万不能去", "千万不要信")  # fmt: skip
# A contact app is diversion only next to one of these, or followed by a handle.
CONTACT_BEFORE = ("加", "联系", "搜", "扫", "私", "找", "留", "添", "关注", "进", "移步", "戳", "滴滴", "联络", "咨询", "互加")
CONTACT_AFTER = ("号", "联系", "找", "私", "聊", "详谈", "谈", "发你", "加", "搜", "同号", "我", "想进", "进了", "扣1",
                 "见", "沟通", "戳", "滴滴", "交流", "回复", "给你发", "发给我", "扫", "拉你", "对接", "咨询", "call", "留言")  # fmt: skip
# A seeker telling what someone else did ("有人私信我说交钱") reports diversion; it does not divert.
REPORTED = ("有人", "别人", "对方", "那个人", "这个人", "让我", "叫我", "要我", "被",
            # round 8: an unnamed account or person ("刚有个号私信我…", "有个自称HR的让我…")
            "有个号", "有个人", "有个自称", "有个陌生", "一个陌生", "有个主播", "有个中介", "有个老板", "有个账号", "自称")  # fmt: skip
