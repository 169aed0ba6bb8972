"""The index follows publishing: a change to what the assistant answers from
(a service, an article published, unpublished, withdrawn or deleted, an FAQ
entry, an application's definition) is noted for this process at once and,
once committed, appended to the change log that every process follows
(see :mod:`index` and :mod:`sync`)."""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from . import sync
from .index import log_changed


def _note(kind, object_id):
    sync.changed(kind, object_id)
    transaction.on_commit(log_changed, robust=True)  # after the entry is written (callbacks run in order)


def _on_page(sender=None, instance=None, **kwargs):
    _note("page", instance.pk)


def _on_withdrawal(sender=None, instance=None, **kwargs):
    _note("page", instance.page_id)


def _on_service(sender=None, instance=None, **kwargs):
    _note("service", instance.pk)


def _on_faq(sender=None, instance=None, **kwargs):
    _note("faq", instance.pk)


def _on_application(sender=None, instance=None, **kwargs):
    _note("application", instance.pk)


def connect():
    """Listen for the changes (called in ``ready()``)."""
    from wagtail.models import Page

    from civichall.content.models import Withdrawal
    from civichall.services.models import Service

    from .models import Faq

    page_published.connect(_on_page, dispatch_uid="assistant_published")
    page_unpublished.connect(_on_page, dispatch_uid="assistant_unpublished")
    post_delete.connect(_on_page, sender=Page, dispatch_uid="assistant_page_deleted")
    receivers = [(Withdrawal, _on_withdrawal), (Service, _on_service), (Faq, _on_faq)]
    if apps.is_installed("civichall.applications"):  # read through the registry: no import of that room
        receivers.append((apps.get_model("applications", "ApplicationDefinition"), _on_application))
    for model, receiver in receivers:
        post_save.connect(receiver, sender=model, dispatch_uid=f"assistant_{model.__name__}_saved")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"assistant_{model.__name__}_deleted")
