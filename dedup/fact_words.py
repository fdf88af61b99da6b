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
        ("home and away", "主场 主队", "客场 客队"),
        ("market trend", "牛市", "熊市"),
        ("election", "当选", "落选"),
        ("listing on an exchange", "上市", "退市"),
        ("trading session", "开盘", "收盘"),
        ("position in a market", "多头 做多", "空头 做空"),
        ("wholesale and retail", "批发", "零售"),
        ("deposits and loans", "存款", "贷款"),
        ("interest rate", "加息 升息", "降息 减息"),
        ("take-off and landing", "起飞", "降落 着陆"),
        ("arrival and departure", "抵达 到达 进港", "出发 离开 启程 出港"),
        ("attendance", "出席", "缺席"),
        ("birth and death", "出生 诞生", "死亡 去世 逝世 病逝"),
        ("hiring and firing", "录用 聘用 雇用", "解雇 辞退 开除 解聘"),
        ("starting and substitute", "首发", "替补"),
        ("goals", "进球", "失球"),
        ("above and below zero", "零上", "零下"),
        ("level of power", "中央", "地方"),
        ("house of a parliament", "参议院 上院 上议院", "众议院 下院 下议院"),
        ("ticket", "单程", "往返"),
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
        # keys hold 进阶 for 高级 (the phrase rules unify it with Taiwan's 進階)
        ("rank", "高级/进阶 中级 初级"),
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
        ("school", "小学 初中 高中 中专 大专 大学/本科 研究生"),
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
        # a match and a tournament: won, drawn or lost, through or out
        (
            "result of a match",
            "胜/赢/获胜/胜利/取胜/战胜/击败 平/战平/打平/平局 负/输/败/失败/落败/负于/输给",
        ),
        ("result in a tournament", "夺冠 卫冕 晋级/出线 出局/淘汰"),
        ("position on a team", "前锋 中锋 边锋 中场/前卫 后卫 门将/守门员"),
        ("weight class", "轻量级 中量级 重量级"),
        ("stage of a competition", "预赛/初赛 复赛 小组赛 淘汰赛 四分之一决赛 半决赛 决赛"),
        ("event", "单打 双打 混双 团体"),
        ("set piece", "点球 任意球 角球 界外球"),
        ("prize", "特等奖 一等奖 二等奖 三等奖 优秀奖 鼓励奖 金奖 银奖 铜奖"),
        # time: festivals, parts of a year, quarters, years of the zodiac
        (
            "festival",
            "春节 元宵节 清明节 劳动节/五一 端午节 七夕 中秋节 重阳节 国庆节/国庆 元旦 圣诞节 除夕",
        ),
        ("part of a period", "上半场 下半场 上半年 下半年 上旬 中旬 下旬"),
        ("quarter", "第一季度/一季度 第二季度/二季度 第三季度/三季度 第四季度/四季度"),
        (
            "zodiac",
            " ".join(f"{animal}年/属{animal}" for animal in "鼠牛虎兔龙蛇马羊猴鸡狗猪"),
        ),
        ("year", "前年 去年 今年 明年 后年"),
        ("term", "短期/近期 中期 长期/远期"),
        ("meal", "早餐/早饭 午餐/午饭 晚餐/晚饭"),
        # school and work: the year of a student, ranks, academic titles, political standing
        ("year at school", "初一 初二 初三 高一 高二 高三 大一 大二 大三 大四 研一 研二 研三"),
        ("entrance exam", "中考 高考 考研"),
        (
            "military rank",
            "列兵 上等兵 下士 中士 上士 少尉 中尉 上尉 大尉 少校 中校 上校 大校 少将 中将 "
            "上将 大将 元帅",
        ),
        ("police rank", "警员 警司 警督 警监 总警监"),
        ("academic title", "助教 讲师 副教授 教授 助理研究员 副研究员 研究员"),
        (
            "political standing",
            "中共党员/共产党员/党员 共青团员/团员 民主党派 无党派 群众",
        ),
        ("student", "本科生 硕士生/硕士研究生 博士生/博士研究生"),
        ("employment", "在职 离职 退休 下岗 失业"),
        ("contract", "签约 解约 续约"),
        ("result of a test", "优秀 良好 合格/及格 不合格/不及格"),
        ("vote", "赞成/赞成票 反对/反对票 弃权/弃权票"),
        ("kind of election", "初选 大选 补选 换届"),
        ("marital status", "已婚 未婚 离异 丧偶"),
        ("marriage", "结婚 订婚 离婚 复婚"),
        ("order of birth", "长子 次子 幼子 长女 次女"),
        ("taking and leaving office", "就任/上任/就职 连任 卸任/离任 辞职/请辞 下台"),
        ("appointment", "任命 免职 撤职 提拔 降职"),
        # the law: crimes, punishments, courts, parties, stages of a case
        (
            "crime",
            "盗窃 抢劫 抢夺 诈骗 贪污 受贿 行贿 挪用公款 职务侵占 洗钱 非法集资 强奸 "
            "杀人/故意杀人 故意伤害 绑架 走私 贩毒/贩卖毒品 放火/纵火 敲诈勒索/敲诈 寻衅滋事 "
            "危险驾驶 交通肇事",
        ),
        (
            "punishment",
            "死刑 死缓/死刑缓期执行 无期徒刑 有期徒刑 拘役 管制 缓刑 罚金 没收财产 剥夺政治权利",
        ),
        (
            "level of a court",
            "基层人民法院/基层法院 中级人民法院/中级法院/中院 "
            "高级人民法院/进阶人民法院/高级法院/进阶法院/高院 最高人民法院/最高法院/最高法",
        ),
        ("branch of power", "立法 司法 行政"),
        ("party to a case", "原告/原告方 被告/被告方 上诉人 被上诉人"),
        ("instance", "一审 二审 再审 终审"),
        ("ruling on appeal", "维持原判 改判 发回重审"),
        ("case", "立案 撤案 结案 破案"),
        ("lawsuit", "起诉 上诉 撤诉 申诉 抗诉"),
        ("person in a case", "嫌疑人/犯罪嫌疑人 受害人/被害人 证人 死者 伤者"),
        ("firearm", "手枪 步枪 机枪 冲锋枪 猎枪"),
        ("drug", "海洛因 冰毒 大麻 可卡因 摇头丸 鸦片"),
        # health: diseases, injuries, a patient's state, blood types, parts of the body
        (
            "disease",
            "流感 禽流感 肺炎 新冠肺炎 非典 癌症 肺癌 肝癌 胃癌 乳腺癌 白血病 肝炎 "
            "结核/肺结核 艾滋病/爱滋病 糖尿病 高血压 心脏病 中风 霍乱 疟疾 麻疹 鼠疫 狂犬病 "
            "登革热 手足口病 天花 伤寒 痢疾 水痘",
        ),
        ("injury", "轻微伤 轻伤 重伤"),
        ("severity", "轻度 中度 重度"),
        ("department of a hospital", "门诊 急诊"),
        ("state of a patient", "疑似 确诊 住院/入院 出院 治愈/痊愈/康复"),
        ("blood type", "a型 b型 o型 ab型"),
        (
            "part of the body",
            "头/头部 胸/胸部 腹/腹部 腿/腿部 背/背部 颈/颈部 腰/腰部 臀/臀部 面部 "
            "手臂 手/手部 脚/脚部/足部 眼/眼部",
        ),
        # disasters
        (
            "natural hazard",
            "台风 暴雨 干旱 地震 洪水/洪涝 暴雪 冰雹 寒潮 山火/森林火灾 泥石流 滑坡 "
            "龙卷风 海啸 沙尘暴",
        ),
        ("flood stage", "警戒水位 保证水位"),
        # vehicles and means of transport (keys hold 的士 for 出租车, 脚踏车 for 自行车)
        (
            "vehicle",
            "货车/卡车 客车/大巴 轿车/小轿车 公交车/公共汽车 出租车/的士 摩托车 面包车 "
            "自行车/单车/脚踏车 电动车/电动自行车/电动脚踏车 三轮车 拖拉机 救护车 消防车 警车",
        ),
        (
            "means of transport",
            "飞机/航班/客机/班机 火车/列车 高铁 动车 轮船/客轮 地铁 轻轨 汽车",
        ),
        # markets: commodities, power sources, boards, securities, insurance, taxes, ratings
        (
            "commodity",
            "黄金 白银 铂金 原油/石油 天然气 铜 铝 锌 镍 铅 锡 铁矿石 钢材 螺纹钢 煤炭 焦炭 "
            "大豆 豆粕 玉米 小麦 稻谷 棉花 白糖 橡胶",
        ),
        ("fuel", "汽油 柴油 煤油/航空煤油"),
        ("power source", "煤电/火电 核电 风电 水电 光伏/太阳能"),
        ("market board", "主板 创业板 科创板 中小板/中小企业板 新三板"),
        ("security", "股票 债券 基金 期货 期权 权证"),
        (
            "insurance",
            "寿险/人寿保险 财险/财产保险 车险 医疗保险/医保 养老保险 失业保险 工伤保险 "
            "生育保险 意外险",
        ),
        (
            "tax",
            "增值税 所得税 个人所得税/个税 企业所得税 消费税 营业税 印花税 关税 房产税 "
            "资源税 契税 遗产税",
        ),
        ("analyst rating", "买入 增持 中性 减持 卖出"),
        ("ownership", "国有/国营/公有/公立/公办 民营/私营/私有/私立/民办 外资 集体 合资"),
        ("stage of a works", "开工 复工 停工 罢工 完工/竣工"),
        ("trading of a shop", "开业/开张 停业/歇业 倒闭 破产"),
        ("part of a river or chain", "上游 中游 下游"),
        ("border", "入境 出境 过境"),
        ("class of a seat", "头等舱 商务舱 经济舱 硬座 软座 硬卧 软卧 站票/无座"),
        ("room", "单人间 双人间 标准间 套房"),
        (
            "administrative unit",
            "直辖市 地级市 县级市 自治区 自治州 自治县 特别行政区",
        ),
        # places and the sky
        (
            "continent",
            "亚洲 欧洲 非洲 美洲 北美洲 南美洲 拉丁美洲/拉美 大洋洲 南极洲",
        ),
        ("planet", "水星 金星 地球 火星 木星 土星 天王星 海王星"),
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
        "米/公尺 千米/公里 厘米/公分 毫米 里 英里/英哩 平方米/平米 平方公里 亩 公顷",
        "克/公克 千克/公斤 斤 吨/公吨 毫克 升/公升 毫升 立方米",
        # other measures
        "度 倍 成",
        # measure words that count (个, 名 and 位 count people alike)
        "个/名/位/人 家 次/回 项 件 台 辆 架 艘 座 所 届 期 批 场 条 户",
    )
    for group in line.split()
)
