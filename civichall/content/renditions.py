"""Image renditions made when an image is saved, not on a reader's view.

A page that shows a picture in a size nobody asked for yet makes that
rendition while it renders: the first reader after a push waits for an
image to be resized, and many readers at once make it many times. The sizes
the site's templates and the API use are listed here (``SPECS``); saving an
image queues a background task that makes them all in one go.
"""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

__all__ = ["SPECS", "connect", "make_renditions"]

# Every filter spec of the public templates and the API (keep in step with
# content/templates and content/serializers.py; a test checks).
SPECS = (
    "fill-48x48", "fill-96x96", "fill-320x180", "fill-600x600", "fill-1200x630",
    "fill-800x450", "width-600", "width-1200",
)


@task()
def make_renditions(image_id: int) -> int:
    """Make every rendition in ``SPECS`` of the image; returns how many."""
    from wagtail.images import get_image_model

    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:  # deleted before the task ran
        return 0
    return len(image.get_renditions(*SPECS))


def _image_saved(sender, instance, created, update_fields=None, **kwargs):
    if update_fields is not None and "file" not in update_fields:
        return
    transaction.on_commit(lambda: make_renditions.enqueue(instance.pk))


def connect() -> None:
    """Queue the renditions whenever an image is uploaded or replaced."""
    from django.db.models.signals import post_save
    from wagtail.images import get_image_model

    post_save.connect(_image_saved, sender=get_image_model(), dispatch_uid="content_image_renditions")
