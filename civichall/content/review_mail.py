"""Who hears that an article waits for review: the reviewers of the
organisation whose section holds it, not every superuser.

Wagtail's own notifier for a submitted task only knows group-approval tasks
(and superusers); ``OrganisationReviewTask`` decides by membership, so this
notifier finds the recipients the same way. The e-mail is rendered in each
reviewer's admin language, Chinese unless they chose English.

Wagtail renders a workflow e-mail in the recipient's chosen admin language
and, when they chose none, in the language of whoever acted: an editor
working in English would have sent every reviewer English mail, a reviewer
in English their verdict in English to the editor. Every workflow notifier
here (this one and Wagtail's four) falls back to the site's language
instead (``InSiteLanguage``).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from wagtail.admin import mail as wagtail_mail
from wagtail.admin.mail import BaseGroupApprovalTaskStateEmailNotifier
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted

from civichall.accounts.models import Membership, Role

from .sections import organisation_for_page


def reviewers_of(page):
    """Active reviewers of the organisation that owns ``page``."""
    organisation = organisation_for_page(page)
    if organisation is None:
        return get_user_model().objects.none()
    reviewer_ids = Membership.objects.filter(organisation=organisation, role=Role.REVIEWER).values("user")
    return get_user_model().objects.filter(pk__in=reviewer_ids, is_active=True)


class InSiteLanguage:
    """A workflow e-mail notifier whose recipients without a chosen admin
    language get the site's language (Chinese), not the sender's."""

    def send_notifications(self, template_set, context, recipients, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return super().send_notifications(template_set, context, recipients, **kwargs)


class OrganisationReviewSubmissionNotifier(InSiteLanguage, BaseGroupApprovalTaskStateEmailNotifier):
    """E-mails the page's reviewers when it reaches the organisation review."""

    notification = "submitted"

    def can_handle(self, instance, **kwargs):
        from .models import OrganisationReviewTask

        return isinstance(instance, self.valid_classes) and isinstance(instance.task.specific, OrganisationReviewTask)

    def get_recipient_users(self, task_state, **kwargs):
        recipients = reviewers_of(task_state.workflow_state.content_object)
        triggering_user = kwargs.get("user")
        if triggering_user is not None:
            recipients = recipients.exclude(pk=triggering_user.pk)
        return recipients


review_submission_notifier = OrganisationReviewSubmissionNotifier()

task_submitted.connect(review_submission_notifier, dispatch_uid="civichall-organisation-review-mail")

# Wagtail's own workflow notifiers, under the dispatch ids Wagtail connects
# them with: whichever app is ready first, only the site-language ones stay.
_WAGTAIL_NOTIFIERS = [
    (task_submitted, TaskState, "group_approval_task_submitted_email_notification",
     wagtail_mail.GroupApprovalTaskStateSubmissionEmailNotifier),
    (workflow_submitted, WorkflowState, "workflow_state_submitted_email_notification",
     wagtail_mail.WorkflowStateSubmissionEmailNotifier),
    (workflow_rejected, WorkflowState, "workflow_state_rejected_email_notification",
     wagtail_mail.WorkflowStateRejectionEmailNotifier),
    (workflow_approved, WorkflowState, "workflow_state_approved_email_notification",
     wagtail_mail.WorkflowStateApprovalEmailNotifier),
]
site_language_notifiers = []
for _signal, _sender, _uid, _notifier in _WAGTAIL_NOTIFIERS:
    _signal.disconnect(sender=_sender, dispatch_uid=_uid)
    site_language_notifiers.append(type(_notifier.__name__, (InSiteLanguage, _notifier), {})())
    _signal.connect(site_language_notifiers[-1], sender=_sender, dispatch_uid=_uid)
