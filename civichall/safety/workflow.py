"""The automatic safety check as the first step of the review workflow.

When the task starts, it checks the revision's title and body text
(``services.check_page``), records both checks and finishes itself at once:

* ``pass``   -> approves itself; the workflow moves on to the human reviewer;
* ``review`` -> approves itself, with the hits recorded and summarised in the
  comment, so the reviewer sees them (report, notice on the edit screen);
* ``block``  -> rejects itself with the reasons as its comment: the workflow
  goes back to the editor ("changes requested"), who sees the report.

How a task finishes itself: ``WorkflowState.update`` starts the next task and,
if the returned task state is no longer in progress, calls ``update`` again
(which moves on, or marks the workflow "needs changes" after a rejection). So
``start`` approves/rejects its task state with ``update=False``: the workflow
state is updated once, by the caller, and nothing recurses. Everything runs in
the caller's transaction (``Workflow.start`` / ``WorkflowState.resume`` are
atomic).

If the check itself fails (a broken lexicon, say), the task stays in progress
and a reviewer of the content's organisation decides by hand.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Task, TaskState, WorkflowState

from . import services

logger = logging.getLogger("civichall.safety")

#: How many reasons a task comment lists before "and N more".
COMMENT_REASONS = 5


def summarise(checks, decision):
    """The task comment: what the check decided and why, in the active language."""
    reasons = [r for c in checks for r in c.reasons if c.decision != "pass"
               and r.get("code") != "suggestion"]
    if decision == "block":
        # The reasons that blocked come first.
        reasons.sort(key=lambda r: r.get("code") != "lexicon_block")
        head = gettext("The automatic safety check blocked this version; please revise it.")
    elif decision == "review":
        head = gettext("The automatic safety check passed this version to the reviewer "
                       "with points to look at.")
    else:
        return gettext("The automatic safety check found nothing to flag.")
    lines = [head]
    for reason in reasons[:COMMENT_REASONS]:
        lines.append("• " + services.reason_message(reason))
    if len(reasons) > COMMENT_REASONS:
        lines.append(gettext("… and %(n)s more; see the safety report.")
                     % {"n": len(reasons) - COMMENT_REASONS})
    return "\n".join(lines)


class SafetyCheckTask(Task):
    """Automatic first step: the content-safety check of the title and body."""

    def start(self, workflow_state, user=None):
        task_state = super().start(workflow_state, user=user)
        page = workflow_state.content_object
        if not isinstance(page, Page):
            # Only pages are checked; anything else goes straight on.
            task_state.approve(user=None, update=False)
            return task_state
        try:
            with transaction.atomic():
                decision, checks = services.check_page(
                    page, revision=task_state.revision, user=None, source="workflow"
                )
        except Exception:  # noqa: BLE001 - nothing lost: a person decides instead
            logger.exception("Safety check failed for page %s", page.pk)
            return task_state
        comment = summarise(checks, decision)
        if decision == "block":
            task_state.reject(user=None, update=False, comment=comment)
        else:
            task_state.approve(user=None, update=False, comment=comment)
        return task_state

    # Nobody acts on this task, except when the automatic check failed and a
    # reviewer of the content's organisation decides instead.

    @staticmethod
    def _may_decide(obj, user):
        from civichall.content.permissions import access_page

        if user is None or not user.is_authenticated:
            return False
        try:
            access_page(user, obj, "review")
        except PermissionDenied:
            return False
        return True

    def user_can_access_editor(self, obj, user):
        return self._may_decide(obj, user)

    def locked_for_user(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if self._may_decide(obj, user):
            return [
                ("reject", _("Request changes"), True),
                ("approve", _("Approve (automatic check failed)"), True),
            ]
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if user.is_superuser:
            return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        return TaskState.objects.none()

    @classmethod
    def get_description(cls):
        return _("Automatic content-safety check of the title and body: blocked terms send "
                 "the content back to the editor; other findings go to the reviewer.")

    class Meta:
        app_label = "safety"
        verbose_name = _("content-safety check task")
        verbose_name_plural = _("content-safety check tasks")


def report_url(page):
    """The admin address of the page's safety report."""
    return reverse("safety_page_report", args=[page.pk])


def active_workflow_state(page):
    """The page's workflow state in progress or needing changes, read afresh
    (``page.current_workflow_state`` may come from a prefetch made before the
    workflow changed)."""
    return (
        WorkflowState.objects.active().for_instance(page)
        .select_related("current_task_state__task", "workflow").first()
    )


def ensure_checked(page, user=None):
    """Restart the workflow when it is waiting for a person on a revision the
    safety check has not seen.

    Wagtail's "resubmit" after a reviewer requested changes resumes the
    reviewer's task with the new revision, skipping earlier tasks; the safety
    check must see every revision a reviewer is asked to approve. Returns True
    if the workflow was restarted.
    """
    state = active_workflow_state(page)
    if state is None or state.status != state.STATUS_IN_PROGRESS:
        return False
    task_state = state.current_task_state
    if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
        return False
    if isinstance(task_state.task.specific, SafetyCheckTask):
        return False
    safety_tasks = [t for t in state.workflow.tasks.filter(active=True)
                    if isinstance(t.specific, SafetyCheckTask)]
    if not safety_tasks:
        return False
    checked = TaskState.objects.filter(
        workflow_state=state, task__in=safety_tasks, revision=task_state.revision,
        status=TaskState.STATUS_APPROVED,
    ).exists()
    if checked:
        return False
    with transaction.atomic():
        workflow = state.workflow
        state.cancel(user=user)
        workflow.start(page, user)
    return True


SAFETY_TASK_NAME = "内容安全自动检查"


def ensure_safety_step(workflow):
    """Make the safety check the first step of ``workflow`` (idempotent)."""
    from wagtail.models import WorkflowTask

    task = SafetyCheckTask.objects.filter(name=SAFETY_TASK_NAME).first()
    if task is None:
        task = SafetyCheckTask.objects.create(name=SAFETY_TASK_NAME)
    links = list(WorkflowTask.objects.filter(workflow=workflow).order_by("sort_order", "pk"))
    ordered = [link for link in links if link.task_id == task.pk][:1]
    if not ordered:
        ordered = [WorkflowTask(workflow=workflow, task=task)]
    ordered += [link for link in links if link.task_id != task.pk]
    for position, link in enumerate(ordered):
        if link.pk is None or link.sort_order != position:
            link.sort_order = position
            link.save()
    return task
