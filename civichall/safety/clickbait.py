"""Clickbait (标题党) scoring for titles, with reasons a person can read.

A title is scored by families of cues; every family that fires adds its
weight (capped per family, so ten exclamation marks do not count ten times)
and leaves a ``Reason`` saying what it saw. The score is compared with
``THRESHOLD``: at or above it the title goes to a person (``review``); the
scorer never blocks.

The families, and why they are weighed as they are:

* ``hype`` -- exaggeration and shock words (震惊, 万万没想到, 疯传, 竟然 ...).
  Strong words are almost never in a release; milder ones (重磅, 刚刚, 终于)
  do appear in genuine titles and weigh less.
* ``withheld`` -- the title hides what it is about (这件事, 这种东西, 一个动
  作, a pronoun with nothing it refers to, a trailing ``……``). A demonstrative
  followed by a concrete thing -- 这份防护问答, 这些路段 -- is how genuine
  titles talk and carries no weight.
* ``punctuation`` -- several ! or ?, ?! combinations. One question mark is
  normal (怎么做？十张海报告诉你) and costs nothing; one ! costs little.
* ``call_to_action`` -- must-read / share-now / you-will-regret calls and
  "99% of people don't know". A polite 请 (请转给家长, 请收好) is service,
  not pressure, and is not counted.
* ``teaser_number`` -- a number used to withhold (这3个字, 第5个最可怕). A
  number that counts content (12问答, 十张海报, 三步完成) is not a teaser,
  so this family alone stays below the threshold.
* ``reader_address`` -- pressure on the reader (你还敢吃吗, 你家的 ...).
* ``totalizing`` -- everyone reacts (所有人, 全网, 无数网友).
* ``vague`` -- the title names nothing concrete: no number, date, place,
  body or service. Genuine releases are informative, so emptiness adds a
  little -- enough to tip a title that also has another cue.
* ``title_body_mismatch`` -- only with a body: the title's key words
  (jieba segmentation, stop words removed) are mostly absent from the body.

A single weak cue never reaches the threshold; a strong cue or two weaker ones
do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from civichall.core.lang import Message

from .normalize import normalize, normalize_term

__all__ = ["THRESHOLD", "Reason", "score_title", "title_decision", "title_keywords"]

#: Score at or above which a title is sent to review.
THRESHOLD = 1.0


@dataclass
class Reason:
    """Why a score went up: code, what it means (a ``Message`` in both
    languages), weight, evidence."""

    code: str
    message: Message
    weight: float
    words: list[str] = field(default_factory=list)
    span: tuple[int, int] | None = None

    @classmethod
    def of(cls, code, zh, en, weight, words=(), span=None) -> Reason:
        """A reason from its Chinese and English texts."""
        return cls(code, Message(zh, en), weight, list(words), span)

    @property
    def message_en(self) -> str:
        return self.message.en

    def to_dict(self) -> dict:
        # The stored and served shape: "message" (Chinese) and "message_en".
        d = {
            "code": self.code,
            "message": self.message.zh,
            "message_en": self.message.en,
            "weight": round(self.weight, 3),
            "words": list(self.words),
        }
        if self.span is not None:
            d["start"], d["end"] = self.span
        return d


def _alt(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_NUM = "[0-9０-９一二两三四五六七八九十百千]"

_HYPE_STRONG = [
    "震惊", "惊呆", "吓人", "吓坏", "吓一跳", "炸了", "炸锅", "疯传", "转疯", "史上最",
    "万万没想到", "没想到", "想不到", "紧急扩散", "细思极恐", "太可怕", "可怕",
    "惊掉下巴", "看哭", "哭了", "泪目", "暖哭", "美哭", "气炸", "崩溃", "懵了", "傻眼",
    "看傻", "刷屏", "火遍全网", "疯抢", "沸腾", "惊人", "惊魂", "逆天", "绝了", "震撼",
    "爆红", "神秘", "内幕", "出大事", "出事了", "闹大", "难以置信", "不敢相信",
    "眼泪掉", "心碎", "天啊", "天哪", "奇迹", "没有之一", "美到窒息", "惊现", "竟然",
    "居然", "竟是", "反转", "彻底凉", "慌了", "吵翻", "太突然", "神仙", "忍不住",
    "沉默了", "蒙在鼓里", "震怒", "罕见",
]
_HYPE_MEDIUM = [
    "重磅", "刚刚", "终于", "原来", "突然", "秘密", "曝光", "揭秘", "紧急", "注意了",
    "注意啦", "太难了", "到底", "究竟", "火了", "走红", "让人意外", "令人意外",
    "太意外", "一夜之间", "大调整", "重大变化", "又一", "太感人", "感动了", "被骗",
    "后果很严重", "据说", "听说", "才知道", "真的假的", "什么情况", "怎么样了",
    "真相", "结局", "背后原因", "背后的原因", "再也不",
]
_HYPE_RE = re.compile(
    f"(?P<s>{_alt(_HYPE_STRONG)})|(?P<m>{_alt(_HYPE_MEDIUM)}|[人们]注意[了啦]?[!！])|^(?P<x>[惊爆])[!！]"
)

_VAGUE_NOUN = [
    "件事", "一件事", "种事", "样东西", "个东西", "种东西", "一幕", "一招", "招", "个地方",
    "个人", "个动作", "个细节", "个习惯", "种习惯", "个秘密", "个消息", "条消息", "个方法",
    "个办法", "句话", "个字", "个举动", "个问题", "届", "碗", "道题", "一天", "一次", "一刻",
    "种操作", "个决定", "个消息", "个好消息", "个变化", "个结果", "个", "种",
]
_WITHHELD_RE = re.compile(
    f"(?P<dem>[这那](?:{_alt(_VAGUE_NOUN)}))"
    "|(?P<dem2>这样|这么)"
    "|(?P<one>[一某](?:个小动作|个动作|件事|样东西|句话|个电话|个办法|个人|个东西|个细节|个(?:重要|重大)?(?:决定|消息|变化)))"
    "|(?P<pron>^(?:他|她|它)们?)"
    "|(?P<that>那(?:个人|件事|些年))"
    "|(?P<dots>……|…|\\.\\.\\.)"
)

_CTA_STRONG = [
    "不看后悔", "必看", "赶紧转发", "快看", "一定要看", "删前速看", "速看", "速转", "不转不是",
    "再不看就晚了", "后悔没早知道", "后悔都来不及", "快去看看", "快收藏", "一定要告诉",
    "转给你在乎的人", "赶紧看看", "都要看", "一定要做", "马上删", "赶紧删", "赶紧扔",
    "赶紧检查", "赶紧去", "别眨眼", "看这一篇就够了",
]
_CTA_MEDIUM = [
    "转给", "转发", "收藏", "赶紧", "千万别", "千万不要", "千万不能", "一定要", "看完",
    "别再", "答应我", "不要再",
]
_CTA_RE = re.compile(
    f"(?P<s>{_alt(_CTA_STRONG)})"
    "|(?P<pct>[0-9.]+%的(?:人|家长|网友|老人|上海人|中国人|家庭))"
    "|(?P<know>(?:(?:很多人|不少人|大多数人|多数人|大家|你|他们)(?:都|还|可能|一定)?|都|还)"
    "(?:不知道|没见过|没听说过|没去过|没吃过|想不到|做错|洗错|吃错|忽视|蒙在鼓里)"
    "|没人告诉你|不会告诉你|没人知道)"
    f"|(?P<m>{_alt(_CTA_MEDIUM)})"
)

_TEASER_RE = re.compile(
    f"(?P<weak>这{_NUM}+(?:个|种|件|类|招|条|样|点|张|句|字))"
    f"|(?P<strong>第{_NUM}+(?:个|张|种|条|点)(?:最|太|我|就|竟|让|真|简直|你)|看到第{_NUM}+)"
)

_READER_RE = re.compile(
    "你(?:还敢|还不知道|还没|绝对|一定没|一定不知道|以为|中招|家的|家附近|家有|可能不知道|"
    "就再也|每天|的孩子|的钱)|听说你|你懂的|你.{0,8}吗[?？]"
)
_TOTAL_RE = re.compile(
    "所有人|所有上海人|全城|全村|全车|全网|无数|每个人|每一个人|一大片|整个城市|全上海人|"
    "上海人都|大家都|朋友圈|网友们?都"
)
# Things a genuine release names: numbers and dates, places, bodies, services.
_CONCRETE_RE = re.compile(
    f"[0-9]|{_NUM}+(?:张|步|类|项|条|家|批|名|处|场|座|公里|万|亿|年|月|日|天|周|人次|届)"
    "|上海|申城|本市|全市|沪|市|区|街道|镇|社区|部门|局|委|医院|学校|地铁|公交|轨交|线路|"
    "政策|规定|条例|通知|指南|办法|措施|补贴|申请|申领|办理|服务|预约|开放|运营|公布|发布|"
    "启动|实施|调整|名单|标准|流程|解读|问答|提示|预警|疫苗|接种|医保|社保|公积金|养老|就业|"
    "招生|高考|中考|垃圾|防汛|气温|天气|专家|考生|医生|门诊|工程|设施|建设|道路|交通|管制|高速|"
    "节假日|汛期|河道|疫情|防控|监管|价格|税|家长|学生|中小学|课|活动|开幕|展|赛|会议|博览会|运动会|进博会"
)

_STOP = frozenset(
    "的 了 是 在 和 与 及 或 等 这 那 这个 那个 这些 那些 这份 一个 什么 怎么 如何 为什么 "
    "我们 你们 他们 大家 自己 可以 需要 已经 还是 就是 起来 一下 一些 有关 关于 今天 明天 "
    "刚刚 重磅 震惊 竟然 居然 原来 终于 突然 注意 提醒 必看 快看 赶紧 千万 一定 所有人".split()
)


def _add(reasons, code, zh, en, weight, words, span):
    if weight > 0:
        reasons.append(Reason.of(code, zh, en, weight, words, span))


def _collect(regex, title, weigh):
    """Run ``regex`` over ``title``; ``weigh(match)`` gives each match's weight."""
    total, words, span = 0.0, [], None
    for m in regex.finditer(title):
        w = weigh(m)
        if w <= 0:
            continue
        total += w
        words.append(m.group())
        if span is None:
            span = m.span()
    return total, words, span


def title_keywords(title: str) -> list[str]:
    """Content words of a title: jieba tokens of 2+ chars, stop words removed."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    words = []
    for w in jieba.lcut(title):
        w = w.strip()
        if len(w) < 2 or w in _STOP:
            continue
        if not any(ch.isalnum() for ch in w):
            continue
        if w not in words:
            words.append(w)
    return words


def score_title(title: str, body: str | None = None) -> tuple[float, list[Reason]]:
    """Clickbait score of ``title`` (0 = none) and the reasons behind it."""
    t = (title or "").strip()
    reasons: list[Reason] = []
    if not t:
        return 0.0, reasons

    def hype(m):
        return 0.8 if m.group("s") or m.group("x") else 0.4

    w, words, span = _collect(_HYPE_RE, t, hype)
    _add(reasons, "hype", "使用夸张、耸动的词语：" + "、".join(words),
         "exaggerated or shocking wording: " + ", ".join(words), min(w, 1.6), words, span)

    def withheld(m):
        if m.group("dem2"):
            return 0.3
        if m.group("dots"):
            return 0.7
        if m.group("dem") and m.group("dem")[1:] in ("个", "种"):
            return 0.3  # 这个/这种 + some noun: mild
        return 0.6 if m.group("dem") or m.group("that") else 0.5

    w, words, span = _collect(_WITHHELD_RE, t, withheld)
    _add(reasons, "withheld", "标题故意隐去关键信息（" + "、".join(words) + "）",
         "the title hides what it is about (" + ", ".join(words) + ")", min(w, 1.2), words, span)

    excl = t.count("!") + t.count("！")
    ques = t.count("?") + t.count("？")
    pw, marks = 0.0, []
    if excl >= 3 or "!!!" in t or "！！！" in t:
        pw += 1.0
        marks.append("!" * excl)
    elif excl == 2:
        pw += 0.6
        marks.append("!!")
    elif excl == 1:
        pw += 0.2
        marks.append("!")
    if ques >= 2:
        pw += 0.6
        marks.append("?" * ques)
    if re.search("[?？][!！]|[!！][?？]", t):
        pw += 0.7
        marks.append("?!")
    m = re.search("[!！?？]+", t)
    _add(reasons, "punctuation", "滥用感叹号或问号", "overuse of exclamation or question marks",
         min(pw, 1.2), marks, m.span() if m else None)

    def cta(m):
        if m.group("m"):
            a = m.start()
            if a > 0 and t[a - 1] == "请":  # 请转给家长: service, not pressure
                return 0.0
            return 0.5
        return 1.0 if m.group("s") or m.group("pct") else 0.8

    w, words, span = _collect(_CTA_RE, t, cta)
    _add(reasons, "call_to_action", "诱导阅读或转发：" + "、".join(words),
         "pressure to read or share: " + ", ".join(words), min(w, 1.6), words, span)

    w, words, span = _collect(_TEASER_RE, t, lambda m: 0.9 if m.group("strong") else 0.5)
    _add(reasons, "teaser_number", "用数字吊胃口：" + "、".join(words),
         "teaser number: " + ", ".join(words), min(w, 1.0), words, span)

    w, words, span = _collect(_READER_RE, t, lambda m: 0.4 if m.group().endswith(("吗?", "吗？")) else 0.5)
    _add(reasons, "reader_address", "对读者施压或故作悬念：" + "、".join(words),
         "pressure on the reader: " + ", ".join(words), min(w, 0.8), words, span)

    w, words, span = _collect(_TOTAL_RE, t, lambda m: 0.5)
    _add(reasons, "totalizing", "以“所有人”“全网”等夸大反应：" + "、".join(words),
         "claims that everyone reacts: " + ", ".join(words), min(w, 0.8), words, span)

    if not _CONCRETE_RE.search(t):
        _add(reasons, "vague", "标题未提供具体信息（时间、地点、机构、事项）",
             "the title names nothing concrete (time, place, body, service)", 0.5, [], None)

    if body is not None and body.strip():
        keys = title_keywords(t)
        if len(keys) >= 2:
            body_norm = normalize(body).text
            missing = [k for k in keys if normalize_term(k) not in body_norm]
            coverage = 1 - len(missing) / len(keys)
            if coverage < 0.34:
                _add(reasons, "title_body_mismatch",
                     "标题关键词在正文中大多找不到：" + "、".join(missing),
                     "most key words of the title are absent from the body: " + ", ".join(missing),
                     1.0, missing, None)

    score = round(sum(r.weight for r in reasons), 3)
    return score, reasons


def title_decision(score: float) -> str:
    """``review`` at or above ``THRESHOLD``, else ``pass`` (never ``block``)."""
    return "review" if score >= THRESHOLD else "pass"
