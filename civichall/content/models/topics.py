"""Topics: the people's-livelihood areas articles are filed under."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from civichall.core.memo import remembered
from civichall.core.models import BilingualName


class Topic(BilingualName):
    """A people's-livelihood area: epidemic prevention, employment, education…"""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    # BilingualName, with shorter names
    name_zh = models.CharField(_("Chinese name"), max_length=40)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    description_zh = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    panels = [FieldPanel("name_zh"), FieldPanel("name_en"), FieldPanel("slug"),
              FieldPanel("description_zh"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    @property
    def url(self):
        # The index page lists topics, so it is imported when asked.
        from .pages import TopicIndexPage

        index_url = remembered(TOPIC_INDEX_KEY, lambda: _topic_index_url(TopicIndexPage))
        return index_url + f"{self.slug}/" if index_url else None


# Every topic link on every page starts with the topic index's address: kept
# in the shared cache until a topic index page changes (content/apps.py).
TOPIC_INDEX_KEY = "content:topic-index-url"


def _topic_index_url(index_class):
    index_page = index_class.objects.live().first()
    return (index_page.url or "") if index_page is not None else ""
