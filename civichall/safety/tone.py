"""Tone check for replies written in the account's name (回复语气).

A reply from a government account speaks for the government. Three things
must not go out without a person looking at them:

* ``dismissive`` -- flippant or dismissive phrasing, the classic case being a
  citizen told 不满意就换工作 / 爱干不干 / 你行你上 / 自己去查;
* ``slang`` / ``outburst`` -- internet slang and cutesy tone (亲, 么么哒, 666,
  yyds, 栓Q, 哈哈, trailing ~) and emotional outbursts (!!!, 你有病吧, insults);
* ``manner`` -- an official reply says 您, not 你; it answers rather than
  firing a rhetorical question back; and it is not curt -- a reply with no
  courtesy at all (您/谢谢/感谢/请/抱歉) and no content reads as a brush-off.
  Each of these weighs little alone and tips a reply only together with
  another sign;
* ``empty_talk`` -- official set phrases (套话: 高度重视, 认真研究, 妥善处理,
  有关部门 ...) in a reply that gives the citizen nothing to act on: no date
  or time, no place or named office, no phone, address or web link, no
  amount, no next step. The same phrases next to concrete facts are fine --
  "高度重视，已于5月20日转交闵行区市场监管局，10个工作日内回复" passes.

``check_reply`` returns the score, the reasons and a suggestion for the
editor. ``THRESHOLD`` is where a reply goes to review; it never blocks.

Words that contain a slang word by accident are guarded: 亲 counts only as a
form of address (亲，/ 亲们 / 您好亲) and not in 父亲, 亲属, 亲子; 666 not in
"666路"; 哈哈 not in 哈尔滨.
"""

from __future__ import annotations

import re

from .clickbait import Reason

__all__ = ["THRESHOLD", "check_reply", "concrete_elements", "reply_decision", "suggest"]

#: Score at or above which a reply is sent to review.
THRESHOLD = 1.0


def _alt(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_DISMISSIVE = [
    "不满意就换", "爱干不干", "关你什么事", "关你屁事", "你行你上", "呵呵", "懒得理",
    "自己去查", "自己查", "自己去官网查", "自己去问", "爱信不信", "找别人去", "别来问",
    "不归我们管", "说了你也不懂", "有本事你", "想多了", "活该", "谁让你", "随便你",
    "爱咋咋地", "跟我们没关系", "和我们没关系", "那是你的事", "这是你的事", "没空",
    "别烦", "无可奉告", "你懂的", "问这么多", "干嘛", "事多", "谁稀罕", "不会自己看",
    "自己不会看", "早就回复过", "说了多少遍", "知道了知道了", "别什么都问", "照做就行",
    "服了", "你们这些人", "又没人逼你", "捣乱", "盯着这点小事", "我们也不知道", "不关我们",
    "爱来不来", "爱办不办", "自己看着办",
]
_SLANG = [
    "么么哒", "绝绝子", "yyds", "栓q", "无语", "哈哈", "嘻嘻", "也是醉了", "醉了醉了",
    "蓝瘦香菇", "神马", "酱紫", "肿么", "伤不起", "躺平", "摆烂", "哎呀妈呀", "不会吧不会吧",
    "绝了", "太有才", "宝宝们", "集美", "awsl", "xswl", "orz", "搞笑",
]
_INSULT = [
    "你有病", "有病吧", "神经病", "脑子有问题", "脑子进水", "白痴", "蠢", "笨蛋", "废物",
    "滚吧", "滚开", "滚蛋", "给我滚", "闭嘴", "没文化", "刁民",
]
_EMPTY = [
    "高度重视", "积极研究", "认真研究", "妥善处理", "妥善处置", "妥善解决", "进一步加强",
    "有关部门", "相关部门", "相关工作", "及时处理", "尽快解决", "加大力度", "认真对待",
    "积极协调", "正在研究", "研究处理", "研究解决", "予以关注", "持续关注", "密切关注",
    "统筹考虑", "综合考虑", "酌情", "适时", "择机", "逐步完善", "不断完善", "有序推进",
    "积极推动", "切实解决", "确保取得实效", "依法依规", "已经知悉", "责成", "耐心等待",
]

_DISMISSIVE_RE = re.compile(_alt(_DISMISSIVE) + "|^切[，,!！]")
_SLANG_RE = re.compile(
    _alt(_SLANG)
    + "|(?:^|(?<=[\\s，。！？,.!?：:好]))亲(?:们|爱的)?(?=[\\s，。！？,.!?~～]|$)"
    + "|(?<![0-9])666(?![0-9路号元米个次人])"
    + "|[哦呢啦呀哈]*[~～]+"
)
_INSULT_RE = re.compile(_alt(_INSULT))
_EMPTY_RE = re.compile(_alt(_EMPTY))
_INFORMAL_RE = re.compile("你")
_COURTESY_RE = re.compile("您|谢谢|感谢|请|抱歉|对不起|欢迎")
_QUESTION_RE = re.compile("[?？]")

# What makes a reply concrete, by kind; any one of them is enough.
_CONCRETE = {
    "time": re.compile(
        "[0-9０-９]+\\s*(?:月|日|号|年|点|时|分钟|个?工作日|天|周)|[0-9]{1,2}[:：][0-9]{2}|"
        "周[一二三四五六日天]|星期[一二三四五六日天]|[今明昨后当]天|本周|下周|本月|下月|月底|月初|"
        "年底|上午|下午|晚上|凌晨|中午|即日起|近日|昨晚|今晚"
    ),
    "place": re.compile(
        "[市区县镇]\\S{0,10}?(?:局|委|办|中心|所|院|站|馆)|街道|居委|物业|派出所|医院|门诊|"
        "窗口|大厅|服务中心|路|号楼|楼|地铁|公交|公园|学校|网点|编辑部"
    ),
    "contact": re.compile(
        "(?<![0-9])[0-9]{3,}(?![0-9])|热线|电话|拨打|官网|网站|公众号|小程序|APP|app|随申办|"
        "一网通办|https?://|www\\.|栏目|平台|本号|微信群"
    ),
    "amount": re.compile("[0-9]+(?:\\.[0-9]+)?\\s*(?:元|万元|%|人|名|个|列|辆|米|公里|秒|项|张|次)|三分之"),
    "next_step": re.compile(
        "将于|预计|届时|请您|可拨打|可登录|可前往|可通过|可在|可以|携带|申请|预约|提交|材料|"
        "回复您|联系您|已于|已由|已将|已联系|已派单|已转至|已转交|已修复|已修改|已更正|完成|"
        "第一时间|发布|公布|办理|查询|查看|咨询|参加|领取"
    ),
}
_MISSING_ZH = {"time": "具体时间", "place": "地点", "contact": "联系电话", "next_step": "下一步安排"}
_MISSING_EN = {"time": "a date or time", "place": "a place or the office in charge",
               "contact": "a phone number or web address", "next_step": "the next step"}


def concrete_elements(text: str) -> set[str]:
    """Which kinds of concrete information the reply contains."""
    return {kind for kind, rx in _CONCRETE.items() if rx.search(text)}


def _collect(regex, text):
    words, span = [], None
    for m in regex.finditer(text):
        w = m.group()
        if w not in words:
            words.append(w)
        if span is None:
            span = m.span()
    return words, span


def check_reply(text: str) -> tuple[float, list[Reason], str]:
    """Score a reply written in the account's name; returns (score, reasons, suggestion)."""
    t = (text or "").strip()
    reasons: list[Reason] = []
    if not t:
        return 0.0, reasons, ""
    low = t.casefold() if len(t.casefold()) == len(t) else t  # keep offsets valid

    words, span = _collect(_DISMISSIVE_RE, low)
    if words:
        reasons.append(Reason.of("dismissive", "语气轻慢、敷衍或推诿：" + "、".join(words),
                              "flippant or dismissive phrasing: " + ", ".join(words),
                              min(1.2 * len(words), 2.4), words, span))
    words, span = _collect(_SLANG_RE, low)
    if words:
        reasons.append(Reason.of("slang", "使用网络用语或卖萌口吻：" + "、".join(words),
                              "internet slang or cutesy tone: " + ", ".join(words),
                              min(1.0 * len(words), 2.0), words, span))
    words, span = _collect(_INSULT_RE, low)
    marks = re.findall("[!！]{2,}|[?？][!！]|[!！][?？]", t)
    if words or marks:
        weight = min(1.5 * len(words), 3.0) + (0.6 if marks else 0.0)
        reasons.append(Reason.of("outburst", "情绪化表达：" + "、".join(words + marks),
                              "emotional outburst: " + ", ".join(words + marks),
                              weight, words + marks, span))
    found = concrete_elements(t)
    manner, mwords, mspan = 0.0, [], None
    m = _INFORMAL_RE.search(t)
    if m:
        manner += 0.5
        mwords.append("你")
        mspan = m.span()
    m = _QUESTION_RE.search(t)
    if m and not t.startswith("请问"):
        manner += 0.4
        mwords.append("？")
        mspan = mspan or m.span()
    if not _COURTESY_RE.search(t) and not found:
        manner += 0.6
        mwords.append("无礼貌用语且无具体内容")
    if manner:
        reasons.append(Reason.of("manner", "措辞不够得体：" + "、".join(mwords),
                              "manner of address: " + ", ".join(
                                  {"你": "informal 你 instead of 您", "？": "rhetorical question"}.get(w, "curt, no courtesy and no content")
                                  for w in mwords),
                              round(manner, 3), mwords, mspan))
    words, span = _collect(_EMPTY_RE, t)
    if words and not found:
        reasons.append(Reason.of("empty_talk", "套话空话，缺少具体信息：" + "、".join(words),
                              "set phrases with nothing concrete: " + ", ".join(words),
                              min(1.0 + 0.2 * (len(words) - 1), 1.6), words, span))
    score = round(sum(r.weight for r in reasons), 3)
    zh, _ = suggest(reasons, found)
    return score, reasons, zh


def suggest(reasons: list[Reason], found: set[str] | None = None) -> tuple[str, str]:
    """Editor's suggestion (Chinese, English) for the given reasons."""
    zh, en = [], []
    codes = {r.code for r in reasons}
    if codes & {"dismissive", "slang", "outburst", "manner"}:
        zh.append("请删除随意、轻慢或情绪化的用语，以礼貌、规范的口吻回复")
        en.append("remove flippant, slangy or emotional wording and reply politely and formally")
    if "empty_talk" in codes:
        missing = [k for k in _MISSING_ZH if k not in (found or set())] or list(_MISSING_ZH)
        names = [_MISSING_ZH[k] for k in missing]
        zh.append("请补充" + ("、".join(names[:-1]) + "或" + names[-1] if len(names) > 1 else names[0]))
        en.append("add " + ", ".join(_MISSING_EN[k] for k in missing))
    return "；".join(zh), "; ".join(en)


def reply_decision(score: float) -> str:
    """``review`` at or above ``THRESHOLD``, else ``pass`` (never ``block``)."""
    return "review" if score >= THRESHOLD else "pass"
