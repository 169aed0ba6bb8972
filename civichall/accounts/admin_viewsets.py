"""One admin view set whose every write is a named action.

Wagtail's model view sets save forms themselves; ``ActionViewSet`` instead
hands each save and delete to the room's ``do_*`` action (which authorises,
changes state and writes the audit log), lists only the objects the policy
lets the user work on, and answers 404 -- as for a missing object -- when
someone opens an object they may not see. An action's refusal
(``civichall.core.errors``) is shown on the form, through the one admin
mapping ``report_refusal``, and nothing is saved.

A room uses it by naming the policy kind and two functions::

    class HubViewSet(ActionViewSet):
        model = Hub
        policy_kind = "hub"
        save_action = staticmethod(lambda user, hub, form: actions.do_save_hub_form(user, form))
        delete_action = staticmethod(lambda user, hub: actions.do_delete(user, hub, source="admin"))
"""

from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from civichall.core.errors import REFUSALS, report_refusal

from . import policy


class _ActionViewMixin:
    viewset = None

    def scope(self, queryset):
        viewset = self.viewset
        return policy.filter_allowed(self.request.user, viewset.policy_kind, viewset.policy_action, queryset)


class ActionIndexView(_ActionViewMixin, generic.IndexView):
    """Only the objects the user may work on."""

    def get_base_queryset(self):
        return self.scope(super().get_base_queryset())


class _ObjectInScope(_ActionViewMixin):
    def get_object(self, queryset=None):
        # Missing and forbidden look the same: 404.
        return super().get_object(self.scope(self.model._default_manager.all()))


class _RefusalOnForm:
    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except REFUSALS as error:  # the action said no: show why, save nothing
            report_refusal(self.request, error, form=form)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class ActionCreateView(_RefusalOnForm, _ActionViewMixin, generic.CreateView):
    def save_instance(self):
        return self.viewset.save_action(self.request.user, None, self.form)


class ActionEditView(_RefusalOnForm, _ObjectInScope, generic.EditView):
    def save_instance(self):
        return self.viewset.save_action(self.request.user, self.object, self.form)


class ActionDeleteView(_ObjectInScope, generic.DeleteView):
    def delete_action(self):
        self.viewset.delete_action(self.request.user, self.object)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except REFUSALS as error:  # the action said no: back to the confirmation, with why
            report_refusal(self.request, error)
            return self.form_invalid(form)


class ActionViewSet(ModelViewSet):
    """A model view set backed by actions and the permission policy.

    ``policy_kind``/``policy_action``: the rule deciding who works on an
    object; ``save_action(user, instance or None, form) -> object`` and
    ``delete_action(user, object)``: the room's named actions."""

    policy_kind = None
    policy_action = "edit"
    copy_view_enabled = False
    inspect_view_enabled = False
    search_backend_name = None
    index_view_class = ActionIndexView
    add_view_class = ActionCreateView
    edit_view_class = ActionEditView
    delete_view_class = ActionDeleteView

    def save_action(self, user, instance, form):
        raise NotImplementedError

    def delete_action(self, user, instance):
        raise NotImplementedError

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(viewset=self, **kwargs)

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(viewset=self, **kwargs)

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(viewset=self, **kwargs)

    def get_delete_view_kwargs(self, **kwargs):
        return super().get_delete_view_kwargs(viewset=self, **kwargs)
