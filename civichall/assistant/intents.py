"""Questions that are really a query, and questions the assistant must
decline (pure; no Django).

- "71路到哪了" asks the real-time bus service about route 71;
- "奶茶杯是什么垃圾" asks the garbage sorting lookup about 奶茶杯;
- "明天飞北京的航班" or "茅台股票多少钱" are outside what a city's public
  account answers: the assistant says what it can help with instead of
  guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import text

BUS_SERVICE = "bus_realtime"
GARBAGE_SERVICE = "garbage_sorting"


@dataclass(frozen=True)
class Intent:
    """A service to run and the slots read from the question."""

    service_code: str
    slots: dict = field(default_factory=dict)


# "71路", "b1路", "夜宵5路"; named lines ("隧道三线") are left to the ranking
_ROUTE = re.compile(r"(?<![0-9a-z])([a-z]{0,2}\d{1,4}|夜宵\d{1,2})\s*路(?!线|况|口|段|灯|边|上)")
_BUS_CUES = ("到哪", "几点", "多久", "几分钟", "还有几站", "什么时候来", "啥时候来", "来了没", "到站", "实时",
             "末班", "首班", "等车", "公交", "巴士", "车来")
_GARBAGE = re.compile(
    r"^(?:请问|问一下|问下)?(.{1,20}?)(?:是|算|属于|应该是|归|该扔到?|要扔到?|扔到?|丢到?|放到?|投到?)"
    r"(?:什么|啥|哪种|哪类|哪一类|哪个|几类|什么类)?(?:垃圾|桶)")
_GARBAGE_HOW = re.compile(r"^(?:请问)?(.{1,20}?)(?:怎么|如何|咋)(?:扔|丢|分类|处理)")
_GARBAGE_WHICH = re.compile(r"^(?:请问)?(.{1,20}?)(?:是|算|属于)(?:湿|干|有害|可回收)")
# "外卖盒洗干净了算啥": only when a known item is named (see garbage_item)
_GARBAGE_WHAT = re.compile(r"^(?:请问)?(.{1,20}?)(?:算|属于)(?:啥|什么)")

# Subjects a city's public account does not answer, with the words that show them.
OUT_OF_SCOPE = {
    "flights": ("航班", "机票", "飞机票", "登机", "值机", "延误"),
    "train tickets": ("火车票", "高铁票", "动车票", "12306"),
    "stocks": ("股票", "股价", "涨停", "跌停", "大盘", "基金净值", "炒股", "a股", "牛市", "比特币", "汇率", "股市",
               "一股", "金价", "黄金价", "理财产品"),
    "films": ("电影", "影院", "票房", "电视剧", "综艺", "明星", "演唱会", "好听的歌", "听歌", "歌曲"),
    "lottery": ("彩票", "双色球", "大乐透"),
    "sports": ("比分", "球赛", "nba", "世界杯", "欧冠"),
    # the whereabouts of one's parcel (a parcel's disinfection is a health question)
    "shopping": ("淘宝", "京东", "点外卖", "外卖红包", "的快递", "快递到", "查快递", "寄快递", "拼多多", "双十一",
                 "打折"),
    "pets": ("小猫", "小狗", "猫咪", "狗狗", "宠物", "我家猫", "我家狗"),
    "cooking": ("怎么做好吃", "菜谱", "食谱", "怎么烧", "怎么煮", "怎么炒"),
    "personal life": ("减肥", "女朋友", "男朋友", "谈恋爱", "哄老婆", "哄女朋友", "失恋"),
    "homework and code": ("作文", "写一篇", "python", "java", "代码", "编程", "排序算法", "翻译成英文", "爬虫",
                          "请假条"),
    "gadgets and games": ("iphone", "苹果手机", "华为手机", "手机屏幕", "游戏", "王者荣耀", "显卡", "电脑", "蓝屏",
                          "洗衣机", "冰箱", "路由器"),
    "chat": ("讲个笑话", "你是谁", "你叫什么", "你几岁", "唱首歌", "谈恋爱", "星座", "算命", "写一首诗", "写首诗",
             "讲个故事", "鬼故事"),
}

_OTHER_CITY = re.compile(
    r"(?:北京|广州|深圳|杭州|南京|苏州|成都|武汉|重庆|天津|西安|厦门|青岛|长沙|合肥|郑州|济南|沈阳|大连|宁波|无锡)"
    r"(?:的|市|公积金|社保|医保|户口|天气|地铁|公交|明天|今天|后天|这周|会下|下雪|居住证|落户)"
    r"|(?:伦敦|纽约|东京|巴黎|首尔|洛杉矶|悉尼|柏林|莫斯科)(?:的|现在|这周|明天|今天|天气|几点|会|下雪|下雨)")


def bus_route(question: str) -> str | None:
    """The route a bus question names ("71路到哪了" -> "71"), or None."""
    folded = text.fold(question)
    match = _ROUTE.search(folded)
    if not match:
        return None
    rest = folded.replace(match.group(0), " ")
    if any(cue in rest or cue in folded for cue in _BUS_CUES) or len(rest.strip()) <= 4:
        return match.group(1).upper()
    return None


def garbage_item(question: str, known_item=None) -> str | None:
    """The thing a sorting question asks about ("奶茶杯是什么垃圾" -> "奶茶杯");
    ``known_item(name) -> bool`` lets "X算啥" count when X is a known item."""
    folded = text.fold(question).replace(" ", "")
    for pattern in (_GARBAGE, _GARBAGE_HOW, _GARBAGE_WHICH):
        match = pattern.search(folded)
        if match:
            thing = re.sub(r"^(?:我家的?|家里的?|用过的|吃剩的|这个|那个|一个|请问)", "", match.group(1))
            thing = thing.strip("的")
            if thing and thing not in ("这", "那", "它", "什么", "啥"):
                return thing
    match = _GARBAGE_WHAT.search(folded)
    if match and known_item is not None and known_item(match.group(1)):
        return match.group(1)
    return None


def detect(question: str, known_item=None) -> Intent | None:
    """The query ``question`` asks, with its slots, or None."""
    route = bus_route(question)
    if route:
        return Intent(BUS_SERVICE, {"route": route})
    thing = garbage_item(question, known_item)
    if thing:
        return Intent(GARBAGE_SERVICE, {"item": thing})
    return None


def out_of_scope(question: str) -> str | None:
    """The subject (``"flights"``, ``"stocks"`` ...) if ``question`` is about
    something the account does not answer, else None."""
    folded = text.fold(question)
    for subject, cues in OUT_OF_SCOPE.items():
        if any(cue in folded for cue in cues):
            return subject
    if _OTHER_CITY.search(folded):
        return "other cities"
    return None
