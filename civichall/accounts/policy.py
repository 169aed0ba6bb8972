"""The permission policy: who may do what to which object, as data.

Every rule of the form "these roles, in the organisation that owns the
object, may do this" is written once, in ``RULES`` below. From each rule the
policy derives both

* the decision for one object (``allows`` / ``check``), and
* the filter for a list (``filter_allowed``), and the organisations where a
  person may do it (``organisations_where``, for the choices of a form),

so that a page, the admin list, the API and a queue can never disagree.
The ``access_*`` function of each object type (in its own app) asks this
module and adds only checks of state (a hidden comment cannot be liked).

Actors are Django users, or ``SYSTEM`` -- the platform itself acting
(periodic jobs, the demo loader, the operator's console). ``None`` is not
an actor: it is refused, so a forgotten argument never skips a check.

To add a rule: add the kind and action to ``RULES`` with the grants that
allow it; the agreement test (tests/accounts/test_policy.py) then walks it
for every demo staff member.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Q

from .models import Membership, Organisation, OrganisationKind, Role


class SystemActor:
    """The platform acting on its own (jobs, loaders, the operator's
    console). It passes every rule; what it does is still audited."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    is_staff = False
    pk = None
    id = None
    username = "system"

    def __str__(self):
        return "system"

    def __repr__(self):
        return "SYSTEM"

    def __bool__(self):
        return True


SYSTEM = SystemActor()


def is_system(actor):
    return actor is SYSTEM


def recorded_user(actor):
    """The user to write into a record or the audit log for ``actor``
    (None for the system, which has no user row)."""
    return None if actor is SYSTEM else actor


# --- grants ------------------------------------------------------------------------------

OWNER = "owner"  # roles held in the organisation the object belongs to
MUNICIPAL = "municipal"  # roles held in a municipal account
ANYWHERE = "anywhere"  # roles held in any organisation


@dataclass(frozen=True)
class Grant:
    """``roles`` held ``where`` allow the action.

    ``via``: ORM paths from the object to the organisation(s) it belongs to
    (``"organisation"``, ``"article__author_organisation"``, ``"pk"`` for an
    organisation itself); the grant holds if the roles are held in any of
    them."""

    roles: frozenset
    where: str = OWNER
    via: tuple = ("organisation",)


@dataclass(frozen=True)
class Own:
    """The citizen the object belongs to (``via``: path to the user id)."""

    via: str = "citizen__user"


@dataclass(frozen=True)
class AnyCitizen:
    """Any signed-in citizen."""


@dataclass(frozen=True)
class Public:
    """Anyone, while the object's fields are not the ``unless`` values."""

    unless: dict = field(default_factory=dict)

    def __hash__(self):
        return hash(tuple(sorted(self.unless.items())))


def roles(*names):
    return frozenset(names)


ALL_ROLES = roles(*Role.values)
CONTENT_ROLES = roles(Role.EDITOR, Role.REVIEWER, Role.ADMINISTRATOR)
ADMIN = roles(Role.ADMINISTRATOR)
REVIEWER = roles(Role.REVIEWER)
REVIEWERS_AND_ADMINS = roles(Role.REVIEWER, Role.ADMINISTRATOR)
SERVICE_EDITORS = roles(Role.LIAISON, Role.ADMINISTRATOR)

ARTICLE_ORG = "article__author_organisation"
QUESTION_ORG = "question__organisation"


def _owner(grant_roles, *via):
    return Grant(grant_roles, OWNER, tuple(via) or ("organisation",))


# kind -> action -> grants (any one allows)
RULES = {
    "organisation": {
        "view": (Public(),),
        # create organisations, move them in the matrix, remove them
        "manage_matrix": (Grant(ADMIN, MUNICIPAL),),
        # the site's profile: the account's name, the citizen hotline (core.site_actions)
        "edit_site_profile": (Grant(ADMIN, MUNICIPAL),),
        "edit_profile": (_owner(ADMIN, "pk"), Grant(ADMIN, MUNICIPAL)),
        "manage_members": (_owner(ADMIN, "pk"),),
        "publish": (_owner(CONTENT_ROLES, "pk"),),
        # an organisation's account menu, comment settings, connectors
        "edit_menu": (_owner(ADMIN, "pk"),),
        "edit_comment_settings": (_owner(ADMIN, "pk"),),
        "own_connectors": (_owner(ADMIN, "pk"),),
        "own_services": (_owner(SERVICE_EDITORS, "pk"),),
        "own_hubs": (_owner(ADMIN, "pk"),),
        "work_questions": (_owner(ALL_ROLES, "pk"),),
        "moderate_comments": (_owner(CONTENT_ROLES, "pk"),),
        "approve_replies": (_owner(REVIEWER, "pk"),),
        "see_escalations": (_owner(REVIEWERS_AND_ADMINS, "pk"),),
        # comment-area figures: the municipal account's staff see every organisation's
        "view_figures": (Grant(ALL_ROLES, MUNICIPAL), _owner(ALL_ROLES, "pk")),
    },
    "membership": {
        "view": (_owner(ADMIN),),
        "change": (_owner(ADMIN),),
    },
    "service": {
        "view": (Public(unless={"status": "retired"}), _owner(SERVICE_EDITORS)),
        "edit": (_owner(SERVICE_EDITORS),),
    },
    "hub": {
        "view": (Public(),),
        "edit": (_owner(ADMIN),),
    },
    "menu": {
        "view": (Public(),),
        "edit": (_owner(ADMIN),),
    },
    "connector": {
        # secrets and department systems: the owner's administrators
        "view": (_owner(ADMIN),),
        "edit": (_owner(ADMIN),),
        "share": (_owner(ADMIN),),
    },
    "connector_share": {
        "view": (_owner(ADMIN, "connector__organisation", "organisation"),),
        "revoke": (_owner(ADMIN, "connector__organisation"),),
    },
    "lexicon": {
        "view": (Grant(REVIEWERS_AND_ADMINS, ANYWHERE),),
        "change": (Grant(ADMIN, MUNICIPAL),),
    },
    "topic": {
        # the livelihood topics every account files articles under
        "view": (Public(),),
        "edit": (Grant(ADMIN, MUNICIPAL),),
    },
    "routing_rule": {
        "view": (Grant(REVIEWERS_AND_ADMINS, ANYWHERE),),
        "change": (Grant(ADMIN, MUNICIPAL),),
    },
    "page": {
        "edit": (_owner(CONTENT_ROLES, "owner"),),
        "supplement": (_owner(CONTENT_ROLES, "owner"),),
        "review": (_owner(REVIEWER, "owner"),),
        "force_publish": (_owner(ADMIN, "owner"),),
        "withdraw": (_owner(REVIEWERS_AND_ADMINS, "owner"),),
        "unpublish": (_owner(ADMIN, "owner"),),
        # an article's comment area in the admin: any of its organisation's staff
        "view_comments": (_owner(ALL_ROLES, "owner"),),
    },
    "comment": {
        "edit": (Own(),),
        "delete": (Own(),),
        "like": (AnyCitizen(),),
        "report": (AnyCitizen(),),
        "feature": (_owner(CONTENT_ROLES, ARTICLE_ORG),),
        "moderate": (_owner(CONTENT_ROLES, ARTICLE_ORG),),
        "mark": (_owner(ALL_ROLES, ARTICLE_ORG),),
        "reply_as_article": (_owner(CONTENT_ROLES, ARTICLE_ORG),),
        "reply_as_question": (_owner(ALL_ROLES, QUESTION_ORG),),
        "view_raw": (_owner(ALL_ROLES, ARTICLE_ORG, QUESTION_ORG),),
        # staff see a comment (in queues, the staff API) where they may read it
        "view": (_owner(ALL_ROLES, ARTICLE_ORG, QUESTION_ORG),),
    },
    "question": {
        "view": (_owner(ALL_ROLES, "organisation", "comment__" + ARTICLE_ORG),),
        "mark": (_owner(ALL_ROLES, "organisation", "comment__" + ARTICLE_ORG),),
        "answer": (_owner(ALL_ROLES),),
        "close": (_owner(ALL_ROLES),),
        "assign": (_owner(ALL_ROLES),),
        "note": (_owner(ALL_ROLES),),
        "view_notes": (_owner(ALL_ROLES),),
        "unmark": (_owner(CONTENT_ROLES),),
    },
    "reply": {
        "view": (_owner(ALL_ROLES, "organisation", "comment__" + ARTICLE_ORG),),
        "revise": (_owner(ALL_ROLES),),
        "approve": (_owner(REVIEWER),),
    },
    "citizen": {
        # a citizen's identity and unmasked words: themselves, and staff
        # through the logged door (accounts.citizens.access_citizen_data)
        "view_own": (Own("user"),),
        # who they are, unmasked: superusers only (no role grants it)
        "view_personal": (),
    },
}

# The kinds above belong to the rooms at or below accounts; a higher room
# (applications, assistant, channels) registers its own in ``ready()``.
CORE_KINDS = frozenset(RULES)


def register_rules(kind, actions):
    """Add ``kind``'s rules (``{action: (grant, ...)}``) to the policy; a
    kind is registered once, by the room that owns it."""
    if kind in RULES and RULES[kind] != actions:
        raise ValueError(f"policy kind {kind!r} is already registered")
    RULES[kind] = dict(actions)


# Resolvers for paths that are not plain ORM paths (a page's owner is found
# through the tree); the room that knows registers them in its ``ready()``.
_RESOLVERS = {}


def register_resolver(name, for_object, for_queryset):
    """``for_object(obj) -> organisation id or None``;
    ``for_queryset(organisation_queryset) -> Q`` selecting objects owned by
    one of those organisations."""
    _RESOLVERS[name] = (for_object, for_queryset)


# --- the actor -----------------------------------------------------------------------------


def _active(actor):
    return actor is not None and getattr(actor, "is_authenticated", False) and getattr(actor, "is_active", False)


def _memberships(actor):
    """{organisation id: {roles}} for a staff user, cached on the object."""
    cache = getattr(actor, "_civichall_roles", None)
    if cache is None:
        cache = {}
        for org_id, role in Membership.objects.filter(user=actor).values_list("organisation_id", "role"):
            cache.setdefault(org_id, set()).add(role)
        actor._civichall_roles = cache
    return cache


def forget_roles(actor):
    """Drop the cached roles after memberships change."""
    for name in ("_civichall_roles", "_civichall_municipal"):
        if hasattr(actor, name):
            delattr(actor, name)


def _municipal_ids(actor):
    """Which of the organisations ``actor`` belongs to are municipal,
    cached on the object with the roles (one query, then none)."""
    cache = getattr(actor, "_civichall_municipal", None)
    if cache is None:
        cache = set(Organisation.objects.filter(pk__in=list(_memberships(actor)), kind=OrganisationKind.MUNICIPAL)
                    .values_list("pk", flat=True)) if _memberships(actor) else set()
        actor._civichall_municipal = cache
    return cache


def _is_all_powerful(actor):
    return actor is SYSTEM or (_active(actor) and actor.is_superuser)


def roles_in(actor, organisation):
    """The roles ``actor`` holds in ``organisation`` (an object or an id)."""
    if not _active(actor) or actor is SYSTEM:
        return set()
    return _memberships(actor).get(getattr(organisation, "pk", organisation), set())


def has_role(actor, organisation, *role_names):
    """True if ``actor`` holds one of ``role_names`` in ``organisation``
    (superusers and the system hold every role everywhere)."""
    if _is_all_powerful(actor):
        return True
    return bool(roles_in(actor, organisation) & set(role_names))


def _held_ids(actor, role_names):
    """Ids of the organisations where a (not all-powerful) ``actor`` holds
    one of ``role_names``, from the cached roles: no query."""
    if not _active(actor) or actor is SYSTEM:
        return []
    return [org for org, held in _memberships(actor).items() if held & set(role_names)]


def organisations_with(actor, role_names):
    """Organisations where ``actor`` holds one of ``role_names``."""
    if _is_all_powerful(actor):
        return Organisation.objects.all()
    if not _active(actor):
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=_held_ids(actor, role_names))


def _held_where(actor, grant):
    """For MUNICIPAL/ANYWHERE grants: does the actor hold the roles there?
    Answered from the cached roles (menus ask it on every admin page)."""
    if _is_all_powerful(actor):
        return True
    ids = _held_ids(actor, grant.roles)
    if grant.where == MUNICIPAL:
        return any(org in _municipal_ids(actor) for org in ids)
    return bool(ids)


# --- one object ------------------------------------------------------------------------------


def _walk(obj, path):
    """The value at ORM ``path`` from ``obj``: an id for relations."""
    if path in _RESOLVERS:
        return _RESOLVERS[path][0](obj)
    parts = path.split("__")
    for name in parts[:-1]:
        try:
            obj = getattr(obj, name)
        except ObjectDoesNotExist:
            return None
        if obj is None:
            return None
    last = parts[-1]
    if last != "pk" and hasattr(obj, f"{last}_id"):
        return getattr(obj, f"{last}_id")
    try:
        value = getattr(obj, last)
    except ObjectDoesNotExist:
        return None
    return getattr(value, "pk", value)


def _grant_allows(actor, grant, obj):
    if isinstance(grant, Public):
        return obj is None or all(_walk(obj, k) != v for k, v in grant.unless.items())
    if isinstance(grant, AnyCitizen):
        return _active(actor) and _citizen_of(actor) is not None
    if isinstance(grant, Own):
        return _active(actor) and obj is not None and actor.pk is not None and _walk(obj, grant.via) == actor.pk
    if grant.where != OWNER:
        return _held_where(actor, grant)
    if obj is None:
        return False
    for path in grant.via:
        org_id = _walk(obj, path)
        if org_id is not None and has_role(actor, org_id, *grant.roles):
            return True
    return False


def _citizen_of(actor):
    try:
        return actor.citizen
    except (ObjectDoesNotExist, AttributeError):
        return None


def _rule(kind, action):
    try:
        return RULES[kind][action]
    except KeyError:
        raise PermissionDenied(f"unknown action {kind}.{action}") from None


def allows(actor, kind, action, obj=None):
    """True if ``actor`` may ``action`` the ``kind`` object ``obj``."""
    grants = _rule(kind, action)
    if actor is None:
        return False
    if _is_all_powerful(actor):
        return True
    return any(_grant_allows(actor, g, obj) for g in grants)


def check(actor, kind, action, obj=None):
    """Return ``obj`` if ``actor`` may ``action`` it, else raise PermissionDenied."""
    if not allows(actor, kind, action, obj):
        raise PermissionDenied
    return obj


def allows_some(actor, kind, action):
    """True if ``actor`` may ``action`` at least some ``kind`` object (to
    show a menu item or an "add" button; the object is checked again)."""
    grants = _rule(kind, action)
    if actor is None:
        return False
    if _is_all_powerful(actor):
        return True
    for grant in grants:
        if isinstance(grant, Public):
            return True
        if isinstance(grant, (Own, AnyCitizen)):
            if _active(actor) and (isinstance(grant, Own) or _citizen_of(actor) is not None):
                return True
        elif grant.where != OWNER:
            if _held_where(actor, grant):
                return True
        elif _held_ids(actor, grant.roles):
            return True
    return False


# --- lists -----------------------------------------------------------------------------------


def _path_q(path, orgs):
    if path in _RESOLVERS:
        return _RESOLVERS[path][1](orgs)
    if path == "pk":
        return Q(pk__in=orgs.values("pk"))
    return Q(**{f"{path}__in": orgs.values("pk")})


EVERYTHING = Q(pk__isnull=False)  # not Q(): an empty Q vanishes when OR-ed


def _grant_q(actor, grant):
    """A Q selecting the objects ``grant`` lets ``actor`` act on, or None for none."""
    if isinstance(grant, Public):
        q = EVERYTHING
        for k, v in grant.unless.items():
            q &= ~Q(**{k: v})
        return q
    if isinstance(grant, AnyCitizen):
        return EVERYTHING if _active(actor) and _citizen_of(actor) is not None else None
    if isinstance(grant, Own):
        if not _active(actor) or actor.pk is None:
            return None
        if grant.via.endswith("citizen__user"):
            # Through the citizen's row, not a join to it: staff (no citizen
            # record) select nothing here, and a queue of thousands of cases
            # can use its indexes.
            citizen = _citizen_of(actor)
            return Q(**{grant.via[:-len("__user")]: citizen.pk}) if citizen is not None else None
        return Q(**{grant.via: actor.pk})
    if grant.where != OWNER:
        return EVERYTHING if _held_where(actor, grant) else None
    orgs = organisations_with(actor, grant.roles)
    q = None
    for path in grant.via:
        part = _path_q(path, orgs)
        q = part if q is None else q | part
    return q


def filter_allowed(actor, kind, action, queryset):
    """``queryset`` narrowed to the objects ``actor`` may ``action``."""
    grants = _rule(kind, action)
    if actor is None:
        return queryset.none()
    if _is_all_powerful(actor):
        return queryset
    q = None
    for grant in grants:
        part = _grant_q(actor, grant)
        if part is not None:
            q = part if q is None else q | part
    return queryset.none() if q is None else queryset.filter(q).distinct()


def organisations_where(actor, kind, action):
    """Organisations in which ``actor`` may ``action`` objects of ``kind``
    owned by that organisation (the choices of an "organisation" field)."""
    grants = _rule(kind, action)
    if _is_all_powerful(actor):
        return Organisation.objects.all()
    ids = set()
    for grant in grants:
        if isinstance(grant, Grant) and grant.where == OWNER:
            ids.update(_held_ids(actor, grant.roles))
        elif isinstance(grant, Grant) and _held_where(actor, grant):
            return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=ids)


def users_with(kind, action):
    """Active users who may ``action`` some ``kind`` object (for Wagtail's
    ``users_with_any_permission``)."""
    users = get_user_model().objects.filter(is_active=True)
    q = Q(is_superuser=True)
    for grant in _rule(kind, action):
        if isinstance(grant, Grant):
            held = Q(memberships__role__in=list(grant.roles))
            if grant.where == MUNICIPAL:
                held &= Q(memberships__organisation__kind=OrganisationKind.MUNICIPAL)
            q |= held
    return users.filter(q).distinct()


def kinds():
    """Every (kind, action) the policy knows, for the agreement test and the docs."""
    return [(kind, action) for kind, actions in RULES.items() for action in actions]
