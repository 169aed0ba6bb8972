"""``civichall assistant``: ask the assistant or rebuild its index from the console.

    civichall assistant ask "失业了怎么领钱"     prints the API's JSON
    civichall assistant build                    rebuilds the shared index on disk
"""

import json

from django.core.management.base import BaseCommand, CommandError

from civichall.core.errors import REFUSALS, refusal_message


class Command(BaseCommand):
    help = "Ask the smart assistant a question (prints the API's JSON), or rebuild its index."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        ask = sub.add_parser("ask", help="ask a question")
        ask.add_argument("question")
        sub.add_parser("build", help="rebuild the index shared by the web processes")

    def handle(self, *args, what=None, question=None, **options):
        if what == "build":
            from civichall.assistant import index

            built = index.build()
            self.stdout.write(f"{len(built)} items indexed in {index.index_dir()}")
            return
        from civichall.assistant.answering import ask

        try:
            result = ask(question, channel="cli")
        except REFUSALS as error:
            raise CommandError(refusal_message(error)) from None
        self.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
