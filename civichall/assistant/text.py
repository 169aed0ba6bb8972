"""How the assistant reads a question: folding, colloquial rewrites and
segmentation (pure; no Django).

Residents ask in their own words — "失业了怎么领钱", "宝宝出生了怎么上户口",
"公交车几点来" — while services and articles are written in official ones
("失业保险金申领", "新生儿户口登记", "实时公交"). :data:`REWRITES` maps the
spoken word to the official one; the official word is *added* to the
question, never put in its place, so a question that used the official word
already loses nothing. Words are cut with a private jieba tokenizer that has
learnt the catalog's terms (service names, keywords, FAQ questions), so
"社保卡" or "居住证" stay whole, without changing how other rooms cut text.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable

import jieba

# Spoken or regional wording -> the words the services and articles use.
REWRITES: dict[str, tuple[str, ...]] = {
    "上户口": ("户口登记", "户籍", "出生登记"),
    "报户口": ("户口登记", "户籍", "出生登记"),
    "落户": ("户口登记", "户籍", "落户"),
    "户口": ("户籍", "户口登记"),
    "领钱": ("申领", "领取", "补贴", "保险金"),
    "拿钱": ("申领", "领取", "补贴"),
    "补助": ("补贴",),
    "补贴": ("补助",),
    "失业": ("失业保险", "失业保险金"),
    "没工作": ("失业", "失业保险", "就业"),
    "丢了工作": ("失业", "失业保险"),
    "被辞退": ("失业", "失业保险"),
    "下岗": ("失业", "失业保险"),
    "找工作": ("就业", "招聘", "求职"),
    "宝宝": ("新生儿", "婴儿", "儿童", "婴幼儿", "幼儿"),
    "小孩": ("儿童", "子女"),
    "孩子": ("儿童", "子女", "学生"),
    "娃": ("儿童", "子女"),
    "生孩子": ("生育", "新生儿", "出生"),
    "生娃": ("生育", "新生儿", "出生"),
    "出生": ("新生儿", "出生登记"),
    "上学": ("入学", "招生"),
    "读书": ("入学", "学校"),
    "老人": ("老年人", "养老"),
    "退休": ("养老", "养老金"),
    "看病": ("就医", "医院", "医疗"),
    "挂号": ("预约挂号", "门诊"),
    "化验单": ("检查报告", "检验报告"),
    "体检报告": ("检查报告",),
    "打针": ("接种", "疫苗"),
    "巴士": ("公交",),
    "公交车": ("公交",),
    "车来": ("到站", "公交"),
    "到哪了": ("到站", "实时"),
    "堵车": ("路况", "拥堵"),
    "罚单": ("交通违法", "违章"),
    "违章": ("交通违法",),
    "吃罚单": ("交通违法",),
    "扣分": ("交通违法", "违章"),
    "扔": ("投放", "垃圾分类"),
    "丢垃圾": ("垃圾分类", "投放"),
    "淹水": ("积水",),
    "有水": ("积水",),
    "水淹": ("积水",),
    "涨水": ("积水",),
    "下雨": ("天气", "降雨"),
    "热不热": ("天气", "气温"),
    "冷不冷": ("天气", "气温"),
    "租房": ("租赁", "住房", "居住证"),
    "外地人": ("居住证", "来沪"),
    "暂住证": ("居住证", "居住登记"),
    "残疾": ("残疾人",),
    "残疾人": ("残疾",),
    "公积金": ("住房公积金",),
    "提取": ("提取", "公积金"),
    "医保": ("医疗保险", "医保卡", "社保"),
    "社保卡": ("社会保障卡",),
    "身份证": ("居民身份证",),
    "护照": ("出入境", "护照"),
    "港澳": ("港澳通行证", "出入境"),
    "地铁": ("轨道交通",),
    "停车": ("停车场", "车位"),
    "交水费": ("缴费", "水费"),
    "交电费": ("缴费", "电费"),
    "水电煤": ("缴费",),
    "重名": ("同名", "姓名"),
    "起名": ("同名", "姓名", "重名"),
    "取名": ("同名", "姓名", "重名"),
    "多少人叫": ("同名", "重名"),
    "开证明": ("证明", "开具"),
    "取出来": ("提取",),
    "拿出来": ("提取",),
    "提出来": ("提取",),
    "驾照": ("驾驶证",),
    "落雨": ("下雨", "降雨", "天气"),
    "礼拜": ("星期",),
    "几套房": ("不动产", "房产"),
    "名下": ("登记", "信息"),
    "房子": ("住房", "房产"),
    "结婚": ("婚姻登记",),
    "领证": ("婚姻登记", "结婚"),
    "离婚": ("婚姻登记",),
    "游泳": ("健身", "体育"),
    "运动": ("健身", "体育"),
    "优惠券": ("消费券",),
    "打工": ("就业", "工作"),
    "上班": ("就业",),
    "辞退": ("失业",),
    "开除": ("失业",),
    "外地户口": ("来沪",),
    "外地": ("异地", "来沪"),
    "过冬": ("异地",),
    "转走": ("转移",),
    "转过去": ("转移",),
    "流感": ("疫苗", "接种"),
    "打疫苗": ("疫苗接种",),
    "挂的号": ("挂号",),
    "挂好号": ("挂号",),
    "名字": ("同名", "重名", "姓名"),
    "叫这个名": ("同名", "重名"),
    "缴社保": ("灵活就业", "社保"),
    "交社保": ("社保", "参保"),
    "自由职业": ("灵活就业",),
    "没单位": ("灵活就业",),
    "开店": ("个体工商户", "营业执照"),
    "营业执照": ("个体工商户",),
    "吃饭": ("助餐", "食堂"),
    "托儿所": ("托育",),
    "带娃": ("托育",),
    "当兵": ("退役军人",),
    "打官司": ("法律援助",),
    "请律师": ("法律援助", "律师"),
    "个税": ("个人所得税", "专项附加扣除"),
    "退税": ("个人所得税",),
    "年检": ("机动车检验",),
    "验车": ("机动车检验", "年检"),
    "没钱": ("困难", "救助", "低保"),
    "生活困难": ("低保", "救助", "最低生活保障"),
    "出国": ("护照", "出入境"),
    "回老家": ("转移", "异地"),
    "离开上海": ("转移", "提取"),
    # the catalog's domains, in residents' words
    "被拍": ("交通违法", "违章"),
    "闯红灯": ("交通违法", "违章"),
    "超速": ("交通违法", "违章"),
    "电子眼": ("交通违法", "电子警察"),
    "堵不堵": ("路况", "拥堵"),
    "开得动": ("路况", "拥堵"),
    "上小学": ("入学", "小学"),
    "上初中": ("入学", "初中"),
    "幼升小": ("入学", "小学", "报名"),
    "小升初": ("入学", "初中"),
    "学区房": ("对口", "学区", "入学"),
    "拿报告": ("检查报告",),
    "出报告": ("检查报告",),
    "检查结果": ("检查报告",),
    "验血": ("检验报告", "化验单"),
    "淹了": ("积水",),
    "丢了": ("挂失", "补办"),
    "掉了": ("挂失", "补办"),
    "坏了": ("补换", "补办"),
    "换卡": ("补换",),
    "交了多少": ("缴存", "余额"),
    "带伞": ("天气", "下雨"),
    "温度": ("天气", "气温"),
    "刮风": ("天气", "台风"),
    "雾霾": ("空气质量",),
    "空气好": ("空气质量",),
    "停运": ("地铁", "末班车", "运营"),
    "看专家": ("挂号", "专家号"),
    "号源": ("挂号",),
    "煤气费": ("燃气费", "缴费"),
    "去香港": ("港澳通行证", "签注"),
    "去澳门": ("港澳通行证", "签注"),
    "共享单车": ("自行车",),
    "养老院": ("养老服务机构",),
    "护工": ("养老", "照护"),
    "残疾证": ("残疾人证",),
    "做核酸": ("核酸检测",),
    "健康码": ("随申码",),
    "绿码": ("随申码",),
    "亮码": ("随申码",),
    "产假": ("生育津贴",),
    "生育金": ("生育津贴",),
    "产检": ("生育医疗费", "报销"),
    "外地看病": ("异地就医", "备案"),
    "外地住院": ("异地就医", "备案"),
    "看病报销": ("医保", "报销"),
    "交医保": ("居民医保", "参保"),
    "买医保": ("居民医保", "参保"),
    "转公积金": ("转移",),
    "买房": ("购房", "贷款"),
    "房贷": ("贷款",),
    "找到工作": ("就业登记",),
    "考证": ("技能培训", "补贴"),
    "学技术": ("技能培训", "补贴"),
    "开公司": ("创业", "补贴"),
    "刷脸认证": ("资格认证",),
    "办退休": ("退休申请",),
    "积分落户": ("落户", "人才引进"),
    "高龄补贴": ("老年综合津贴",),
    "老年补贴": ("老年综合津贴",),
    "老人补贴": ("老年综合津贴",),
    "助学金": ("学生资助",),
    "迁户口": ("户口迁移",),
    "户口迁": ("户口迁移",),
    "户口转": ("户口迁移",),
    "房产证": ("不动产", "登记"),
    "保障房": ("公共租赁住房", "公租房"),
    "摆摊": ("个体工商户",),
    "专项扣除": ("专项附加扣除",),
    "退伍": ("退役军人",),
    "免费律师": ("法律援助",),
    "请不起律师": ("法律援助",),
    "健身券": ("体育消费券",),
    "老年食堂": ("助餐",),
    "托班": ("托育",),
    "轨交": ("地铁", "轨道交通"),
    "参加医保": ("居民医保", "参保"),
    "投简历": ("招聘", "求职", "就业"),
    "毕业生": ("就业", "招聘"),
    "助餐点": ("助餐", "长者助餐"),
    "办事大厅": ("社区事务", "受理中心"),
    "空调": ("高温", "防暑", "降温"),
    # roads and driving
    "堵": ("路况", "拥堵"),
    "内环": ("高架", "路况"),
    "中环": ("高架", "路况"),
    "外环": ("高架", "路况"),
    "抓拍": ("交通违法", "违章", "电子警察"),
    "执照": ("营业执照",),
    # health
    "ct": ("检查报告",),
    "b超": ("检查报告",),
    "核磁": ("检查报告",),
    "拍片": ("检查报告",),
    "化验": ("检验报告", "化验单"),
    # birth and children
    "生下来": ("新生儿", "出生"),
    "刚出生": ("新生儿", "出生"),
    "托管": ("托育", "托班"),
    "没人带": ("托育", "托班"),
    # losing one's job
    "倒闭": ("失业", "失业保险"),
    "裁员": ("失业", "失业保险"),
    "被裁": ("失业", "失业保险"),
    "辞了": ("失业", "失业保险"),
    "炒鱿鱼": ("失业", "失业保险"),
    "失去工作": ("失业", "失业保险"),
    # older people
    "送饭": ("助餐", "送餐"),
    "送餐": ("助餐",),
    # the weather at home
    "返潮": ("梅雨", "防潮"),
    "回潮": ("梅雨", "防潮"),
    "发霉": ("梅雨", "防潮"),
    "黄梅天": ("梅雨", "入梅"),
    "工厂": ("工业企业",),
    # an expired card or licence is renewed; a fund or account moves along
    "过期": ("换证", "换发", "有效期"),
    "到期": ("换证", "换发", "有效期"),
    "带过去": ("转移",),
    "带走": ("转移",),
    "转过来": ("转移", "转入"),
    "转到": ("转移",),
    "贷": ("贷款",),
    "来上海": ("来沪",),
    "到上海": ("来沪",),
    "咋": ("怎么",),
    "啥": ("什么",),
    "哪能": ("怎么",),
    "阿拉": ("我",),
    "侬": ("你",),
    "伐": ("吗",),
}

CROSS_PAIRS = False  # measured: better on one set, worse on the demo with its FAQ (docs/assistant.md)

# Words that carry no meaning for retrieval.
STOP_WORDS = frozenset(
    "的 了 吗 呢 吧 啊 呀 哦 嘛 么 我 我的 你 你们 他 她 要 想 想要 请问 请 问 一下 下 "
    "怎么 怎样 如何 怎么样 什么 哪里 在哪 在哪里 哪儿 能 能不能 可以 可不 是 是不是 有 有没有 "
    "和 与 及 或 在 去 到 给 把 被 就 都 还 也 又 很 吗? 这个 那个 这 那 个 些 一个 "
    "现在 今天 最近 需要 应该 该 得 着 过 怎么办 咋办 怎么弄 咋弄 咋整 怎么搞 哪能办 ? ？ ， , 。 . ! ！ 、".split()
)

_SEPARATORS = re.compile(r"[\s·・•\-_—–/\\|,，、。.;；:：!！?？'\"“”‘’()（）\[\]【】<>《》~～]+")

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_learnt: set[str] = set()


def fold(text: object) -> str:
    """``text`` as the assistant compares it: NFKC (full-width to half-width),
    case folded, surrounding space removed."""
    if text is None:
        return ""
    return unicodedata.normalize("NFKC", str(text)).casefold().strip()


def tokenizer() -> jieba.Tokenizer:
    """The assistant's private tokenizer, initialised on first use."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                tok = jieba.Tokenizer()
                tok.initialize()
                for word in REWRITES:
                    tok.add_word(word, freq=50000)
                _tokenizer = tok
    return _tokenizer


def learn(words: Iterable[str]) -> None:
    """Teach the tokenizer ``words`` (service names, keywords ...) so that
    they are kept whole."""
    tok = tokenizer()
    with _lock:
        for word in words:
            word = fold(word)
            if 2 <= len(word) <= 12 and word not in _learnt and not _SEPARATORS.search(word):
                tok.add_word(word, freq=20000)
                _learnt.add(word)


def segment(text: str) -> list[str]:
    """The words of ``text``, stop words and separators dropped."""
    tok = tokenizer()
    words = []
    for part in _SEPARATORS.split(fold(text)):
        if not part:
            continue
        for word in tok.lcut(part, HMM=False):
            if word and word not in STOP_WORDS and not word.isspace():
                words.append(word)
    return words


# Spoken turns of phrase that a fixed word cannot catch.
REWRITE_PATTERNS: tuple[tuple[re.Pattern, tuple[str, ...]], ...] = (
    (re.compile(r"叫[\u4e00-\u9fff]{1,3}的.{0,6}(?:人|多|几)"), ("同名", "重名")),
    (re.compile(r"(?:几个|多少)人叫"), ("同名", "重名")),
    (re.compile(r"名字.{0,8}(?:几个|多少)人"), ("同名", "重名")),
    (re.compile(r"(?:会不会|要不要|会)下雨|(?:冷|热)不(?:冷|热)|几度"), ("天气", "天气预报")),
    # "做好了没", "办好了吗", "可以领了伐": how far an application has got
    (re.compile(r"(?:做|办|制|批)好了?(?:没|吗|伐|么|没有)|可以领了|到哪一步|进度"), ("办理进度", "进度")),
    (re.compile(r"提.{0,2}公积金|公积金.{0,4}提(?!供)"), ("提取",)),
    (re.compile(r"扣(?:了|掉)?(?:几|多少)?分"), ("交通违法", "记分")),
    # a Shanghai number plate ("沪A12345")
    (re.compile(r"[沪京津冀晋蒙辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新][a-z][0-9a-z]{4,6}"), ("车牌",)),
    (re.compile(r"生(?:完|好|了)?(?:孩子|小孩|宝宝|娃|小囡)"), ("生育", "新生儿")),
    (re.compile(r"开(?:个|家|一家|了个|一个)?.{0,4}(?:店|铺|摊)"), ("个体工商户", "营业执照")),
    (re.compile(r"(?:怎么|如何|咋|想|要)(?:办理|申请)(?!进度)|(?:想|要)办(?!理进度)"), ("申领", "申请")),
)

# English words residents mix in ("社保卡 lost 了", "bus 到站时间"); a phrase
# of several words is read before its words ("lost my job" is no lost card).
ENGLISH = {
    "lost": ("挂失", "补卡"), "bus": ("公交",), "metro": ("地铁",), "subway": ("地铁",), "weather": ("天气",),
    "passport": ("护照",), "visa": ("签证", "出入境"), "hospital": ("医院",), "doctor": ("就医",),
    "parking": ("停车",), "garbage": ("垃圾分类",), "rubbish": ("垃圾分类",), "job": ("就业",),
    "school": ("入学",), "card": ("卡",), "traffic": ("路况", "交通"), "fine": ("罚款",), "vaccine": ("疫苗",),
    "lost my job": ("失业", "失业保险金"), "lose my job": ("失业", "失业保险金"), "laid off": ("失业", "失业保险金"),
    "unemployment": ("失业", "失业保险金"), "unemployed": ("失业", "失业保险金"),
    "social security": ("社保", "社会保障卡"), "medical insurance": ("医保",), "health insurance": ("医保",),
    "housing fund": ("公积金",), "provident fund": ("公积金",), "residence permit": ("居住证",),
    "driving licence": ("驾驶证",), "driving license": ("驾驶证",), "driver's license": ("驾驶证",),
    "business licence": ("营业执照", "个体工商户"), "business license": ("营业执照", "个体工商户"),
    "legal aid": ("法律援助",), "apply": ("申请", "申领"), "renew": ("换证", "换发"), "replace": ("补换",),
    "hukou": ("户口",), "tax": ("个税",), "pension": ("养老金",), "retire": ("退休",), "retirement": ("退休",),
    "marriage": ("婚姻登记", "结婚"), "married": ("婚姻登记", "结婚"), "marry": ("婚姻登记", "结婚"),
    "newborn": ("新生儿",), "baby": ("新生儿", "婴儿"), "birth": ("出生", "生育"), "maternity": ("生育",),
    "disability": ("残疾人",), "disabled": ("残疾人",), "elderly": ("老年人",), "loan": ("贷款",),
    "withdraw": ("提取",), "subsidy": ("补贴",), "allowance": ("津贴", "补贴"), "lawyer": ("律师",),
    "veteran": ("退役军人",), "rain": ("下雨", "天气"), "flood": ("积水",), "air": ("空气质量",),
    "bike": ("自行车",), "bicycle": ("自行车",), "appointment": ("预约", "挂号"), "report": ("报告",),
    "rent": ("租房", "租赁"), "enrol": ("入学", "报名"), "enroll": ("入学", "报名"), "library": ("图书馆",),
}
_ENGLISH = re.compile(r"(?<![a-z'])(" + "|".join(sorted(map(re.escape, ENGLISH), key=len, reverse=True))
                      + r")(?![a-z'])")


def rewrites(text: str) -> list[str]:
    """The official words :data:`REWRITES` and :data:`REWRITE_PATTERNS` add
    for the spoken words in ``text``."""
    folded = fold(text)
    added: list[str] = []
    for spoken, official in REWRITES.items():
        if spoken in folded:
            added.extend(w for w in official if w not in added)
    for pattern, official in REWRITE_PATTERNS:
        if pattern.search(folded):
            added.extend(w for w in official if w not in added)
    for phrase in _ENGLISH.findall(folded):  # the longest first: a phrase wins over its words
        added.extend(w for w in ENGLISH[phrase] if w not in added)
    return added


def terms(text: str, *, rewrite: bool = True) -> list[str]:
    """The query terms of a question: its words and, with ``rewrite``, the
    official words for its spoken ones. Chinese words of three or more
    characters also give their two-character pieces that are words
    themselves, so that "失业金" still meets "失业保险金" on "失业"."""
    words = segment(text)
    if rewrite:
        for word in rewrites(text):
            words.extend(segment(word))
    out = list(words)
    for word in words:
        if len(word) >= 3 and _is_cjk(word):
            out.extend(p for p in (word[i:i + 2] for i in range(len(word) - 1)) if _is_word(p))
    if CROSS_PAIRS:
        # pairs of characters across the words, as a second, segmentation-proof view
        for run in _CJK_RUN.findall("".join(words)):
            out.extend("~" + run[i:i + 2] for i in range(len(run) - 1))
    return out


def doc_terms(text: str) -> list[str]:
    """The terms an indexed text is stored under (no rewrites: those belong
    to questions), with the same two-character pieces as :func:`terms`."""
    return terms(text, rewrite=False)


def _is_word(piece: str) -> bool:
    """Whether the tokenizer knows ``piece`` as a word: "失业" of "失业金" is
    one, "业金" is not and would only match by accident."""
    return tokenizer().FREQ.get(piece, 0) > 0


_CJK_RUN = re.compile(r"[\u3400-\u9fff]{2,}")


def sound_key(word: str) -> str:
    """How ``word`` sounds, tones ignored ("失业金" and "失叶金" sound alike)."""
    from pypinyin import lazy_pinyin

    return " ".join(lazy_pinyin(word))


def sound_alikes(question: str, sounds: dict[str, str], known) -> list[str]:
    """Words of the index that the question seems to mistype: a run of two to
    four characters the index does not know but that sounds like a word it
    knows ("结昏" -> "结婚", "低报" -> "低保"). ``sounds``: sound -> word."""
    found: list[str] = []
    for run in _CJK_RUN.findall(fold(question)):
        for size in (4, 3, 2):
            for i in range(len(run) - size + 1):
                piece = run[i:i + size]
                if piece in known:
                    continue
                word = sounds.get(sound_key(piece))
                if word and word != piece and word not in found:
                    found.append(word)
    return found


_APPLY = re.compile(r"申请|申领|怎么办|咋办|如何办|办理|要办|想办|去办|怎么领|领取|提取|补办|补换|挂失|换证|登记|报名|备案|认证|预约")
_LOOK_UP = re.compile(r"查询|查一下|查查|怎么查|哪里查|查看|多少|余额|进度|到哪|好了没|好了吗|几点|有没有|堵|天气|积水")


def purpose(question: str) -> str | None:
    """``"apply"`` when the question asks to apply for something, ``"look_up"``
    when it asks to look something up, None when it says neither (or both)."""
    folded = fold(question)
    apply, look_up = bool(_APPLY.search(folded)), bool(_LOOK_UP.search(folded))
    if apply == look_up:
        return None
    return "apply" if apply else "look_up"


def _is_cjk(word: str) -> bool:
    return all("\u3400" <= ch <= "\u9fff" for ch in word)
