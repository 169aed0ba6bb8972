"""``civichall wechat``: an organisation's WeChat account from the console.

    civichall wechat configure ORG_SLUG --appid APPID --token TOKEN [--aes-key KEY] [--secret SECRET]
                                        [--mode plain|compatible|safe] [--welcome TEXT]
                                        [--answer-subscription TPL --answer-fields "thing1=kind, time2=time"]
                                        [--case-subscription TPL --case-fields "thing1=text, phrase2=kind"]
    civichall wechat show ORG_SLUG                 the configuration (secrets: only whether one is set)
    civichall wechat qrcode ORG_SLUG SCENE [--expire SECONDS]
    civichall wechat simulate ORG_SLUG "text" [--openid OPENID] [--event subscribe|click:KEY|scan:SCENE|accept:TPL]

``simulate`` plays a follower: it signs (and in safe mode encrypts) a
message as the platform does, posts it to the account's endpoint in this
process, and prints the reply. Work the endpoint puts in the background is
run at once, so its customer-service messages are printed too.
"""

from django.core.management.base import BaseCommand, CommandError
from django.test import override_settings
from django.utils.translation import gettext as _

from civichall.accounts.models import Organisation
from civichall.accounts.policy import SYSTEM
from civichall.core.errors import REFUSALS, refusal_message

from ... import actions, simulator, sync
from ...models import Delivery, Mode, WechatAccount
from ...platform import PlatformError


class Command(BaseCommand):
    help = "Configure an organisation's WeChat account, ask for QR codes, play a follower."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", title="sub-commands", required=True)
        conf = sub.add_parser("configure", help="set the account's AppID, Token, keys and mode")
        conf.add_argument("account", help="the organisation's slug, e.g. shanghai")
        conf.add_argument("--appid", required=True)
        conf.add_argument("--token", required=True)
        conf.add_argument("--aes-key", default=None, help="the EncodingAESKey (43 characters)")
        conf.add_argument("--secret", default=None, help="the AppSecret (kept write-only)")
        conf.add_argument("--mode", default=None, choices=Mode.values)
        conf.add_argument("--welcome", default=None, help="the welcome message")
        for purpose, what in (("answer", "a question answered"), ("case", "an application's state changed")):
            conf.add_argument(f"--{purpose}-subscription", default=None, metavar="TEMPLATE_ID",
                              help=f"the subscription notification template for {what} (empty: none)")
            conf.add_argument(f"--{purpose}-fields", default="", metavar="MAPPING",
                              help="its keys and values, e.g. \"thing1=kind, time2=time\"")
        show = sub.add_parser("show", help="print the configuration (never the secrets)")
        show.add_argument("account")
        qr = sub.add_parser("qrcode", help="ask the platform for a scene QR code")
        qr.add_argument("account")
        qr.add_argument("scene", help="e.g. bus_realtime:stop=人民广场")
        qr.add_argument("--expire", type=int, default=None, help="seconds (default: a permanent code)")
        sim = sub.add_parser("simulate", help="play a follower and print the reply")
        sim.add_argument("account")
        sim.add_argument("text", nargs="?", default="")
        sim.add_argument("--openid", default="o-simulated-follower")
        sim.add_argument("--event", default=None, help="subscribe, unsubscribe, click:KEY, scan:SCENE, or accept:TEMPLATE_ID / "
                                                            "reject:TEMPLATE_ID (the subscription pop-up)")

    def handle(self, *args, subcommand, account, **options):
        org = Organisation.objects.filter(slug=account).first()
        if org is None:
            raise CommandError(_("No account called “%(slug)s”.") % {"slug": account})
        try:
            return getattr(self, subcommand)(org, **options)
        except REFUSALS as error:
            raise CommandError(refusal_message(error)) from None
        except PlatformError as error:
            raise CommandError(error.message) from None

    def _account(self, org):
        found = WechatAccount.objects.filter(organisation=org).first()
        if found is None:
            raise CommandError(_("“%(slug)s” has no WeChat account yet: run “civichall wechat configure” first.")
                               % {"slug": org.slug})
        return found

    def configure(self, org, appid, token, aes_key, secret, mode, welcome, **options):
        subscriptions = {purpose: (options[f"{purpose}_subscription"], options[f"{purpose}_fields"])
                         for purpose in ("answer", "case") if options.get(f"{purpose}_subscription") is not None}
        found = actions.do_configure_account(SYSTEM, org, appid=appid, token=token, aes_key=aes_key, secret=secret,
                                             mode=mode, welcome_text=welcome, subscriptions=subscriptions,
                                             source="cli")
        self.stdout.write(_("WeChat account of “%(account)s” configured: AppID %(appid)s, %(mode)s mode.")
                          % {"account": org.display_account_name, "appid": found.appid, "mode": found.mode})
        self.stdout.write(_("Message server address: /wechat/%(slug)s/") % {"slug": org.slug})

    def show(self, org, **options):
        found = self._account(org)
        for label, value in (
            ("AppID", found.appid), ("Token", found.token), (_("mode"), found.mode),
            ("AppSecret", _("set") if found.app_secret else _("not set")),
            ("EncodingAESKey", _("set") if found.aes_key else _("not set")),
            (_("subscription: question answered"),
             f"{found.answer_subscription_template_id} ({found.answer_subscription_fields})"
             if found.answer_subscription_template_id else _("not set")),
            (_("subscription: application state"),
             f"{found.case_subscription_template_id} ({found.case_subscription_fields})"
             if found.case_subscription_template_id else _("not set")),
            (_("address"), f"/wechat/{org.slug}/"),
        ):
            self.stdout.write(f"{label}: {value}")

    def qrcode(self, org, scene, expire, **options):
        result = sync.do_create_qrcode(SYSTEM, self._account(org), scene, expire, source="cli")
        self.stdout.write(_("QR code for scene “%(scene)s”:") % {"scene": scene})
        self.stdout.write(f"ticket: {result.get('ticket')}\nurl: {result.get('url')}\nimage: {result.get('image')}")

    def simulate(self, org, text, openid, event, **options):
        found = self._account(org)
        if not text and not event:
            raise CommandError(_("Give the text to send, or --event."))
        before = Delivery.objects.order_by("-id").values_list("id", flat=True).first() or 0
        # Background work runs at once here, so that its messages can be shown.
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
            status, content = simulator.post_as_platform(found, simulator.message_xml(openid, text, event))
        if status != 200:
            raise CommandError(f"{status}: {content}")
        self.stdout.write(_("Reply:") + " " + (simulator.reply_text(content) if content != "success" else "（无）"))
        for sent in Delivery.objects.filter(id__gt=before, openid=openid).order_by("id"):
            state = "ok" if sent.ok else f"{sent.errcode} {sent.errmsg}"
            self.stdout.write(_("Customer message:") + f" {sent.summary} [{state}]")
