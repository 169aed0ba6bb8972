"""One Wagtail permission policy for every model, answered by ``policy``.

Wagtail asks "may this user add/change/delete/view (this) X?" and "which X
may they see?"; ``RulePermissionPolicy`` maps its action names to the
policy's and derives both answers from the same rule, so the admin list and
the object's own page cannot disagree.
"""

from wagtail.permission_policies import BasePermissionPolicy

from . import policy

DEFAULT_ACTIONS = {"view": "view", "add": "edit", "change": "edit", "delete": "edit"}


class RulePermissionPolicy(BasePermissionPolicy):
    """``kind``: the policy's kind for ``model``; ``actions``: Wagtail's
    action names mapped to the kind's (None: never); ``add``: an optional
    ``add(user) -> bool`` when "add" is not an action on existing objects."""

    def __init__(self, model, kind, actions=None, add=None):
        super().__init__(model)
        self.kind = kind
        self.actions = {**DEFAULT_ACTIONS, **(actions or {})}
        self.add = add

    def _ours(self, action):
        return self.actions.get(action)

    def user_has_permission(self, user, action):
        if action == "add" and self.add is not None:
            return bool(self.add(user))
        ours = self._ours(action)
        return ours is not None and policy.allows_some(user, self.kind, ours)

    def user_has_permission_for_instance(self, user, action, instance):
        ours = self._ours(action)
        return ours is not None and policy.allows(user, self.kind, ours, instance)

    def instances_user_has_permission_for(self, user, action):
        ours = self._ours(action)
        if ours is None:
            return self.model._default_manager.none()
        return policy.filter_allowed(user, self.kind, ours, self.model._default_manager.all())

    def instances_user_has_any_permission_for(self, user, actions):
        allowed = self.model._default_manager.none()
        for action in actions:
            allowed = allowed | self.instances_user_has_permission_for(user, action)
        return allowed.distinct()

    def users_with_any_permission(self, actions):
        users = None
        for action in actions:
            ours = self._ours(action)
            if ours is None:
                continue
            found = policy.users_with(self.kind, ours)
            users = found if users is None else users | found
        if users is None:
            from django.contrib.auth import get_user_model

            return get_user_model().objects.none()
        return users.distinct()

    def users_with_any_permission_for_instance(self, actions, instance):
        users = self.users_with_any_permission(actions)
        return users.filter(pk__in=[u.pk for u in users
                                    if any(self.user_has_permission_for_instance(u, a, instance)
                                           for a in actions)])
