"""What the account answers to each message or event, within WeChat's
five seconds.

``answer(account, message, record)`` returns an ``Answer``: the passive
reply (text, one news article, or nothing: ``success``) and the background
work to start once the message is committed. Anything that may be slow —
a department's system, the assistant, a personal query — is never done
here: the follower gets a holding reply at once and the real answer as a
customer-service message (``jobs``).

| message | answer |
|---|---|
| subscribe | the welcome (editable per account) and the top services |
| scene QR code (``qrscene_…`` / SCAN) | the scene's service, e.g. a bus stop's next buses |
| unsubscribe | recorded, no reply |
| menu CLICK | the service's answer; personal services: a sign-in link |
| menu VIEW | recorded, no reply (the page opens) |
| subscription notification events | the follower's accept/reject per template recorded; no reply |
| text | keyword auto-replies, then the assistant (if installed) or the one-window search, then the offer of a person; “人工” hands the last question to the staff |
| location | services near the follower |
| image, voice, video … | what works instead |
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.apps import apps
from django.utils import timezone

from civichall.core import config
from civichall.core.site import hotline
from civichall.services.models import Service, ServiceKind, ServiceStatus
from civichall.services.runtime import input_schema, linked_organisations, search_services

from . import texts
from .events import SUBSCRIPTION_EVENTS
from .lookups import keyword_rules
from .models import Follower, InboundMessage

TOP_SERVICES = 5
HOLDING = "正在为您查询“{name}”，结果稍后发送给您。"
THINKING = "收到您的问题，正在为您查找答案，请稍候。"


@dataclass
class Answer:
    reply: str | list | None = None  # text, news articles, or None for "success"
    outcome: str = ""
    jobs: list = field(default_factory=list)  # (task name, kwargs) to enqueue on commit


def site_url(path=""):
    base = (config.setting("WAGTAILADMIN_BASE_URL") or "").rstrip("/")
    return base + path


def service_url(service):
    return site_url(f"/services/{quote(service.code)}/")


def sign_in_url(account, next_path):
    """The page that signs a follower in by WeChat (snsapi_base) and goes on to ``next_path``."""
    return site_url(f"/wechat/{account.organisation.slug}/oauth/?" + urlencode({"next": next_path}))


def _live_services(account):
    return (Service.objects.exclude(status=ServiceStatus.RETIRED)
            .filter(organisation_id__in=linked_organisations(account.organisation)))


def top_services(account, limit=TOP_SERVICES):
    return list(_live_services(account).order_by("sort_order", "id")[:limit])


def answer(account, message, record):
    """The answer to ``message`` (a parsed wechatpy message), stored as ``record``."""
    kind = message.type
    if kind == "event":
        return _event(account, message, record)
    if kind == "text":
        return _text(account, message, record)
    if kind == "location":
        return _location(account, message)
    return Answer(
        "暂时无法识别图片、语音和视频。您可以：\n· 直接发送文字提问\n· 点击下方菜单使用服务\n· 发送位置查看附近的服务\n"
        + texts.HANDOFF_HINT,
        outcome="unsupported",
    )


# ------------------------------------------------------------------ events


def _follower(account, openid):
    follower, _ = Follower.objects.get_or_create(account=account, openid=openid)
    return follower


def _event(account, message, record):
    event = message.event
    if event in ("subscribe", "subscribe_scan"):
        follower = _follower(account, message.source)
        follower.subscribed, follower.subscribed_at, follower.unsubscribed_at = True, timezone.now(), None
        if event == "subscribe_scan":
            follower.scene = (message.scene_id or "")[:64]
        follower.save()
        if event == "subscribe_scan" and message.scene_id:
            scene = _scene(account, message.scene_id)
            scene.outcome = "subscribe_scan"
            return scene
        return Answer(welcome_text(account), outcome="subscribe")
    if event == "unsubscribe":
        follower = _follower(account, message.source)
        follower.subscribed, follower.unsubscribed_at = False, timezone.now()
        follower.save()
        return Answer(None, outcome="unsubscribe")
    if event == "scan":
        return _scene(account, message.scene_id or "")
    if event == "click":
        return _click(account, message.key or "")
    if event == "view":
        return Answer(None, outcome="view")
    if event in SUBSCRIPTION_EVENTS:
        from .actions import do_record_subscription_choices

        choices = message.choices
        do_record_subscription_choices(account, message.source, event, choices)
        return Answer(None, outcome=f"{event.removeprefix('subscribe_msg_')}:{len(choices)}"[:40])
    return Answer(None, outcome=f"event:{event}"[:40])


def welcome_text(account):
    head = account.welcome_text or f"欢迎关注“{account.organisation.display_account_name}”！"
    lines = [(s.name_zh, service_url(s)) for s in top_services(account)]
    body = head
    if lines:
        body += "\n\n常用服务：\n" + texts.service_lines(lines)
    body += "\n\n直接发送文字即可提问。"
    return texts.clip(body)


def _scene(account, scene):
    """A scene QR code: ``SERVICE_CODE`` or ``SERVICE_CODE:name=value&…``
    (e.g. ``bus_realtime:stop=人民广场``)."""
    code, _, query = scene.partition(":")
    params = {}
    for pair in query.split("&") if query else ():
        name, _, value = pair.partition("=")
        if name:
            params[name[:40]] = value[:100]
    service = Service.objects.filter(code__iexact=code).exclude(status=ServiceStatus.RETIRED).first()
    if service is None:
        return Answer(welcome_text(account), outcome="scene:unknown")
    return _service(account, service, params, outcome="scene")


def _click(account, key):
    service = Service.objects.filter(code__iexact=key).exclude(status=ServiceStatus.RETIRED).first()
    if service is not None:
        return _service(account, service, {}, outcome="click")
    upper = key.upper()
    if "ASSISTANT" in upper:
        return Answer("请直接发送您的问题，例如“社保卡怎么补办”。\n" + texts.HANDOFF_HINT, outcome="click:assistant")
    if "CONTACT" in upper:
        return Answer(f"市民服务热线：{hotline()}\n也可以直接在这里留言，" + texts.HANDOFF_HINT, outcome="click:contact")
    return Answer("请点击下方菜单使用服务，或直接发送文字提问。", outcome="click:unknown")


def _required_inputs(service):
    schema = input_schema(service) or {}
    return [name for name in schema.get("required", []) if name]


def _service(account, service, params, outcome):
    """A service's answer: a link, a sign-in link (personal), or a query
    run in the background after a holding reply."""
    url = service_url(service)
    if service.requires_login or service.requires_verified:
        link = sign_in_url(account, f"/services/{service.code}/")
        return Answer(f"“{service.name_zh}”需要登录后使用，请点击：{link}", outcome=f"{outcome}:sign_in")
    if service.kind != ServiceKind.QUERY or service.connector_id is None:
        return Answer([{"title": service.name_zh, "description": service.description_zh[:120], "url": url}],
                      outcome=f"{outcome}:link")
    missing = [name for name in _required_inputs(service) if name not in params]
    if missing:
        return Answer(f"请打开“{service.name_zh}”填写查询条件：{url}", outcome=f"{outcome}:form")
    return Answer(HOLDING.format(name=service.name_zh), outcome=f"{outcome}:query",
                  jobs=[("query", {"service": service.code, "params": params})])


# -------------------------------------------------------------------- text


def assistant_installed():
    return apps.is_installed("civichall.assistant")


def _text(account, message, record):
    text = (message.content or "").strip()
    if texts.is_handoff_request(text):
        return _handoff(account, message, record)
    found = texts.pick_keyword_reply(text, keyword_rules(account))
    if found is not None:
        return Answer(texts.clip(found), outcome="keyword")
    if assistant_installed():
        return Answer(THINKING, outcome="assistant", jobs=[("assistant", {"text": text})])
    return search_answer(account, text)


def search_answer(account, text):
    """The one-window search's best services for ``text``, and the offer of a person."""
    hits = search_services(text, organisation=account.organisation, limit=3)
    if not hits:
        return Answer(f"暂时没有找到与“{text[:20]}”相关的服务。" + texts.HANDOFF_HINT, outcome="search:none")
    body = "为您找到以下服务：\n" + texts.service_lines((s.name_zh, service_url(s)) for s in hits)
    return Answer(texts.clip(body + "\n\n没有解决？" + texts.HANDOFF_HINT), outcome="search")


def _handoff(account, message, record):
    previous = (InboundMessage.objects.filter(account=account, openid=message.source, msg_type="text",
                                              received_at__lte=record.received_at)
                .exclude(pk=record.pk).order_by("-received_at", "-id").first())
    if previous is None or texts.is_handoff_request(previous.content):
        return Answer("请先发送您想咨询的问题，再回复“人工”。", outcome="handoff:ask_first")
    if previous.asked_id and assistant_installed():
        # The assistant's hand-off: routed to the organisation that owns the
        # matter, on the comment area's first-answer clock; its answer
        # reaches the follower through the notification centre.
        from civichall.accounts.citizens import do_sign_in_with_wechat
        from civichall.assistant.actions import do_hand_off

        handoff = do_hand_off(do_sign_in_with_wechat(message.source), previous.asked_id)
        asked_at, outcome = handoff.created_at, "handoff:assistant"
    else:
        from .actions import do_file_handoff

        handoff = do_file_handoff(account, message.source, previous.content)
        asked_at, outcome = handoff.asked_at, "handoff"
    hours = max(1, round((handoff.due_at - asked_at).total_seconds() / 3600))
    return Answer(f"已为您转交工作人员，将在 {hours} 小时内答复，答复会发送到这里。", outcome=outcome)


# ---------------------------------------------------------------- location

NEARBY_WORDS = ("积水", "路况", "公交", "附近")


def _location(account, message):
    lat, lng = message.location_x, message.location_y
    found, seen = [], set()
    for word in NEARBY_WORDS:
        for service in search_services(word, organisation=account.organisation, limit=3):
            if service.pk not in seen:
                seen.add(service.pk)
                found.append(service)
    if not found:
        return Answer("附近暂时没有可查询的服务。" + texts.HANDOFF_HINT, outcome="location:none")
    near = urlencode({"lat": lat, "lng": lng})
    lines = [(s.name_zh, f"{service_url(s)}?{near}") for s in found[:5]]
    label = f"（{message.label}）" if getattr(message, "label", "") else ""
    return Answer(texts.clip(f"您所在位置{label}附近可以查询：\n" + texts.service_lines(lines)), outcome="location")
