"""Periodic jobs of the publishing room."""

from django.core.management import call_command

from civichall.core.periodic import periodic_job


@periodic_job("publish_due_pages")
def publish_due_pages():
    """Publish approved pages whose go-live time has come, and unpublish
    pages whose expiry time has passed (Wagtail's scheduler)."""
    call_command("publish_scheduled", verbosity=0)
