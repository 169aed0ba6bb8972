"""Playing a follower in this process (``civichall wechat simulate``, the
demo): a message is built, signed — and in safe mode encrypted — with
wechatpy as the platform does it, handed to the account's message server,
and the reply decrypted and read back."""

import time
import uuid
from xml.sax.saxutils import escape

import xmltodict
from django.test import RequestFactory
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

from .models import Mode


def message_xml(openid, text="", event=None, to="gh_simulated"):
    """A text message, or an event (``subscribe``, ``unsubscribe``,
    ``click:KEY``, ``scan:SCENE``, ``subscribe:SCENE``, and the subscription
    pop-up's ``accept:TEMPLATE_ID`` / ``reject:TEMPLATE_ID``)."""
    head = (f"<xml><ToUserName><![CDATA[{to}]]></ToUserName><FromUserName><![CDATA[{escape(openid)}]]>"
            f"</FromUserName><CreateTime>{int(time.time())}</CreateTime>")
    if event:
        name, _, key = event.partition(":")
        if name in ("accept", "reject") and key:
            choice = (f"<List><TemplateId><![CDATA[{escape(key)}]]></TemplateId><SubscribeStatusString>"
                      f"<![CDATA[{name}]]></SubscribeStatusString><PopupScene>2</PopupScene></List>")
            return head + ("<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe_msg_popup_event]]></Event>"
                           f"<SubscribeMsgPopupEvent>{choice}</SubscribeMsgPopupEvent></xml>")
        if name == "subscribe" and key:
            key = "qrscene_" + key
        key_xml = f"<EventKey><![CDATA[{key}]]></EventKey>" if key else ""
        return head + f"<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[{name}]]></Event>{key_xml}</xml>"
    msg_id = uuid.uuid4().int % 10**18
    return head + (f"<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{text}]]></Content>"
                   f"<MsgId>{msg_id}</MsgId></xml>")


def post_as_platform(account, xml):
    """Hand ``xml`` to the account's message server as the platform would;
    answers (status, reply text: the plaintext XML, "success" or an error)."""
    from .views import message_server

    timestamp, nonce = str(int(time.time())), uuid.uuid4().hex[:10]
    signer = WeChatSigner()
    signer.add_data(account.token, timestamp, nonce)
    params = {"signature": signer.signature, "timestamp": timestamp, "nonce": nonce}
    body = xml
    crypto = None
    if account.mode == Mode.SAFE:
        crypto = WeChatCrypto(account.token, account.aes_key, account.appid)
        body = crypto.encrypt_message(xml, nonce, timestamp)
        params.update(encrypt_type="aes", msg_signature=xmltodict.parse(body)["xml"]["MsgSignature"])
    query = "&".join(f"{k}={v}" for k, v in params.items())
    request = RequestFactory().post(f"/wechat/{account.organisation.slug}/?{query}", data=body.encode("utf-8"),
                                    content_type="text/xml")
    response = message_server(request, account.organisation.slug)
    content = response.content.decode("utf-8")
    if crypto is not None and response.status_code == 200 and content.startswith("<xml>"):
        outer = xmltodict.parse(content)["xml"]
        content = crypto.decrypt_message(content, outer["MsgSignature"], outer["TimeStamp"], outer["Nonce"])
    return response.status_code, content


def reply_text(content):
    """What a follower reads in a reply (text, or the news article's title and link)."""
    if not content.startswith("<xml>"):
        return content
    reply = xmltodict.parse(content)["xml"]
    if reply.get("MsgType") == "text":
        return reply.get("Content") or ""
    if reply.get("MsgType") == "news":
        items = reply["Articles"]["item"]
        items = items if isinstance(items, list) else [items]
        return "\n".join(f"[{i.get('Title')}] {i.get('Description') or ''} {i.get('Url') or ''}".strip()
                         for i in items)
    return content
