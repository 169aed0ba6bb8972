"""The applications room in the Wagtail admin: its audit log actions and
the case officers' queue."""

from django.urls import include, path
from wagtail import hooks

from .actions.common import LOG_ACTIONS


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for name, label, message in LOG_ACTIONS:
        actions.register_action(name, label, message)
