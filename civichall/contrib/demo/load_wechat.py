"""The demo's WeChat account: the municipal account configured (compatible
mode, made-up AppID and keys for the fake platform), a few keyword
auto-replies as WeChat's console offers, and lines saying how to try it."""

from civichall.accounts.policy import SYSTEM
from civichall.channels.wechat import actions
from civichall.channels.wechat.models import KeywordReply
from civichall.services.runtime import municipal_account

DEMO_APPID = "wxdemo0000shanghai"
DEMO_TOKEN = "civichallDemoToken"
DEMO_AES_KEY = "CivicHallDemoEncodingAESKey0123456789abcdef"
DEMO_SECRET = "demoSecretShanghai2026"
BUS_STOP_SCENE = "bus_realtime:stop=申昆路枢纽站"

KEYWORDS = [
    ("上班时间", "exact", "市民服务热线 12345 全天候受理；各区行政服务中心工作日 9:00—17:00 办公。", 10),
    ("热线", "contains", "市民服务热线：12345（24 小时）。", 0),
    ("疫苗", "contains", "疫苗接种预约请点击菜单“市民大厅”→“生活查询”，或回复“人工”咨询。", 0),
]


def load_wechat():
    """Configure the municipal account's WeChat channel; returns lines for the console."""
    municipal = municipal_account()
    if municipal is None:
        return []
    account = actions.do_configure_account(
        SYSTEM, municipal, appid=DEMO_APPID, token=DEMO_TOKEN, aes_key=DEMO_AES_KEY, secret=DEMO_SECRET,
        mode="compatible", welcome_text="欢迎关注“上海发布”！权威信息、便民服务，一号通办。", source="demo")
    existing = set(KeywordReply.objects.filter(account=account).values_list("keyword", flat=True))
    for keyword, match, reply, priority in KEYWORDS:
        if keyword not in existing:
            actions.do_save_keyword_reply(SYSTEM, None, account=account, keyword=keyword, match=match, reply=reply,
                                          priority=priority, source="demo")
    return [f"WeChat account of {municipal.slug}: AppID {DEMO_APPID}, compatible mode"]


def how_to_lines(slug, site_url, platform_url=None):
    """How to reach the demo account, for the console."""
    # Another console reaches the fake platform only when told where it is.
    env = f"CIVICHALL_WECHAT_API_BASE={platform_url} " if platform_url else ""
    lines = [
        "WeChat (the municipal account; the same values go in the WeChat console's server settings):",
        f"  server address (URL): {site_url}/wechat/{slug}/",
        f"  Token: {DEMO_TOKEN}   EncodingAESKey: {DEMO_AES_KEY}   mode: compatible",
        f"  configured with: civichall wechat configure {slug} --appid {DEMO_APPID} --token {DEMO_TOKEN} "
        f"--aes-key {DEMO_AES_KEY} --secret {DEMO_SECRET} --mode compatible",
        f"  play a follower: {env}civichall wechat simulate {slug} \"垃圾分类\"  (or --event subscribe, "
        f"--event click:CONTACT_US, --event scan:{BUS_STOP_SCENE})",
        f"  answers sent in the background (customer-service messages): {env}civichall worker",
        f"  push the menu: {env}civichall wechat_menu push {slug}",
    ]
    if platform_url:
        lines.append(f"  fake WeChat platform: {platform_url} (what it received: {platform_url}_control/received)")
    return lines
