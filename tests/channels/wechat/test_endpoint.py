"""The message server, played by wechatpy as the platform: the handshake,
signatures, replies addressed back to the sender, safe mode, and bodies
refused before any parser sees them."""

import time

import pytest

from civichall.channels.wechat.models import InboundMessage

from .player import AES_KEY, Platform, event_xml, text_xml

pytestmark = pytest.mark.django_db


def test_handshake_echoes_echostr(wechat):
    response = wechat.handshake("随机串-8841")
    assert response.status_code == 200
    assert response.content.decode() == "随机串-8841"


def test_a_wrong_signature_is_403_for_get_and_post(wechat):
    assert wechat.handshake(token="not-the-token").status_code == 403
    response = wechat.post_raw(text_xml("o-reader", "你好").encode(), wechat.params(token="wrong"))
    assert response.status_code == 403
    assert "签名错误" in response.content.decode()
    assert not InboundMessage.objects.exists()


def test_an_old_signature_is_refused(wechat):
    from .player import sign

    stamp, nonce = str(int(time.time()) - 3600), "n0nce"
    params = {"signature": sign(wechat.token, stamp, nonce), "timestamp": stamp, "nonce": nonce}
    response = wechat.post_raw(text_xml("o-replay", "你好").encode(), params)
    assert response.status_code == 403
    assert "签名已过期" in response.content.decode()


def test_an_unknown_account_is_404(client, account):
    assert Platform(client, "nowhere").handshake().status_code == 404


def test_a_text_reply_goes_back_to_the_sender(wechat):
    response, reply = wechat.post(text_xml("o-follower-1", "你好"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert reply["ToUserName"] == "o-follower-1"
    assert reply["FromUserName"] == "gh_civichall"
    assert reply["MsgType"] == "text"
    stored = InboundMessage.objects.get()
    assert (stored.openid, stored.content) == ("o-follower-1", "你好")


def test_an_event_reply_goes_back_to_the_sender(wechat):
    _, reply = wechat.post(event_xml("o-follower-2", "subscribe"))
    assert reply["ToUserName"] == "o-follower-2" and reply["FromUserName"] == "gh_civichall"
    assert "欢迎关注" in reply["Content"]


def test_safe_mode_round_trip(client, safe_account):
    player = Platform(client, "shanghai", aes_key=AES_KEY)
    response, reply = player.post(text_xml("o-safe", "垃圾分类"))
    assert response.status_code == 200
    assert "<Encrypt>" in response.content.decode()
    assert "垃圾分类" not in response.content.decode()  # the answer travels encrypted
    assert reply["ToUserName"] == "o-safe"
    assert InboundMessage.objects.get().content == "垃圾分类"


def test_safe_mode_refuses_plaintext_and_a_bad_message_signature(client, safe_account):
    plain = Platform(client, "shanghai")
    assert plain.post_raw(text_xml("o-x", "你好").encode()).status_code == 400
    player = Platform(client, "shanghai", aes_key=AES_KEY)
    params = player.params()
    body = player.crypto.encrypt_message(text_xml("o-x", "你好"), params["nonce"], params["timestamp"])
    response = player.post_raw(body.encode(), {**params, "encrypt_type": "aes", "msg_signature": "0" * 40})
    assert response.status_code == 403


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<xml><ToUserName>gh</ToUserName><FromUserName>o-evil</FromUserName><CreateTime>1</CreateTime>
<MsgType>text</MsgType><Content>&lol9;</Content><MsgId>1</MsgId></xml>"""

XXE = """<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xml><ToUserName>gh</ToUserName><FromUserName>o-evil</FromUserName><CreateTime>1</CreateTime>
<MsgType>text</MsgType><Content>&xxe;</Content><MsgId>2</MsgId></xml>"""


@pytest.mark.parametrize("body", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_entity_attacks_are_refused_before_parsing_and_the_server_answers_afterwards(wechat, body, monkeypatch):
    from civichall.channels.wechat import inbound

    parsed = []
    real_parse = inbound.parse_message
    monkeypatch.setattr(inbound, "parse_message", lambda xml: parsed.append(xml) or real_parse(xml))
    response = wechat.post_raw(body.encode())
    assert parsed == []  # no parser saw it: nothing to expand, nothing to read
    assert response.status_code == 400
    assert "DTD" in response.content.decode()
    assert "root:" not in response.content.decode()
    assert not InboundMessage.objects.exists()
    _, reply = wechat.post(text_xml("o-after", "你好"))
    assert reply["ToUserName"] == "o-after" and len(parsed) == 1


@pytest.mark.parametrize("body, words", [
    (b"", "为空"),
    (b"not xml at all", "不是微信消息"),
    ("<xml><ToUserName>".encode("utf-16"), "UTF-8"),
    (b"<xml><ToUserName>gh</ToUserName><Content>unclosed", "格式有误"),
    (b"<xml><FromUserName>o</FromUserName>&undefined;</xml>", "格式有误"),
], ids=["empty", "not-xml", "utf16", "broken", "undeclared-entity"])
def test_bad_bodies_are_clear_400s(wechat, body, words):
    response = wechat.post_raw(body)
    assert response.status_code == 400
    assert words in response.content.decode()


def test_a_body_over_the_limit_is_refused_before_reading(wechat, settings):
    settings.CIVICHALL_WECHAT_MAX_BODY_BYTES = 2048
    response = wechat.post_raw(text_xml("o-big", "长" * 2000).encode())
    assert response.status_code == 400
    assert "过大" in response.content.decode()


def test_a_database_failure_is_a_503_not_a_stack_trace(wechat, monkeypatch):
    from django.db import OperationalError

    from civichall.channels.wechat import inbound

    def down(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(inbound, "_answer_once", down)
    message = text_xml("o-down", "你好", msg_id=770001, create_time=1700000300)
    response = wechat.post_raw(message.encode())
    assert response.status_code == 503
    assert "稍后再试" in response.content.decode()
    monkeypatch.undo()
    _, reply = wechat.post(message)  # the key was released: the platform's retry is answered
    assert reply["ToUserName"] == "o-down"
