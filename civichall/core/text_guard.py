"""The model guard: no text that the database cannot store is ever saved.

The request guard refuses such input at the door with a message; this is
the line behind it, for text that arrives another way (a department
system's answer, a WeChat message, an import, the command line). Before
any model of the project is saved, NUL characters are dropped from its
text and JSON fields and unpaired surrogates become U+FFFD, so that
PostgreSQL never fails on them.
"""

from django.db import models

from .inputs import bad_character_in_json, clean_json, clean_text

TEXT_FIELDS = (models.CharField, models.TextField)


def clean_instance_text(sender, instance, raw=False, **kwargs):
    """``pre_save`` receiver for the models of the project's apps."""
    if raw or not sender.__module__.startswith("civichall."):
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, TEXT_FIELDS):
            value = getattr(instance, field.attname, None)
            if isinstance(value, str):
                cleaned = clean_text(value)
                if cleaned is not value:
                    setattr(instance, field.attname, cleaned)
        elif isinstance(field, models.JSONField):
            value = getattr(instance, field.attname, None)
            if value is not None and bad_character_in_json(value, max_depth=200) not in (None, "{"):
                setattr(instance, field.attname, clean_json(value))
