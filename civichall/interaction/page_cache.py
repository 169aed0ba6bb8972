"""Purging an article's cached page when its comment area changes.

The comment area is part of the article page that anonymous readers get
from the page cache. Whatever it shows -- a comment becoming visible or
hidden, edited or deleted, a like, an official reply, a question's state --
purges that article's page once the change is committed. The listings do
not show comments, so they stay.

Saves of these models are seen through signals; the actions that change
rows with ``QuerySet.update`` (the check's outcome, like and report counts)
call :func:`purge_comment_page` themselves.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.db.models.signals import post_delete, post_save

from civichall.content.page_cache import purge_article

__all__ = ["connect", "purge_comment_page", "purges_gathered"]


_deferred = threading.local()


def _purge_article_id(article_id, article=None) -> None:
    """Purge the article's page; ``article`` is the row when the caller holds
    it already (a comment posted under it), which spares a query."""
    from civichall.content.models import ArticlePage

    if article is None:
        article = ArticlePage.objects.filter(pk=article_id).first()
    if article is not None:
        purge_article(article, listings=False)


def _loaded_article(comment):
    """The comment's article if it is already loaded, else None (no query)."""
    return comment._state.fields_cache.get("article")


def purge_comment_page(comment) -> None:
    """Purge the page of the article ``comment`` is under (once, at the end
    of an enclosing :func:`purges_gathered` block)."""
    pending = getattr(_deferred, "articles", None)
    if pending is not None:
        pending[comment.article_id] = pending.get(comment.article_id) or _loaded_article(comment)
    else:
        _purge_article_id(comment.article_id, _loaded_article(comment))


@contextmanager
def purges_gathered():
    """Inside the block, purges of comment pages are gathered and done once
    per article at its end: an action that stores a comment's outcome and its
    question purges the article once, not once per row it writes."""
    if getattr(_deferred, "articles", None) is not None:  # nested: the outer block purges
        yield
        return
    _deferred.articles = {}
    try:
        yield
    finally:
        articles, _deferred.articles = _deferred.articles, None
        for article_id in sorted(articles):
            _purge_article_id(article_id, articles[article_id])


def _comment_of(instance):
    from .models import Comment

    if isinstance(instance, Comment):
        return instance
    cached = instance._state.fields_cache.get("comment")  # set by whoever made the row: no query
    if cached is not None:
        return cached
    comment_id = getattr(instance, "comment_id", None)
    return Comment.objects.filter(pk=comment_id).first() if comment_id else None


def _on_change(sender, instance, created=False, **kwargs):
    from .models import Comment, CommentStatus

    if sender is Comment and created and instance.status == CommentStatus.RECEIVED:
        return  # stored, not yet checked: not shown to anyone but its author
    comment = _comment_of(instance)
    if comment is not None:
        purge_comment_page(comment)


def connect() -> None:
    """Listen for changes the comment area shows (called in ``ready()``)."""
    from .models import Comment, CommentLike, OfficialReply, Question

    for model in (Comment, CommentLike, OfficialReply, Question):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"page_cache_{model.__name__}_saved")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"page_cache_{model.__name__}_deleted")
