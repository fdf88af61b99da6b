"""Closed classes of words whose swap changes a fact, for the record check (dedup.records).

``涨`` for ``跌``, ``蓝色`` for ``黄色``, ``东`` for ``西`` or ``年`` for ``月`` after a number say
something else, where an open-class word swapped for another is a rewording. Each class below
is a real closed class of Chinese (its members can be listed), written as groups: a word
swapped for a word of another group of its class is a fact; words of one group mean the same
(``上涨`` / ``上升``, ``公斤`` / ``千克``), so swapping them is not. Keys are simplified
(OpenCC), so the words are too.
"""

from __future__ import annotations

from collections.abc import Mapping

# Words that negate the predicate after them (不同意, 没有, 未到, 非正式); added or dropped,
# they say the opposite.
NEGATIONS = frozenset(
    (
        "不", "没", "没有", "未", "无", "非", "否", "别", "勿", "莫", "甭", "不曾", "未曾",
        "从不", "从未", "从没", "尚未", "并不", "并非", "并未", "绝不", "决不", "毫不", "不再",
    )
)  # fmt: skip
# The one-character verbs a negation is put before (有/没有, 是/不是, 能/不能); a longer
# predicate is any dictionary word. Other single characters after 不 or 无 are more often
# the rest of one word (不断, 无法, 未来, 非常) than a predicate.
NEGATED_VERBS = frozenset("有是能会要可该应敢肯准许需得曾对好行")

# Opposites, by the name of the class: two groups each.
OPPOSITES: Mapping[str, tuple[frozenset[str], frozenset[str]]] = {
    name: (frozenset(one.split()), frozenset(other.split()))
    for name, one, other in (
        ("direction of change",
         "涨 升 增 上涨 上升 增长 增加 提高 升高 增多 攀升 走高 上调 增强 加快",
         "跌 降 减 下跌 下降 减少 降低 下滑 回落 走低 下调 减弱 减慢 放缓"),
        ("growth of size", "扩大 扩张", "缩小 收缩"),
        ("value of a currency", "升值", "贬值"),
        ("daily price limit", "涨停", "跌停"),
        ("balance of trade", "顺差", "逆差"),
        ("profit and loss", "盈 盈利 赢利 获利 盈余", "亏 亏损 亏本 赤字"),
        ("income and spending", "收入", "支出"),
        ("winning and losing", "胜 赢 获胜 胜利 取胜", "负 输 败 失败 落败"),
        ("buying and selling", "买 买入 买进 购买 购入", "卖 卖出 出售 售出"),
        ("quantity", "多 较多 很多", "少 较少 很少"),
        ("height", "高 较高 很高 高于", "低 较低 很低 低于"),
        ("extremes", "最高 最大 最多", "最低 最小 最少"),
        ("size", "大 大幅 大型", "小 小幅 小型"),
        ("above and below", "上 以上", "下 以下"),
        ("before and after", "前 以前 之前", "后 以后 之后"),
        ("left and right", "左", "右"),
        ("sex", "男 男性 男子", "女 女性 女子"),
        ("sign", "正", "负"),
        ("inside and outside", "内 国内 境内", "外 国外 境外"),
        ("way out and in", "出", "入 进"),
        ("open and shut", "开 打开 开放 开启", "关 关闭"),
        ("support and opposition", "支持 赞成 拥护", "反对"),
        ("decision", "同意 批准 通过", "反对 否决 驳回 拒绝"),
        ("acceptance", "接受", "拒绝"),
        ("permission", "允许", "禁止"),
        ("affirmation", "肯定", "否定"),
        ("outcome", "成功", "失败"),
        ("merit", "优点 长处 优势", "缺点 短处 劣势"),
        ("guilt", "有罪", "无罪"),
        ("advantage", "有利", "不利"),
        ("effect", "有效", "无效"),
        ("relevance", "有关", "无关"),
        ("lawfulness", "合法", "违法 非法"),
        ("market news", "利好", "利空"),
        ("truth", "真", "假"),
        ("time of day", "早", "晚"),
        ("length", "长", "短"),
        ("speed", "快", "慢"),
        ("strength", "强", "弱"),
        ("age", "新", "旧"),
        ("temperature", "冷", "热"),
        ("distance", "远", "近"),
        ("done and not yet", "已 已经", "未 尚未 还未 还没有"),
        ("having", "有", "无 没有"),
        ("test result", "阳性", "阴性"),
        ("home and away", "主场", "客场"),
        ("market trend", "牛市", "熊市"),
        ("election", "当选", "落选"),
        ("listing on an exchange", "上市", "退市"),
        ("trading session", "开盘", "收盘"),
    )
}  # fmt: skip

# Offices that have a deputy (副): 总经理 and 副总经理 are two posts.
_OFFICES = (
    "总统 总理 主席 书记 部长 省长 市长 县长 区长 镇长 乡长 厅长 局长 处长 科长 主任 "
    "院长 校长 所长 庭长 检察长 行长 社长 会长 理事长 董事长 秘书长 总经理 经理 总裁 "
    "总编辑 主编 教授 研究员 司令 司令员 政委 参谋长 队长 组长 班长 团长 主任委员"
)

# Sets of more than two: one group per member, or per spelling of one member.
SETS: Mapping[str, tuple[frozenset[str], ...]] = {
    name: tuple(frozenset(group.split("/")) for group in groups.split())
    for name, groups in (
        ("colour", "红/赤 橙 黄 绿 青 蓝 紫 白 黑 灰 金 银"),
        ("compass direction", "东 南 西 北 东北 东南 西北 西南"),
        # the heavenly stems as grades (甲级, 乙方) and the levels of an emergency
        ("grade", "甲 乙 丙 丁"),
        ("level", "特别重大/特大 重大 较大 一般"),
        ("rank", "高级 中级 初级"),
        # what a rule says one must, should, may or must not do
        ("modality", "必须/务必 应当/应该 可以/能够 不得/不准/不许/严禁"),
        # what a growth rate is measured against
        ("period compared", "同比 环比"),
        # relatives: another relative is another person
        (
            "kin",
            "父亲/爸爸 母亲/妈妈 儿子 女儿 哥哥 姐姐 弟弟 妹妹 爷爷/祖父 奶奶/祖母 "
            "外公/外祖父 外婆/外祖母 丈夫/老公 妻子/老婆 孙子 孙女 叔叔 阿姨 舅舅 姑姑",
        ),
        # personal pronouns: another person, or another sex
        ("person", "我 你/您 他 她 它 我们 你们 他们 她们"),
        ("occurrence", "首次/第一次 再次/又一次"),
        # the weather of a forecast, and how much rain or snow
        ("weather", "晴/晴天 多云 阴/阴天 雨/雨天 雪/雪天 雾 沙尘"),
        ("rain", "小雨 中雨 大雨 暴雨 大暴雨 特大暴雨"),
        ("snow", "小雪 中雪 大雪 暴雪"),
        # places and medals of a contest, degrees, schools, levels of government
        ("place", "冠军 亚军 季军"),
        ("medal", "金牌 银牌 铜牌"),
        ("degree", "学士 硕士 博士"),
        ("school", "小学 初中 高中 大学"),
        ("administrative level", "国家级 省级 市级 县级 乡级"),
        # currencies named without an amount (以美元结算 / 以欧元结算)
        (
            "currency",
            "美元 欧元 日元 英镑 人民币 港元/港币 卢布 韩元 澳元 加元 新台币/台币 瑞士法郎/瑞郎",
        ),
        # what befell the people of an accident, and what the police did with a suspect
        ("casualties", "死亡/遇难/身亡/丧生/罹难 受伤/负伤 失踪 获救/生还/幸存"),
        ("custody", "逮捕 拘留 释放/获释"),
        # sports: another sport is another team, match or record
        (
            "sport",
            "足球 篮球 排球 乒乓球 羽毛球 网球 棒球 垒球 手球 冰球 橄榄球 高尔夫球 水球 "
            "游泳 田径 体操 举重 射击 击剑 拳击 柔道 跆拳道 摔跤 马拉松",
        ),
        # an office and its deputy: another post, most often another person
        ("office", " ".join(f"{title} 副{title}" for title in _OFFICES.split())),
    )
}

# Units and measure words after a number (10年 / 10月, 5元 / 5美元); one group per unit.
UNITS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split("/"))
    for line in (
        # time
        "年 个月/月 日/天 周/星期/礼拜 时/小时/钟头 分/分钟 秒/秒钟 季度 周年 世纪 岁/周岁",
        # money
        "元/块 角/毛 美元 港元/港币 欧元 日元 英镑 人民币",
        # length, area, mass, volume
        "米/公尺 千米/公里 厘米/公分 毫米 里 英里 平方米/平米 平方公里 亩 公顷",
        "克/公克 千克/公斤 斤 吨/公吨 毫克 升/公升 毫升 立方米",
        # other measures
        "度 倍 成",
        # measure words that count (个, 名 and 位 count people alike)
        "个/名/位/人 家 次/回 项 件 台 辆 架 艘 座 所 届 期 批 场 条 户",
    )
    for group in line.split()
)
