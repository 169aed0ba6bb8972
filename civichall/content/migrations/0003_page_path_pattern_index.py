"""On PostgreSQL, an index that lets ``path LIKE 'prefix%'`` use a b-tree.

Wagtail finds a page's descendants, a section's articles and what an editor
may explore with ``path LIKE 'prefix%'``. Wagtail's own index on ``path``
uses the database's collation, which cannot answer a LIKE prefix unless the
collation is C; with 10,000 articles the explorer spent most of its time
scanning. ``varchar_pattern_ops`` answers prefixes whatever the collation.
SQLite needs nothing (its LIKE optimisation applies to its own indexes).
"""

from django.db import migrations

INDEX = "civichall_page_path_pattern"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (path varchar_pattern_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0002_service_card_chooser"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
