"""The demo's WeChat account: the municipal account configured once however
often the demo loads, its keyword replies answering a simulated follower."""

import pytest

from civichall.channels.wechat import simulator
from civichall.channels.wechat.models import KeywordReply, WechatAccount
from civichall.contrib.demo import load_wechat

pytestmark = pytest.mark.django_db


def test_the_municipal_account_is_configured_and_answers(make_org):
    make_org("shanghai", kind="municipal", name_zh="上海发布")
    assert load_wechat.load_wechat() == load_wechat.load_wechat()
    account = WechatAccount.objects.get()
    assert (account.appid, account.mode) == (load_wechat.DEMO_APPID, "compatible")
    assert KeywordReply.objects.filter(account=account).count() == len(load_wechat.KEYWORDS)
    status, reply = simulator.post_as_platform(account, simulator.message_xml("o-demo", "上班时间"))
    assert status == 200
    assert "9:00—17:00" in simulator.reply_text(reply)
    lines = "\n".join(load_wechat.how_to_lines("shanghai", "http://127.0.0.1:8000", "http://127.0.0.1:9999/"))
    assert "/wechat/shanghai/" in lines and load_wechat.DEMO_TOKEN in lines
