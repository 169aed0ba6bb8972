"""``civichall wechat_menu``: an account's WeChat custom menu from the console.

    civichall wechat_menu export ACCOUNT_SLUG [FILE]   print (or write) {"button": [...]}
    civichall wechat_menu import ACCOUNT_SLUG FILE     replace the menu ("-" reads standard input)
    civichall wechat_menu push ACCOUNT_SLUG            send the stored menu to the WeChat platform

The round trip is exact: what ``export`` prints, ``import`` takes back
unchanged. A file that is not valid JSON or breaks one of WeChat's limits
(3 columns, 5 items each, names of at most 16 / 60 bytes, keys of 128 bytes,
URLs of 1024 bytes) is refused with every reason, and the command exits
with a non-zero status; the stored menu is left as it was.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from civichall.accounts.models import Organisation
from civichall.accounts.policy import SYSTEM
from civichall.services import actions

from ...menus import menu_as_json


class Command(BaseCommand):
    help = "Export or import an account's WeChat custom menu (WeChat's JSON)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", title="sub-commands", required=True)
        exp = sub.add_parser("export", help='print the menu as {"button": [...]}')
        exp.add_argument("account", help="the account's organisation slug, e.g. shanghai")
        exp.add_argument("file", nargs="?", default=None, help="output file (default: standard output)")
        imp = sub.add_parser("import", help="replace the menu with a WeChat menu JSON file")
        imp.add_argument("account", help="the account's organisation slug")
        imp.add_argument("file", help="the JSON file ('-' reads standard input)")
        push = sub.add_parser("push", help="send the stored menu to the WeChat platform's menu API")
        push.add_argument("account", help="the account's organisation slug")

    def handle(self, *args, subcommand, account, file=None, **options):
        org = Organisation.objects.filter(slug=account).first()
        if org is None:
            raise CommandError(_("No account called “%(slug)s”.") % {"slug": account})
        if subcommand == "export":
            return self.export(org, file)
        if subcommand == "push":
            return self.push(org)
        return self.import_(org, file)

    def export(self, org, file):
        menu = actions.export_menu(org)
        if menu is None:
            raise CommandError(_("The account “%(slug)s” has no menu of its own.") % {"slug": org.slug})
        text = menu_as_json(menu)
        if file:
            Path(file).write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)

    def import_(self, org, file):
        if file == "-":
            text = sys.stdin.read()
        else:
            path = Path(file)
            if not path.is_file():
                raise CommandError(_("No such file: %(file)s") % {"file": file})
            try:
                text = path.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError:
                raise CommandError(_("The file is not UTF-8 text.")) from None
        try:
            record = actions.do_import_menu(org, text, SYSTEM, source="cli")
        except actions.MenuRefused as refused:
            for line in refused.lines():
                self.stderr.write(line)
            raise CommandError(
                _("The menu was refused (%(count)s problem(s)); nothing was changed.")
                % {"count": len(refused.problems)}
            ) from None
        columns = len(record.menu.get("button", []))
        self.stdout.write(_("Menu of “%(account)s” imported: %(columns)s column(s).")
                          % {"account": org.display_account_name, "columns": columns})

    def push(self, org):
        from ...models import WechatAccount
        from ...platform import PlatformError
        from ...sync import REFUSALS, do_push_menu

        account = WechatAccount.objects.filter(organisation=org).first()
        if account is None:
            raise CommandError(_("“%(slug)s” has no WeChat account yet: run “civichall wechat configure” first.")
                               % {"slug": org.slug})
        try:
            columns = do_push_menu(SYSTEM, account, source="cli")
        except PlatformError as error:
            raise CommandError(error.message) from None
        except REFUSALS as error:
            from civichall.core.errors import refusal_message

            raise CommandError(refusal_message(error)) from None
        self.stdout.write(_("Menu of “%(account)s” sent to WeChat: %(columns)s column(s).")
                          % {"account": org.display_account_name, "columns": columns})
