"""``civichall safety``: the content-safety engine from the console.

    civichall safety check [--kind KIND] [--body BODY] TEXT   print the decision as JSON
    civichall safety import_lexicon FILE.csv [--replace]      import a lexicon (all or nothing)
    civichall safety export_lexicon [FILE]                    write the lexicon as CSV

``check`` reads the text from standard input when TEXT is ``-``. The import
shows a progress bar and a summary; a file with any bad row is refused with
every problem and its line number, and nothing is imported.
"""

import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from civichall.accounts.policy import SYSTEM
from civichall.safety import services
from civichall.safety.actions import LexiconImportError, do_import_lexicon


class Command(BaseCommand):
    help = "Check a text, or import / export the content-safety lexicon."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", title="sub-commands", required=True)

        check = sub.add_parser("check", help="check a text and print the result as JSON")
        check.add_argument("text", help="the text to check ('-' reads standard input)")
        check.add_argument("--kind", default="body", choices=services.KINDS,
                           help="what the text is (default: body)")
        check.add_argument("--body", default=None,
                           help="for a title: the article body (title-body mismatch check)")

        imp = sub.add_parser("import_lexicon", help="import a lexicon CSV (all or nothing)")
        imp.add_argument("file", help="CSV with columns term,category,severity[,pinyin,note]")
        imp.add_argument("--replace", action="store_true",
                         help="remove the entries that are not in the file")

        exp = sub.add_parser("export_lexicon", help="write the lexicon as CSV")
        exp.add_argument("file", nargs="?", default=None,
                         help="output file (default: standard output)")

    def handle(self, *args, subcommand, **options):
        run = {"check": self.check_text, "import_lexicon": self.import_lexicon,
               "export_lexicon": self.export_lexicon}[subcommand]
        return run(**options)

    # -- check --

    def check_text(self, text, kind, body=None, **options):
        if text == "-":
            text = sys.stdin.read()
        try:
            services.validate_check_input(text, kind, body)
        except ValidationError as error:
            raise CommandError(" ".join(m for ms in error.message_dict.values() for m in ms)) from None
        result = services.check_content(text, kind, body=body)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    # -- import / export --

    def import_lexicon(self, file, replace=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        rows = max(0, sum(1 for _ in path.open("rb")) - 1)
        with path.open("rb") as f, tqdm(total=rows, unit="row", desc="import",
                                        file=self.stderr._out, disable=None) as bar:
            try:
                summary = do_import_lexicon(SYSTEM, f, replace=replace, progress=bar.update,
                                            source="cli", filename=path.name)
            except LexiconImportError as error:
                bar.close()
                for line in error.lines():
                    self.stderr.write(line)
                raise CommandError(
                    _("%(n)s problem(s) in %(file)s; nothing was imported.")
                    % {"n": len(error.errors), "file": path.name}
                ) from None
        self.stdout.write(str(summary))

    def export_lexicon(self, file=None, **options):
        if file:
            with open(file, "w", encoding="utf-8", newline="") as f:
                services.export_lexicon(f)
            self.stderr.write(_("Lexicon written to %(file)s") % {"file": file})
        else:
            services.export_lexicon(self.stdout._out)
