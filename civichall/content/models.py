"""Pages and records of the publishing room.

The page tree is the account matrix: Home → organisation directory → one
section page per organisation → its articles → their supplements. Staff
permissions are granted per section (see ``groups``), so an editor of
one bureau cannot touch another's articles.

What happens to a published article after publication (withdrawal, a
force-publish waiting for review) is kept in records beside the page, not in
its revisions, so that no later revision can silently undo it.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Task, TaskState
from wagtail.search import index

from civichall.core.i18n import localised

from .blocks import ArticleBodyBlock

ARTICLES_PER_PAGE = 12



# --- Topics --------------------------------------------------------------------


class Topic(models.Model):
    """A people's-livelihood area: epidemic prevention, employment, education…"""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
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

    def __str__(self):
        return self.name_zh

    @property
    def name(self):
        return localised(self.name_zh, self.name_en)

    @property
    def url(self):
        index_page = TopicIndexPage.objects.live().first()
        if index_page is None:
            return None
        return index_page.url + index_page.reverse_subpage("topic", args=[self.slug])


# --- Shared page behaviour ------------------------------------------------------


def public_articles():
    """Live, public articles that have not been withdrawn, newest first."""
    return (
        ArticlePage.objects.live()
        .public()
        .filter(withdrawal__isnull=True)
        .select_related("author_organisation", "cover_image")
        .prefetch_related("topics")
        .order_by("-first_published_at", "-id")
    )


def paginate(request, queryset, per_page=ARTICLES_PER_PAGE):
    """A page of results; a bad ``page`` parameter shows the first or last page."""
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


class HomePage(RoutablePageMixin, Page):
    """The account's front page: latest articles, topics and the service menu;
    ``articles/`` lists every published article, page by page."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["content.OrganisationIndexPage", "content.TopicIndexPage"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest"] = public_articles()[:10]
        context["topics"] = Topic.objects.all()
        context["organisation_index"] = OrganisationIndexPage.objects.live().first()
        return context

    @path("articles/", name="articles")
    def all_articles(self, request):
        return self.render(request, template="content/all_articles.html",
                           context_overrides={"articles": paginate(request, public_articles())})


class OrganisationIndexPage(Page):
    """The directory of every account in the matrix, grouped by kind."""

    intro = models.TextField(_("introduction"), blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.OrganisationPage"]
    max_count = 1

    class Meta:
        verbose_name = _("organisation directory")

    def get_context(self, request, *args, **kwargs):
        from civichall.accounts.models import OrganisationKind

        context = super().get_context(request, *args, **kwargs)
        sections = (
            OrganisationPage.objects.child_of(self)
            .live()
            .select_related("organisation", "organisation__avatar")
            .order_by("organisation__sort_order", "organisation__id")
        )
        groups = []
        for kind, label in OrganisationKind.choices:
            members = [s for s in sections if s.organisation.kind == kind]
            if members:
                groups.append({"kind": kind, "label": label, "sections": members})
        context["groups"] = groups
        return context


class OrganisationPage(Page):
    """An organisation's public profile and the section its staff publish in."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="section",
    )
    content_panels = Page.content_panels + [FieldPanel("organisation")]
    parent_page_types = ["content.OrganisationIndexPage"]
    subpage_types = ["content.ArticlePage"]

    class Meta:
        verbose_name = _("organisation page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = public_articles().descendant_of(self)
        context["articles"] = paginate(request, articles)
        context["children"] = (
            OrganisationPage.objects.live()
            .filter(organisation__parent=self.organisation)
            .select_related("organisation")
        )
        return context


class TopicIndexPage(RoutablePageMixin, Page):
    """All topics, and one page per topic at ``/topics/<slug>/``."""

    parent_page_types = ["content.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("topic index")

    @path("")
    def topic_list(self, request):
        return self.render(request, context_overrides={"topics": Topic.objects.all()})

    @path("<slug:slug>/", name="topic")
    def topic_detail(self, request, slug):
        topic = get_object_or_404(Topic, slug=slug)
        articles = public_articles().filter(topics=topic)
        return self.render(
            request,
            context_overrides={
                "topic": topic,
                "articles": paginate(request, articles),
                "title": topic.name,
            },
            template="content/topic_page.html",
        )


# --- Articles -------------------------------------------------------------------


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


class ArticlePage(Page):
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
        parent = parent.specific
        return parent if isinstance(parent, OrganisationPage) else None

    @property
    def organisation(self):
        return self.author_organisation

    @cached_property
    def withdrawal_record(self):
        return Withdrawal.objects.filter(page_id=self.pk).first()

    @cached_property
    def unreviewed_publication(self):
        return (
            ForcePublication.objects.filter(page_id=self.pk, reviewed_at__isnull=True)
            .order_by("-created_at")
            .first()
        )

    def public_supplements(self):
        """Published supplements, newest first."""
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


class SupplementPage(Page):
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


# --- Records beside the pages ---------------------------------------------------


class Withdrawal(models.Model):
    """An article withdrawn after publication: it keeps its URL, shows a banner
    and this public explanation, and leaves the listings."""

    page = models.OneToOneField(ArticlePage, on_delete=models.CASCADE, related_name="withdrawal")
    reason = models.TextField(_("public explanation"))
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"))

    class Meta:
        verbose_name = _("withdrawal")


class ForcePublication(models.Model):
    """An administrator's publication without review, with the written reason.

    While ``reviewed_at`` is empty the article carries a "not reviewed" flag.
    """

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="force_publications")
    reason = models.TextField(_("reason"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("published at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("publication without review")
        ordering = ["-created_at"]


# --- Review task ----------------------------------------------------------------


class OrganisationReviewTask(Task):
    """A reviewer of the content's own organisation approves or sends it back."""

    @staticmethod
    def _organisation(obj):
        from .sections import organisation_for_page

        return organisation_for_page(obj)

    def _is_reviewer(self, obj, user):
        from civichall.accounts import policy

        return policy.allows(user, "page", "review", obj)

    def user_can_access_editor(self, obj, user):
        return self._is_reviewer(obj, user)

    def locked_for_user(self, obj, user):
        return not self._is_reviewer(obj, user)

    def user_can_lock(self, obj, user):
        return self._is_reviewer(obj, user)

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if self._is_reviewer(obj, user):
            return [
                ("reject", _("Request changes"), True),
                ("approve", _("Approve"), False),
                ("approve", _("Approve with comment"), True),
            ]
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from civichall.accounts import policy

        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser:
            return states
        pages = policy.filter_allowed(user, "page", "review", Page.objects.all())
        page_ids = [str(i) for i in pages.values_list("id", flat=True)]
        return states.filter(workflow_state__object_id__in=page_ids)

    @classmethod
    def get_description(cls):
        return _("A reviewer of the content's own organisation approves it")

    class Meta:
        verbose_name = _("organisation review task")
        verbose_name_plural = _("organisation review tasks")


def validate_reason(value):
    from civichall.core.reasons import MIN_REASON

    if len((value or "").strip()) < MIN_REASON:
        raise ValidationError(_("Please write the reason in at least 5 characters."))
