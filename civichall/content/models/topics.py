"""Topics: the people's-livelihood areas articles are filed under."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

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

        index_page = TopicIndexPage.objects.live().first()
        if index_page is None:
            return None
        return index_page.url + index_page.reverse_subpage("topic", args=[self.slug])
