"""What can happen to an article: review, publication, withdrawal.

``check_*`` functions validate and authorise; ``do_*`` functions change state
and write the audit log (Wagtail's log, readable in the admin's history
reports). Views, the API, the CLI, the demo loader and tests all call these.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.contrib.redirects.models import Redirect
from wagtail.log_actions import log
from wagtail.models import Page, TaskState

from civichall.core import audit
from civichall.core.reasons import MIN_REASON

from .models import ArticlePage, ForcePublication, Withdrawal
from .permissions import access_page


def check_reason(reason):
    """A written reason of at least a few characters, stripped."""
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ValidationError(_("Please write the reason in at least 5 characters."))
    return reason


@transaction.atomic
def do_submit_for_review(page, user):
    """Save the page's current state as a revision and start its workflow."""
    access_page(user, page, "edit")
    revision = page.save_revision(user=user, log_action=True)
    workflow = page.get_workflow()
    if workflow is None:
        raise ValidationError(_("No review workflow applies to this page."))
    state = page.current_workflow_state
    if state is not None:
        state.cancel(user=user)
    workflow.start(page, user)
    return revision


@transaction.atomic
def do_add_supplement(user, article, *, title, text, kind, slug, source_url=""):
    """Add a supplement (a dated correction, update or follow-up) under
    ``article`` and submit it for review; returns it. The one way a
    supplement is made -- the admin's "add child page", and the comment
    area promoting an answer, both end in the same review."""
    from .models import SupplementPage

    access_page(user, article, "supplement")
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Enter a title.")})
    supplement = SupplementPage(title=title[:255], slug=slug, kind=kind, text=text, source_url=source_url[:500],
                                live=False, owner=user)
    article.add_child(instance=supplement)
    do_submit_for_review(supplement, user)
    log(instance=supplement, action="civichall.supplement.add", user=user,
        data={"article": article.pk, "kind": kind})
    return supplement


def current_task_state(page):
    """The in-progress task state of the page's workflow, or None."""
    state = page.current_workflow_state
    if state is None:
        return None
    task_state = state.current_task_state
    if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
        return None
    return task_state


@transaction.atomic
def do_review(page, user, approve, comment=""):
    """Approve (publishing when it is the last step) or send back for changes.

    Refused unless ``user`` may act on the current task.
    """
    task_state = current_task_state(page)
    if task_state is None:
        raise ValidationError(_("This page is not waiting for review."))
    task = task_state.task.specific
    actions = {name for name, _label, _modal in task.get_actions(page, user)}
    action = "approve" if approve else "reject"
    if action not in actions:
        raise PermissionDenied
    task.on_action(task_state, user, action, comment=comment)
    return page


@transaction.atomic
def do_force_publish(page, user, reason):
    """Publish the latest revision without review; the page is flagged
    "not reviewed" and sent to its reviewers until one approves it."""
    access_page(user, page, "force_publish")
    reason = check_reason(reason)
    page = page.specific
    state = page.current_workflow_state
    if state is not None:
        state.cancel(user=user)
    revision = page.get_latest_revision() or page.save_revision(user=user)
    revision.publish(user=user, log_action=False, skip_permission_checks=True)
    ForcePublication.objects.create(
        page=page, reason=reason, published_by=user, created_at=timezone.now()
    )
    log(instance=page, action="civichall.force_publish", user=user,
        data={"reason": reason}, revision=revision)
    page.refresh_from_db()
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, user)
    return page


def on_workflow_approved(page, user):
    """A reviewer approved: clear any "not reviewed" flag and log it."""
    open_flags = ForcePublication.objects.filter(page=page, reviewed_at__isnull=True)
    if open_flags.exists():
        open_flags.update(reviewed_by=user, reviewed_at=timezone.now())
        log(instance=page, action="civichall.review_confirmed", user=user)


@transaction.atomic
def do_withdraw(page, user, reason):
    """Withdraw a published article: it keeps its URL with a banner and the
    public explanation, and leaves every listing."""
    access_page(user, page, "withdraw")
    reason = check_reason(reason)
    page = page.specific
    if not isinstance(page, ArticlePage) or not page.live:
        raise ValidationError(_("Only a published article can be withdrawn."))
    if Withdrawal.objects.filter(page=page).exists():
        raise ValidationError(_("This article has already been withdrawn."))
    withdrawal = Withdrawal.objects.create(
        page=page, reason=reason, withdrawn_by=user, withdrawn_at=timezone.now()
    )
    log(instance=page, action="civichall.withdraw", user=user, data={"reason": reason})
    return withdrawal


@transaction.atomic
def do_unpublish_in_error(page, user, replacement, reason):
    """Take down a page published in error; its URL redirects to
    ``replacement`` so that shared links still lead somewhere right."""
    access_page(user, page, "unpublish")
    reason = check_reason(reason)
    page = page.specific
    if replacement is None or not isinstance(replacement, Page) or not replacement.live:
        raise ValidationError(_("Choose a published replacement page."))
    if replacement.pk == page.pk:
        raise ValidationError(_("The replacement must be a different page."))
    if not page.live:
        raise ValidationError(_("This page is not published."))
    site = page.get_site()
    old_path = Redirect.normalise_path(page.get_url_parts()[2])
    page.unpublish(user=user)
    Redirect.objects.update_or_create(
        old_path=old_path,
        site=site,
        defaults={"redirect_page": replacement, "is_permanent": False},
    )
    log(instance=page, action="civichall.unpublish_in_error", user=user,
        data={"reason": reason, "replacement": replacement.pk})
    return page


# --- topics ------------------------------------------------------------------------------

TOPIC_FIELDS = ("slug", "name_zh", "name_en", "description_zh", "sort_order")


@transaction.atomic
def do_save_topic(user, topic, source="", **fields):
    """Create (``topic`` None) or change a livelihood topic. Topics are shared
    by every account, so the municipal administrators keep them."""
    from civichall.accounts import policy

    from .models import Topic

    policy.check(user, "topic", "edit")
    creating = topic is None or topic.pk is None
    topic = topic or Topic()
    before = {} if creating else audit.field_values(Topic.objects.get(pk=topic.pk), TOPIC_FIELDS)
    for name, value in fields.items():
        if name not in TOPIC_FIELDS:
            raise ValueError(f"unknown field {name}")
        setattr(topic, name, value)
    if not (topic.slug or "").strip() or not (topic.name_zh or "").strip():
        raise ValidationError(_("A topic needs a slug and a Chinese name."))
    if Topic.objects.filter(slug=topic.slug).exclude(pk=topic.pk).exists():
        raise ValidationError({"slug": _("Another topic already has this slug.")})
    topic.save()
    changed = audit.changes(before, audit.field_values(topic, TOPIC_FIELDS))
    log(instance=topic, action="civichall.topic.create" if creating else "civichall.topic.edit",
        user=policy.recorded_user(user), data={"topic": topic.slug, "changed": changed, "source": source})
    return topic


@transaction.atomic
def do_delete_topic(user, topic, source=""):
    from civichall.accounts import policy

    policy.check(user, "topic", "edit")
    log(instance=topic, action="civichall.topic.delete", user=policy.recorded_user(user),
        data={"topic": topic.slug, "source": source})
    topic.delete()
