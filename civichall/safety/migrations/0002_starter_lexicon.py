"""Load the starter lexicon shipped with the engine into an empty lexicon.

Runs once; an operator who later empties or replaces the lexicon is not
overridden. The starter terms were written by the CivicHall team for demos
and tests (see ``civichall/safety/data/starter_lexicon.csv``).
"""

import uuid

from django.db import migrations
from django.utils import timezone


def load_starter_lexicon(apps, schema_editor):
    from civichall.safety.engine import STARTER_LEXICON
    from civichall.safety.lexicon import parse_lexicon_csv
    from civichall.safety.normalize import normalize_term

    LexiconEntry = apps.get_model("safety", "LexiconEntry")
    Lexicon = apps.get_model("safety", "Lexicon")
    if not LexiconEntry.objects.exists():
        with open(STARTER_LEXICON, encoding="utf-8") as f:
            entries, allow, errors = parse_lexicon_csv(f)
        if errors:
            line, message = errors[0]
            raise ValueError(f"starter lexicon is invalid at line {line}: {message}")
        LexiconEntry.objects.bulk_create(
            LexiconEntry(term=e.term, key=normalize_term(e.term), category=e.category or "other",
                         severity=e.severity, pinyin=bool(e.pinyin) and e.severity != "allow",
                         note=e.note or "")
            for e in [*entries, *allow]
        )
    Lexicon.objects.update_or_create(
        pk=1, defaults={"version": uuid.uuid4().hex, "changed_at": timezone.now()}
    )


class Migration(migrations.Migration):
    dependencies = [("safety", "0001_initial")]

    operations = [migrations.RunPython(load_starter_lexicon, migrations.RunPython.noop)]
