"""Articles and their supplements (corrections, updates, follow-ups).

A published article's title and body are locked; what changes later is
added as a supplement.
"""

from django import forms
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import ArticleBodyBlock
from .permission_tester import LeafAwarePermissionsMixin
from .public import PublicPageMixin
from .records import ForcePublication, Withdrawal
from .topics import Topic


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "content.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePageForm(WagtailAdminPageForm):
    """Locks the title and body once an article has been published.

    What the public read and quoted stays as it was; later changes go through
    supplements. Django ignores posted data for disabled fields, and ``clean``
    refuses a changed body as a second line of defence.
    """

    LOCKED_FIELDS = ("title", "body")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_locked:
            for name in self.LOCKED_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "Published: locked. Add a supplement to correct or update it."
                    )

    @cached_property
    def is_locked(self):
        return bool(self.instance.pk and self.instance.live and self.instance.first_published_at)

    def clean(self):
        cleaned = super().clean()
        if self.is_locked:
            live = ArticlePage.objects.get(pk=self.instance.pk)
            body = cleaned.get("body")
            if body is not None and _stream_content(body) != _stream_content(live.body):
                self.add_error("body", _("The body of a published article cannot be changed."))
            if cleaned.get("title") not in (None, live.title):
                self.add_error("title", _("The title of a published article cannot be changed."))
        return cleaned


def _stream_content(stream_value):
    """A stream's content without block and list-item ids, for comparing.

    Ids are not content, and list items stored without one get a fresh id
    each time they are loaded.
    """

    def strip(value):
        if isinstance(value, dict):
            if value.get("type") == "item" and set(value) <= {"type", "value", "id"}:
                return strip(value.get("value"))  # list item, new or legacy format
            return {k: strip(v) for k, v in value.items() if k != "id"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(stream_value.get_prep_value())


class ArticlePage(LeafAwarePermissionsMixin, PublicPageMixin, Page):
    """A reviewed people's-livelihood article, in any of the seed's forms."""

    summary = models.TextField(
        _("summary"), max_length=300, help_text=_("One or two sentences shown in lists and previews.")
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("author organisation"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    topics = ParentalManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="articles")
    tags = ClusterTaggableManager(through=ArticleTag, blank=True, verbose_name=_("tags"))
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))
    comments_open = models.BooleanField(_("comments open"), default=True)

    base_form_class = ArticlePageForm
    parent_page_types = ["content.OrganisationPage"]
    subpage_types = ["content.SupplementPage"]
    @classmethod
    def route_queryset(cls):
        """What the article page shows beside the article itself, fetched in
        the query that finds it (content/routing.py): the account and its
        section, the withdrawal, whether a publication awaits review."""
        unreviewed = ForcePublication.objects.filter(page_id=models.OuterRef("pk"), reviewed_at__isnull=True)
        return cls.objects.select_related("author_organisation", "author_organisation__section", "withdrawal") \
            .annotate(has_unreviewed_publication=models.Exists(unreviewed))

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [FieldPanel("topics", widget=forms.CheckboxSelectMultiple), FieldPanel("tags")],
            heading=_("Topics and tags"),
        ),
        HelpPanel(
            content=_(
                "<p>After publication the title and body are locked: corrections, updates "
                "and follow-ups are added as supplements (add a child page).</p>"
            )
        ),
        FieldPanel("body"),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("comments_open")]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("first_published_at"),
    ]

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def save(self, *args, **kwargs):
        # The author organisation is the section the article was written in.
        if self.author_organisation_id is None:
            section = self.section
            if section is not None:
                self.author_organisation_id = section.organisation_id
        super().save(*args, **kwargs)

    @property
    def section(self):
        """The organisation section this article belongs to."""
        parent = self.get_parent() if self.pk else None
        if parent is None and getattr(self, "_parent_for_save", None):
            parent = self._parent_for_save
        if parent is None:
            return None
        # The section pages list articles, so they are imported when asked.
        from .pages import OrganisationPage

        parent = parent.specific
        return parent if isinstance(parent, OrganisationPage) else None

    @property
    def organisation(self):
        return self.author_organisation

    @cached_property
    def withdrawal_record(self):
        """The withdrawal of this article, or None (fetched with the page
        when it was routed: ``route_queryset``)."""
        try:
            return self.withdrawal
        except Withdrawal.DoesNotExist:
            return None

    @cached_property
    def unreviewed_publication(self):
        if getattr(self, "has_unreviewed_publication", True) is False:
            return None
        return (
            ForcePublication.objects.filter(page_id=self.pk, reviewed_at__isnull=True)
            .order_by("-created_at")
            .first()
        )

    def public_supplements(self):
        """Published supplements, newest first."""
        if self.numchild == 0:  # none at all: no query
            return SupplementPage.objects.none()
        return (
            SupplementPage.objects.child_of(self).live().order_by("-first_published_at", "-id")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["supplements"] = self.public_supplements()
        context["withdrawal"] = self.withdrawal_record
        context["unreviewed"] = self.unreviewed_publication
        return context

    def get_meta_description(self):
        return self.search_description or self.summary


class SupplementKind(models.TextChoices):
    CORRECTION = "correction", _("Correction")
    UPDATE = "update", _("Update")
    FOLLOW_UP = "follow_up", _("Follow-up")


class SupplementPage(LeafAwarePermissionsMixin, Page):
    """A dated correction, update or follow-up shown on its article.

    Reviewed like an article (it is a page in the same workflow) but never
    shown on its own: its URL leads to the article.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=SupplementKind.choices)
    major = models.BooleanField(
        _("major"), default=False, help_text=_("Major supplements are sent to subscribers.")
    )
    text = RichTextField(_("text"), features=["bold", "italic", "link", "ol", "ul"])
    source_url = models.CharField(
        _("source"), max_length=500, blank=True, help_text=_("e.g. the question this answers")
    )

    parent_page_types = ["content.ArticlePage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("major"),
        FieldPanel("text"),
        FieldPanel("source_url"),
    ]
    search_fields = Page.search_fields + [index.SearchField("text")]

    class Meta:
        verbose_name = _("supplement")
        verbose_name_plural = _("supplements")

    def serve(self, request, *args, **kwargs):
        article = self.get_parent()
        if not article.live:
            raise Http404
        return HttpResponseRedirect(f"{article.url}#supplement-{self.pk}")

    @property
    def article(self):
        return self.get_parent().specific
