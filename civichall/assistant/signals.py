"""The index follows publishing: any change to what the assistant answers
from (a service, an article published, unpublished, withdrawn or deleted,
an FAQ entry) moves the knowledge version on once the change is committed,
and every process re-reads before its next answer (see :mod:`index`)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from .index import knowledge_changed


def _on_change(sender=None, **kwargs):
    # Now, for this process (it reads its own uncommitted change), and again
    # once committed, for the others.
    knowledge_changed()
    transaction.on_commit(knowledge_changed)


def connect():
    """Listen for the changes (called in ``ready()``)."""
    from wagtail.models import Page

    from civichall.content.models import Withdrawal
    from civichall.services.models import Service

    from .models import Faq

    page_published.connect(_on_change, dispatch_uid="assistant_published")
    page_unpublished.connect(_on_change, dispatch_uid="assistant_unpublished")
    post_delete.connect(_on_change, sender=Page, dispatch_uid="assistant_page_deleted")
    for model in (Service, Withdrawal, Faq):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"assistant_{model.__name__}_saved")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"assistant_{model.__name__}_deleted")
