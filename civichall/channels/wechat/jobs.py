"""Background work of the WeChat channel (django-tasks; ``civichall worker``
runs them). The follower already has a holding reply; the real answer goes
out as a customer-service message, and every send is logged with the
platform's answer (``Delivery``). A failed send stays in the log; the
follower's message stays stored with its outcome."""

import logging

from django_tasks import task

from civichall.services.models import Service, ServiceStatus

from . import platform, texts
from .models import Handoff, InboundMessage

logger = logging.getLogger("civichall.wechat")

def _mark(message_pk, outcome):
    InboundMessage.objects.filter(pk=message_pk).update(outcome=outcome[:40])


def _send(account, openid, text):
    try:
        platform.send_text(account, openid, texts.clip(text))
        return True
    except platform.PlatformError as error:
        logger.warning("customer message to a follower of %s failed: %s", account.appid, error.message)
        return False


@task()
def answer_query(message_pk, service, params):
    """Run a query service for a follower and send the answer."""
    from civichall.services.results import present
    from civichall.services.runtime import query_service

    from .answering import service_url

    message = InboundMessage.objects.select_related("account__organisation").get(pk=message_pk)
    found = Service.objects.filter(code=service).exclude(status=ServiceStatus.RETIRED).first()
    if found is None:
        _mark(message_pk, "query:gone")
        return
    result = query_service(found, params, user=None, lang="zh")
    if result["status"] == "ok":
        body = f"“{found.name_zh}”\n" + texts.presentation_text(present(result.get("data"),
                                                                         output_schema=found.output_schema))
    else:
        body = result.get("message") or "服务暂时无法使用。"
        if result.get("alternative"):
            body += "\n" + result["alternative"]
    body += f"\n详情：{service_url(found)}"
    sent = _send(message.account, message.openid, body)
    _mark(message_pk, f"query:{result['status']}" + ("" if sent else ":unsent"))


@task()
def answer_with_assistant(message_pk, text):
    """Ask the smart assistant (installed separately); fall back to the
    one-window search when it is not confident, and offer a person."""
    from .answering import search_answer, site_url

    message = InboundMessage.objects.select_related("account__organisation").get(pk=message_pk)
    account = message.account
    body = None
    try:
        from civichall.accounts.citizens import do_sign_in_with_wechat
        from civichall.assistant.answering import ask  # an optional room above

        # The follower is a citizen identified by their OpenID, so that a
        # hand-off's answer can reach them.
        citizen = do_sign_in_with_wechat(message.openid)
        found = ask(text, actor=citizen.user, organisation=account.organisation, channel="wechat")
        if getattr(found, "question_id", None):
            InboundMessage.objects.filter(pk=message_pk).update(asked_id=found.question_id)
        if getattr(found, "confident", False) and getattr(found, "answers", None):
            lines = []
            for item in found.answers[:3]:
                line = f"· {item.get('title', '')}"
                if item.get("snippet"):
                    line += f"：{item['snippet'][:80]}"
                url = item.get("url") or ""
                if url:
                    line += f"\n  {site_url(url) if url.startswith('/') else url}"
                lines.append(line)
            body = "\n".join(lines) + "\n\n没有解决？" + texts.HANDOFF_HINT
    except Exception:  # noqa: BLE001 - the assistant failing must not lose the question
        logger.exception("the assistant could not answer a WeChat message")
    if body is None:
        body = search_answer(account, text).reply
    sent = _send(account, message.openid, body)
    _mark(message_pk, "assistant" if sent else "assistant:unsent")


@task()
def send_handoff_answer(handoff_pk):
    """A staff answer to a follower's question, as a customer-service message."""
    handoff = Handoff.objects.select_related("account__organisation").get(pk=handoff_pk)
    name = handoff.account.organisation.display_account_name
    _send(handoff.account, handoff.openid, f"【{name}】答复您的问题“{handoff.question[:40]}”：\n{handoff.answer}")


@task()
def deliver_notification(notification_pk):
    """An in-site notification, also sent on WeChat to the citizen's linked OpenID."""
    from civichall.notify.models import Notification

    from .delivery import account_for_openid, send_notice

    note = Notification.objects.select_related("citizen").filter(pk=notification_pk).first()
    if note is None or not note.citizen.wechat_openid:
        return
    account = account_for_openid(note.citizen.wechat_openid)
    if account is None:
        return
    from .answering import site_url

    link = note.link or ""
    if link.startswith("/"):
        link = site_url(link)
    send_notice(account, note.citizen.wechat_openid, note, link if link.startswith("http") else "")
