"""Demo comment threads in the spirit of the seed text.

* Under 《上海轨道交通网络6月1日起恢复基本运营》 (31 May 2022, 13:13): 22
  comments, 6 of them questions, each answered by 上海发布 one by one.
* Under the third edition of the industrial resumption guideline: the citizen
  Heartlee asks three questions in a row; each is answered.
* A multi-round thread (question, answer, follow-up, answer) under the comic
  on scanning codes without a smartphone.
* Open questions in every SLA state (on time, due soon, overdue and
  escalated) in the queues of the transport and health commissions -- whose
  demo liaisons (``transport_liaison``, ``health_liaison``) answer them;
  one question closed as a duplicate, one closed as out of scope.
* Routing rules: metro, bus and station questions go to the transport
  commission; vaccination, testing and hospital questions to the health
  commission. They are created after the 2022 threads, which the municipal
  account answered itself, so a question posted now under the metro article
  lands in the transport commission's queue.

Everything goes through ``actions`` (stored, checked by the safety door,
detected, routed, answered), then the 2022 threads get their historical
times back. Idempotent: every demo comment has a client key, and a thread
that exists is left alone.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from civichall.accounts.models import Citizen, Organisation
from civichall.accounts.policy import SYSTEM
from civichall.content.models import ArticlePage
from civichall.interaction import actions
from civichall.interaction.models import (
    Comment,
    OfficialReply,
    Question,
    QuestionState,
    RoutingRule,
)
from civichall.interaction.settings_actions import do_save_routing_rule
from civichall.notify.models import Notification

from .identity import DEMO_RESIDENTS

DEMO_KEY = "demo"

#: (mobile, display name); the first six are the demo residents, who can sign in.
CITIZENS = [(r["mobile"], "") for r in DEMO_RESIDENTS] + [
    ("13700000001", "Heartlee"), ("13700000002", "沪上阿明"), ("13700000003", "浦东小林"),
    ("13700000004", "静安老王"), ("13700000005", "通勤族小周"), ("13700000006", "徐汇陈阿姨"),
    ("13700000007", "杨浦学生党"), ("13700000008", "闵行打工人"), ("13700000009", "宝山李师傅"),
    ("13700000010", "长宁跑步爱好者"), ("13700000011", "虹口小郑"), ("13700000012", "普陀张老师"),
    ("13700000013", "嘉定新市民"), ("13700000014", "松江大学城"), ("13700000015", "青浦赵先生"),
    ("13700000016", "奉贤孙女士"),
]

RULES = [
    {"name": "轨道交通与公交", "organisation": "transport-commission", "priority": 0,
     "keywords": "地铁、轨交、轨道交通、号线、公交、首班车、末班车、换乘、车站、站点、线路"},
    {"name": "疫苗、核酸与就医", "organisation": "health-commission", "priority": 5,
     "keywords": "疫苗、接种、核酸、挂号、就医、医院"},
    {"name": "学校与招生", "organisation": "education-commission", "priority": 0,
     "keywords": "返校、开学、入学、招生"},
]

METRO = "metro-resumes-basic-operation"
METRO_DAY = "2022-05-31"

# (minute after 13:13, citizen index, text, answer or None, answer delay in minutes)
METRO_THREAD = [
    (7, 6, "终于等到这一天了！城市又动起来了。", None, 0),
    (9, 7, "请问首班车时间有没有变化？", "您好，恢复运营初期，各线路首班车时间总体保持不变，末班车时间适当提前，"
     "具体以车站公告和“上海地铁”官方渠道发布为准。", 41),
    (12, 8, "感谢一线的地铁工作人员，辛苦了！", None, 0),
    (15, 9, "家门口的站要是能开就好了，期待。", None, 0),
    (18, 0, "没有智能手机的老人怎么进站？", "您好，没有智能手机的乘客可以出示纸质随申码，也可以请车站工作人员协助核验登记。"
     "老年乘客、残障乘客可向车站工作人员求助。", 52),
    (22, 10, "明天开始终于不用骑一个小时车上班了。", None, 0),
    (26, 11, "点赞，信息发布很及时。", None, 0),
    (31, 12, "换乘站的换乘通道开放吗？", "您好，换乘站的换乘通道将根据客流情况适时开放，请按照现场标识和广播指引通行。"
     "出发前可通过“上海地铁”官方渠道查询。", 68),
    (35, 13, "希望大家都自觉戴好口罩，文明乘车。", None, 0),
    (40, 14, "建议高峰时段加密班次，早上人肯定多。", None, 0),
    (46, 1, "进站还需要72小时核酸阴性证明吗？", "您好，目前乘客进站时须扫描“场所码”、出示健康码并接受体温检测。"
     "核酸检测要求请以本市疫情防控最新规定为准，如有变化我们会第一时间发布。", 95),
    (53, 15, "上海加油！一切都会好起来的。", None, 0),
    (58, 16, "今天试着查了车站开放情况，官方渠道写得很清楚。", None, 0),
    (64, 17, "末班车提前到九点左右，下班晚的朋友要注意了。", None, 0),
    (71, 2, "部分车站暂缓开放，是列车通过不停车吗？", "您好，是的。少数车站因所在区域的防控需要暂缓开放，"
     "列车在这些车站通过不停车，请提前规划出行路线。", 104),
    (79, 18, "我们小区门口的公交站也贴出通知了，太好了。", None, 0),
    (88, 19, "向坚守岗位的司机师傅们致敬。", None, 0),
    (96, 20, "转发给家里人，大家出门前先查一下。", None, 0),
    (105, 21, "车厢里一定不要吃东西，保持距离。", None, 0),
    (117, 3, "行车间隔大概是多久？", "您好，恢复运营初期，工作日早晚高峰的行车间隔将逐步恢复，"
     "平峰时段根据客流动态调整，各线路具体间隔以车站公告为准。", 83),
    (128, 4, "盼了两个月，今天心情特别好。", None, 0),
    (140, 5, "支持市交通委的安排，循序渐进最稳妥。", None, 0),
]

INDUSTRIAL = "industrial-resumption-guideline-poster"
INDUSTRIAL_THREAD = [  # Heartlee, three questions in a row
    (25, "第三版指引和上一版相比，主要有哪些变化？", "您好，第三版在上一版的基础上，进一步细化了员工通勤、厂区分区和物流交接的要求，"
     "并增加了异常情况处置后的恢复生产条件。具体以正式发布的指引文本为准。", 70),
    (27, "小微企业没有食堂，员工吃饭怎么办？", "您好，可以采取订餐配送、分散就餐等方式，就餐时避免聚集、不交谈。", 75),
    (29, "复工前需要向哪里报备？", "您好，请按照所在区的要求办理，可向所在区的企业服务专窗咨询具体流程，"
     "也可拨打12345市民服务热线。", 80),
]


def _citizens():
    """The demo citizens, created once (no password: they sign in by code).
    Written directly: a citizen comes into being by signing in with a code
    (``accounts.citizens``), which needs a code the demo cannot receive."""
    User = get_user_model()
    out = []
    for mobile, name in CITIZENS:
        citizen = Citizen.objects.filter(mobile=mobile).first()
        if citizen is None:
            user = User(username=f"c_demo_{mobile}")
            user.set_unusable_password()
            user.save()
            citizen = Citizen.objects.create(user=user, mobile=mobile, display_name=name)
        out.append(citizen)
    return out


def _at(day, hour, minute, plus_minutes=0):
    tz = timezone.get_fixed_timezone(8 * 60)
    moment = datetime.datetime.fromisoformat(f"{day}T{hour:02d}:{minute:02d}:00").replace(tzinfo=tz)
    return moment + datetime.timedelta(minutes=plus_minutes)


def _article(slug):
    return ArticlePage.objects.filter(slug=slug).first()


def _post(citizen, article, key, text, when, parent=None):
    """A demo comment through the real path; None if the key exists already."""
    key = f"{DEMO_KEY}-{key}"
    if Comment.objects.filter(client_key=key).exists():
        return None
    return actions.do_post_comment(citizen, article, text, parent=parent, client_key=key,
                                   rate_limit=False, now=when)


def _answer(user, comment, text, when):
    """Answer through the reply action, then give the answer, the question and
    the notification the time they had (written directly: no action changes
    history)."""
    reply = actions.do_reply(user, comment, text)
    OfficialReply.objects.filter(pk=reply.pk).update(created_at=when, published_at=when)
    Question.objects.filter(comment=comment, answer=reply).update(first_answer_at=when)
    if comment.citizen_id:
        Notification.objects.filter(citizen_id=comment.citizen_id, created_at__gte=timezone.now()
                                    - datetime.timedelta(minutes=5)).update(created_at=when)
    return reply


def _staff(username):
    User = get_user_model()
    return User.objects.filter(username=username).first() or User.objects.filter(is_superuser=True).order_by("pk").first()


def _rules():
    for row in RULES:
        organisation = Organisation.objects.filter(slug=row["organisation"]).first()
        if organisation is None or RoutingRule.objects.filter(name=row["name"]).exists():
            continue
        do_save_routing_rule(SYSTEM, None, source="demo", name=row["name"], organisation=organisation,
                             keywords=row["keywords"], priority=row["priority"])


def load_comments():
    """Load the demo threads; returns a line describing what is there."""
    people = _citizens()
    editor, admin = _staff("sh_editor"), _staff("admin")

    metro = _article(METRO)
    if metro is not None:
        for n, (minute, who, text, answer, delay) in enumerate(METRO_THREAD):
            comment = _post(people[who], metro, f"metro-{n}", text, _at(METRO_DAY, 13, 13, minute))
            if comment is not None and answer:
                _answer(editor, comment, answer, _at(METRO_DAY, 13, 13, minute + delay))

    industrial = _article(INDUSTRIAL)
    if industrial is not None:
        for n, (minute, text, answer, delay) in enumerate(INDUSTRIAL_THREAD):
            comment = _post(people[6], industrial, f"industrial-{n}", text, _at(METRO_DAY, 19, 40, minute))
            if comment is not None:
                _answer(admin, comment, answer, _at(METRO_DAY, 19, 40, minute + delay))

    comic = _article("elderly-scan-code-comic")
    if comic is not None:
        first = _post(people[1], comic, "comic-0", "家里老人没有手机，纸质随申码去哪里打印？", _at("2022-05-30", 22, 5))
        if first is not None:
            _answer(editor, first, "您好，可以到所在居委会或社区事务受理服务中心申请打印纸质随申码，"
                    "也可以由家人在“随申办”上为老人代查并打印。", _at("2022-05-31", 9, 12))
            follow = _post(people[1], comic, "comic-1", "那打印的时候需要老人本人去吗？", _at("2022-05-31", 9, 40), first)
            _answer(editor, follow, "您好，家人可以携带老人的身份证件代为办理，无需本人到场。", _at("2022-05-31", 11, 3))

    gaokao = _article("gaokao-delay-qa")
    if gaokao is not None:
        asked = _post(people[12], gaokao, "gaokao-0", "高考延期以后，志愿填报时间会跟着调整吗？", _at("2022-05-18", 20, 30))
        if asked is not None:
            _answer(admin, asked, "您好，志愿填报时间相应调整，具体安排将由市教育考试院另行公布，"
                    "请关注“上海招考热线”发布的通知。", _at("2022-05-19", 10, 0))
            again = _post(people[13], gaokao, "gaokao-1", "志愿什么时候填报呀？", _at("2022-05-19", 21, 15))
            actions.do_close_question(admin, Question.objects.get(comment=again), "duplicate",
                                      duplicate_of=Question.objects.get(comment=asked))

    garbage = _article("garbage-sorting-guide")
    if garbage is not None:
        smelly = _post(people[14], garbage, "garbage-0", "我们小区垃圾箱房夏天特别臭，物业不管怎么办？",
                       _at("2022-06-05", 19, 0))
        if smelly is not None:
            actions.do_close_question(admin, Question.objects.get(comment=smelly), "out_of_scope",
                                      where_to_go="请拨打12345市民服务热线反映，或联系所在街道的城市运行管理中心。",
                                      public_reason="小区物业管理问题由属地街道和房屋管理部门受理。")

    _rules()  # after the 2022 threads: see the module's docstring

    now = timezone.now()
    open_questions = [
        ("plum-rain-season-begins", "open-0", people[15], "梅雨天地铁站出入口会加装挡水板吗？", 1),
        ("vaccination-over-60", "open-1", people[2], "80岁有高血压的老人可以接种疫苗吗？", 3),
        ("hospital-appointment-guide", "open-2", people[16], "网上预约挂号以后还能改约吗？", 21),
        ("dragon-boat-holiday-traffic", "open-3", people[17], "端午假期地铁会延长运营时间吗？", 30),
    ]
    for slug, key, who, text, hours_ago in open_questions:
        article = _article(slug)
        if article is not None:
            _post(who, article, key, text, now - datetime.timedelta(hours=hours_ago))
    actions.escalate_overdue_questions()

    demo = Comment.objects.filter(client_key__startswith=f"{DEMO_KEY}-")
    questions = Question.objects.filter(comment__in=demo)
    return (f"comments: {demo.count()} demo comments, {questions.count()} questions "
            f"({questions.filter(state=QuestionState.OPEN).count()} open)")
