"""Who may touch what in the applications room: the policy's rules for its
kinds, and one ``access_*`` door per object type.

* ``application_definition`` -- anyone sees an open one; the owning
  organisation's liaisons and administrators edit it;
* ``case`` -- the citizen who filed it sees it and supplements it; the case
  officers and administrators of its organisation see and handle it;
* ``case_part`` -- a part of a bundle is handled by its own organisation;
* ``rating_follow_up`` -- a bad rating is answered by the case's organisation.

Another citizen's case, or another organisation's, answers like a missing one.
"""

from django.db.models import Q
from django.http import Http404

from civichall.accounts import policy
from civichall.accounts.models import Role
from civichall.accounts.policy import Grant, Own, Public, roles

OFFICERS = roles(Role.CASE_OFFICER, Role.ADMINISTRATOR)
DEFINITION_EDITORS = roles(Role.LIAISON, Role.ADMINISTRATOR)

RULES = {
    "application_definition": {
        "view": (Public(unless={"status": "retired"}), Grant(DEFINITION_EDITORS)),
        "edit": (Grant(DEFINITION_EDITORS),),
    },
    "case": {
        "view": (Own("citizen__user"), Grant(OFFICERS)),
        "supplement": (Own("citizen__user"),),
        "rate": (Own("citizen__user"),),
        "handle": (Grant(OFFICERS),),
    },
    "case_part": {
        "view": (Own("case__citizen__user"), Grant(OFFICERS)),
        "handle": (Grant(OFFICERS),),
    },
    "rating_follow_up": {
        "answer": (Grant(OFFICERS),),
    },
}


def access_definition(user, definition, action="view"):
    """``definition`` if ``user`` may ``action`` it, else 404 for viewing
    and PermissionDenied for changing."""
    if action == "view" and not policy.allows(user, "application_definition", "view", definition):
        raise Http404
    return policy.check(user, "application_definition", action, definition)


def officer_organisations(user, action="handle"):
    """Ids of the organisations whose cases ``user`` may ``action`` (the
    policy's ``case`` grants), and of those whose bundle parts they handle."""
    own = set(policy.organisations_where(user, "case", action).values_list("pk", flat=True))
    parts = set(policy.organisations_where(user, "case_part", "handle").values_list("pk", flat=True))
    return own, parts


def cases_for_staff(user, queryset, action="view"):
    """Cases ``user`` may ``action``: their organisations' own, bundles with
    a part of theirs, and (to view) their own as a citizen.

    The same cases as ``policy.filter_allowed`` on ``case`` or ``case_part``
    (the agreement test walks both), filtered by organisation id directly so
    that the queue's index on (organisation, state, due day) serves it; the
    bundles' arm is added only when one of the organisations has a part at
    all, since an OR with a subquery makes the database read every case."""
    from civichall.accounts.citizens import citizen_of

    from .models import CasePart

    own, parts = officer_organisations(user, action)
    q = Q(organisation_id__in=sorted(own)) if own else None
    if parts and CasePart.objects.filter(organisation_id__in=parts).exists():
        arm = Q(pk__in=CasePart.objects.filter(organisation_id__in=sorted(parts)).values("case_id"))
        q = arm if q is None else q | arm
    if any(isinstance(g, Own) for g in RULES["case"][action]) and not policy.is_system(user):
        citizen = citizen_of(user) if getattr(user, "is_active", False) else None
        if citizen is not None:
            q = Q(citizen_id=citizen.pk) if q is None else q | Q(citizen_id=citizen.pk)
    return queryset.none() if q is None else queryset.filter(q)


def access_case(user, case, action="view"):
    """``case`` if ``user`` may ``action`` it. Whoever may not even see it
    gets a 404, as for a case that does not exist; a staff member of a part's
    organisation sees (and handles the part of) a bundle."""
    if policy.allows(user, "case", action, case):
        return case
    if action in ("view",) and any(policy.allows(user, "case_part", "handle", p) for p in case.parts.all()):
        return case
    if not policy.allows(user, "case", "view", case) and not any(
            policy.allows(user, "case_part", "handle", p) for p in case.parts.all()):
        raise Http404
    return policy.check(user, "case", action, case)
