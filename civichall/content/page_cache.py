"""Which public pages show an article, and purging them when it changes.

The page cache (``civichall.core.page_cache``) keeps whole pages for
anonymous readers; this module tells it what to forget. An article is shown
on its own page, and listed on the home page, the list of all articles, its
organisation's page and its topics' pages. Publishing, unpublishing,
withdrawing or correcting it purges those; a change to what is only on the
article page (a supplement, a comment, an official reply) purges the
article alone. Changes every page shows (topics' names, the page tree)
purge everything.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from civichall.core.page_cache import purge_all, purge_paths

__all__ = ["article_paths", "connect", "page_path", "purge_article"]


def page_path(page) -> str | None:
    """The path of ``page`` on its site (``/news/metro/``), or None if it has none."""
    parts = page.get_url_parts()
    return parts[2] if parts else None


def article_paths(article, *, listings: bool = True) -> list[str]:
    """The paths of the pages that show ``article``: its own page and, with
    ``listings``, every list it appears in."""
    from .models import HomePage, TopicIndexPage

    paths = [page_path(article)]
    if not listings:
        return paths
    home = HomePage.objects.live().first()
    if home is not None:
        home_path = page_path(home)
        paths += [home_path, home_path and home_path + home.reverse_subpage("articles")]
    section = article.section
    if section is not None:
        paths.append(page_path(section))
    topic_index = TopicIndexPage.objects.live().first()
    if topic_index is not None:
        base = page_path(topic_index)
        if base:
            paths += [base + topic_index.reverse_subpage("topic", kwargs={"slug": slug})
                      for slug in article.topics.values_list("slug", flat=True)]
    return [p for p in paths if p]


def purge_article(article, *, listings: bool = True) -> None:
    """Purge the pages showing ``article`` once the change is committed."""
    purge_paths(article_paths(article, listings=listings))


def _on_page_change(sender, instance, **kwargs):
    from .models import ArticlePage, SupplementPage

    page = instance.specific if hasattr(instance, "specific") else instance
    if isinstance(page, ArticlePage):
        purge_article(page)
    elif isinstance(page, SupplementPage):
        purge_article(page.get_parent().specific, listings=False)
    else:  # the home page, the directory, an organisation's page: rare, shown widely
        purge_all()


def _on_record_change(sender, instance, **kwargs):
    """A withdrawal or an unreviewed-publication flag: shown on its page."""
    from wagtail.models import Page

    try:
        page = instance.page
    except Page.DoesNotExist:  # deleted with its page, which purged everything
        return
    _on_page_change(sender, page)


def _on_everything(sender, **kwargs):
    purge_all()


def connect() -> None:
    """Listen for the changes that alter public pages (called in ``ready()``)."""
    from wagtail.models import Page

    from .models import ForcePublication, Topic, Withdrawal

    page_published.connect(_on_page_change, dispatch_uid="page_cache_published")
    page_unpublished.connect(_on_page_change, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(_on_everything, dispatch_uid="page_cache_moved")
    post_delete.connect(_on_everything, sender=Page, dispatch_uid="page_cache_page_deleted")
    for model in (Withdrawal, ForcePublication):
        post_save.connect(_on_record_change, sender=model, dispatch_uid=f"page_cache_{model.__name__}")
        post_delete.connect(_on_record_change, sender=model, dispatch_uid=f"page_cache_{model.__name__}_del")
    for signal in (post_save, post_delete):
        signal.connect(_on_everything, sender=Topic, dispatch_uid=f"page_cache_topic_{signal is post_save}")
