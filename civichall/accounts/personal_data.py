"""The logged door to citizens' personal data.

Staff see masked text everywhere by default. When their work needs what a
citizen actually wrote or who they are (a moderator judging a comment, an
officer answering a question), they read it through ``read`` -- which asks
the permission policy's door for that object first, then writes a
``PersonalDataAccess`` row the citizen can see ("who viewed my data") --
and never through the model field directly.
"""

from django.utils.translation import gettext_lazy as _

from .models import PersonalDataAccess
from .policy import recorded_user

# What can be read, and how the citizen's list names it.
COMMENT_TEXT = "comment_text"
IDENTITY = "identity"
LABELS = {COMMENT_TEXT: _("a comment as you wrote it"), IDENTITY: _("your verified identity")}


def label(what):
    return LABELS.get(what, what)


def read(staff, citizen, what, value, *, reference="", purpose="", organisation=None, masked=None):
    """Return ``value`` (the unmasked data) and record that ``staff`` read it.

    The caller has already passed the object's ``access_*`` door. When the
    data holds nothing personal (``masked`` equal to ``value``), nothing is
    recorded: there was nothing to protect."""
    if citizen is None or (masked is not None and masked == value):
        return value
    if not getattr(citizen, "pk", None):
        return value
    PersonalDataAccess.objects.create(citizen=citizen, staff=recorded_user(staff), what=what,
                                      reference=str(reference)[:80], purpose=str(purpose)[:80],
                                      organisation=organisation)
    return value


def accesses_for(citizen):
    """Who read ``citizen``'s personal data, newest first."""
    return PersonalDataAccess.objects.filter(citizen=citizen).select_related("staff", "organisation")


# Rooms above accounts that fetch a citizen's data from department systems
# (the applications' fill-once prefill) add their log to "my data use" here.
_DATA_USE_LOGS = []


def register_data_use_log(uses_for):
    """``uses_for(citizen)`` -> newest first, each ``{"at", "holder", "what", "purpose", "ok"}`` and
    optionally ``"link"``/``"link_label"`` (where the citizen can act on it, e.g. withdraw a consent)."""
    if uses_for not in _DATA_USE_LOGS:
        _DATA_USE_LOGS.append(uses_for)


def data_uses_for(citizen, limit=200):
    """What was fetched about ``citizen`` from department systems, and for what, newest first."""
    uses = [use for uses_for in _DATA_USE_LOGS for use in uses_for(citizen)[:limit]]
    return sorted(uses, key=lambda use: use["at"], reverse=True)[:limit]
