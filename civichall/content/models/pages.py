"""The account's page tree above the articles: home, the organisation
directory with one section page per organisation, and the topic index."""

from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from .articles import ArticlePage
from .public import PublicPageMixin
from .topics import Topic

ARTICLES_PER_PAGE = 12


def public_articles():
    """Live, public articles that have not been withdrawn, newest first."""
    from ..restrictions import public

    return (
        public(ArticlePage.objects.live())
        .filter(withdrawal__isnull=True)
        .select_related("author_organisation", "cover_image")
        .prefetch_related("topics")
        .order_by("-first_published_at", "-id")
    )


def paginate(request, queryset, per_page=ARTICLES_PER_PAGE):
    """A page of results; a bad ``page`` parameter shows the first or last page."""
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


class HomePage(PublicPageMixin, RoutablePageMixin, Page):
    """The account's front page: latest articles, topics and the service menu;
    ``articles/`` lists every published article, page by page."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["content.OrganisationIndexPage", "content.TopicIndexPage"]

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        # The levels below in one query (content/routing.py), not two a level.
        from ..routing import route_in_one_query

        found = route_in_one_query(self, request, path_components)
        return found if found is not None else super().route(request, path_components)

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


class OrganisationIndexPage(PublicPageMixin, Page):
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


class OrganisationPage(PublicPageMixin, Page):
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


class TopicIndexPage(PublicPageMixin, RoutablePageMixin, Page):
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
