"""The review task of the publishing workflow."""

from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Task, TaskState


class OrganisationReviewTask(Task):
    """A reviewer of the content's own organisation approves or sends it back."""

    @staticmethod
    def _organisation(obj):
        from ..sections import organisation_for_page

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
