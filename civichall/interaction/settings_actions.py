"""Changing how the comment area runs: routing rules and each
organisation's comment settings. Named actions, authorised by the policy and
written to the audit log; the admin and the tests call them.

* routing rules move questions between organisations -- municipal
  administrators (kind "routing_rule", action "change");
* an organisation's comment settings -- its administrators.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from civichall.accounts import policy
from civichall.accounts.policy import recorded_user
from civichall.core import audit

from .models import OrganisationInteractionSettings, RoutingRule

RULE_FIELDS = ("name", "organisation", "keywords", "priority", "active")
SETTINGS_FIELDS = ("comments_open_by_default", "pre_moderation", "replies_need_approval", "first_answer_hours",
                   "report_threshold", "edit_window_minutes")


def check_routing_rule(fields, topics):
    """A rule needs a name, an organisation, and a topic or a keyword."""
    errors = {}
    if not (fields.get("name") or "").strip():
        errors["name"] = _("Enter a name.")
    if fields.get("organisation") is None:
        errors["organisation"] = _("Choose the organisation questions go to.")
    if not topics and not (fields.get("keywords") or "").strip():
        errors["__all__"] = _("Give the rule at least one topic or keyword.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def do_save_routing_rule(actor, rule, topics=None, source="", **fields):
    """Create (``rule`` None) or change a routing rule; ``topics`` (a list)
    replaces its topics when given."""
    policy.check(actor, "routing_rule", "change")
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    creating = rule is None or rule.pk is None
    rule = rule or RoutingRule()
    before = {} if creating else {**audit.field_values(RoutingRule.objects.get(pk=rule.pk), RULE_FIELDS),
                                  "topics": sorted(rule.topics.values_list("pk", flat=True))}
    merged = {**audit.field_values(rule, RULE_FIELDS), **fields}
    merged["organisation"] = fields.get("organisation", rule.organisation if rule.organisation_id else None)
    check_routing_rule(merged, topics if topics is not None else before.get("topics"))
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.save()
    if topics is not None:
        rule.topics.set(topics)
    after = {**audit.field_values(rule, RULE_FIELDS), "topics": sorted(rule.topics.values_list("pk", flat=True))}
    data = {"rule": rule.name, "changed": audit.changes(before, after)}
    if source:
        data["source"] = source
    log(instance=rule, action="civichall.interaction.rule.create" if creating else "civichall.interaction.rule.edit",
        user=recorded_user(actor), data=audit.jsonable(data))
    return rule


@transaction.atomic
def do_delete_routing_rule(actor, rule, source=""):
    policy.check(actor, "routing_rule", "change")
    log(instance=rule, action="civichall.interaction.rule.delete", user=recorded_user(actor),
        data=audit.jsonable({"rule": rule.name, "organisation": rule.organisation_id, "keywords": rule.keywords,
                     "source": source}))
    rule.delete()


@transaction.atomic
def do_save_comment_settings(actor, organisation, source="", **fields):
    """Change ``organisation``'s comment settings (its administrators)."""
    policy.check(actor, "organisation", "edit_comment_settings", organisation)
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    settings_row, _created = OrganisationInteractionSettings.objects.select_for_update().get_or_create(
        organisation=organisation)
    before = audit.field_values(settings_row, SETTINGS_FIELDS)
    for name, value in fields.items():
        setattr(settings_row, name, value)
    settings_row.full_clean(exclude=["organisation"])
    settings_row.save()
    changed = audit.changes(before, audit.field_values(settings_row, SETTINGS_FIELDS))
    if changed:
        log(instance=settings_row, action="civichall.interaction.settings.edit", user=recorded_user(actor),
            data=audit.jsonable({"organisation": organisation.slug, "changed": changed, "source": source}))
    return settings_row
