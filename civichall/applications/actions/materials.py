"""Materials: a citizen's uploads to a draft, or supplements to a case."""

from django.utils.translation import gettext as _

from civichall.accounts.citizens import require_verified
from civichall.core.errors import Refusal
from civichall.core.i18n import message_lang

from .. import uploads
from ..lifecycle import NEEDS_MATERIAL
from ..models import Material
from ..permissions import access_case
from .common import audit
from .drafts import check_open, draft_for


def material_spec(doc, code):
    for material in doc.get("materials") or []:
        if material["code"] == code:
            return material
    raise Refusal("invalid", _("This application does not ask for that material."), 422, {"code": _("This application does not ask for that material.")})


def _read(uploaded, limit_mb):
    # Read one byte more than the limit: enough to know it is too large.
    limit = int(float(limit_mb) * 1024 * 1024) + 1
    return uploaded.read(limit)


def do_add_material(user, code, uploaded, *, definition=None, case=None):
    """Check and keep an uploaded file for material ``code`` of the
    citizen's draft of ``definition`` or, as a supplement, of ``case``
    (waiting for material). A bad file is refused with the reason (422);
    the draft is untouched."""
    citizen = require_verified(user)
    if case is not None:
        access_case(user, case, "supplement")
        if case.state != NEEDS_MATERIAL:
            raise Refusal("no_material_asked", _("No material has been asked for on this case."), 409)
        doc, draft = case.version.document, None
    else:
        check_open(definition)
        draft = draft_for(citizen, definition)
        doc = draft.version.document
    spec = material_spec(doc, code)
    try:
        content, mime = uploads.check_file(_read(uploaded, spec.get("max_size_mb", 10)), spec["types"],
                                           spec.get("max_size_mb", 10))
    except uploads.BadFile as exc:
        raise Refusal("bad_file", exc.message.get(message_lang()), 422, {"file": exc.message.get(message_lang())})
    stored_as = uploads.store(citizen.pk, content, mime)
    material = Material.objects.create(
        citizen=citizen, draft=draft, case=case, code=code, original_name=(getattr(uploaded, "name", "") or code)[:200],
        content_type=mime, size=len(content), stored_as=stored_as, supplement=case is not None)
    audit(case or definition, "material.add", user, code=code, size=len(content))
    return material


def do_remove_material(user, material):
    """Take an uploaded file off a draft (not off a filed case)."""
    citizen = require_verified(user)
    if material.citizen_id != citizen.pk or material.case_id is not None:
        raise Refusal("not_found", None, 404)
    material.delete()
