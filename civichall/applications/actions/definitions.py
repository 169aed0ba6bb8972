"""Saving an application definition: each save is a new version."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civichall.accounts import policy
from civichall.accounts.models import Organisation
from civichall.core.errors import Refusal

from ..formengine import check_document
from ..models import ApplicationDefinition, DefinitionStatus, DefinitionVersion
from ..reports import handling_slugs
from .common import audit


def check_definition(document):
    """Refuse a document with problems, naming them (422)."""
    problems = check_document(document)
    if problems:
        raise Refusal("invalid", "；".join(problems[:10]), 422, {"document": "；".join(problems[:10])})
    return document


def do_save_definition(user, document):
    """Save ``document`` as the newest version of its definition (created
    on first save). Only the liaisons and administrators of the owning
    organisation may. A document equal to the current version makes no new
    version. Returns the version."""
    check_definition(document)
    organisation = Organisation.objects.filter(slug=document["organisation"]).first()
    if organisation is None:
        raise ValidationError({"organisation": _("No such organisation.")})
    with transaction.atomic():
        definition = ApplicationDefinition.objects.select_for_update().filter(code=document["code"]).first()
        if definition is None:
            definition = ApplicationDefinition(code=document["code"], organisation=organisation)
            policy.check(user, "application_definition", "edit", definition)
        else:
            policy.check(user, "application_definition", "edit", definition)
            if definition.organisation_id != organisation.pk:
                policy.check(user, "application_definition", "edit",
                             ApplicationDefinition(organisation=organisation))
            if definition.current is not None and definition.current.document == document:
                return definition.current
        definition.organisation = organisation
        definition.title = document["title"][:120]
        definition.title_en = (document.get("title_en") or "")[:160]
        definition.save()
        last = definition.versions.order_by("-number").first()
        version = DefinitionVersion.objects.create(
            definition=definition, number=(last.number + 1) if last else 1, document=document,
            created_by=policy.recorded_user(user))
        definition.current = version
        definition.status = DefinitionStatus.ACTIVE
        definition.save(update_fields=["current", "status", "updated_at"])
        # Added, never removed: the cases of earlier versions still reach them.
        definition.handlers.add(*Organisation.objects.filter(slug__in=handling_slugs(document)))
        audit(definition, "definition.save", user, version=version.number)
    return version


def do_retire_definition(user, definition):
    """Close a definition for new applications; cases filed go on."""
    policy.check(user, "application_definition", "edit", definition)
    definition.status = DefinitionStatus.RETIRED
    definition.save(update_fields=["status", "updated_at"])
    audit(definition, "definition.retire", user)
    return definition


def do_bind_prefill_source(user, code, *, connector=None, identity_param="resident_id", holder="", what=""):
    """Say where prefill source ``code`` comes from: a connector (its
    owner's administrators decide) and the words the citizen is asked with."""
    from ..formengine import SOURCE_FIELDS
    from ..models import PrefillSource

    if code not in SOURCE_FIELDS:
        raise ValidationError({"code": _("No such prefill source.")})
    if connector is not None:
        policy.check(user, "connector", "edit", connector)
    elif not policy.is_system(user) and not getattr(user, "is_superuser", False):
        raise PermissionDenied
    source, _created = PrefillSource.objects.update_or_create(
        code=code, defaults={"connector": connector, "identity_param": identity_param,
                             "holder": holder[:80], "what": what[:120]})
    audit(source, "prefill_source.bind", user, connector=connector.pk if connector else None)
    return source
