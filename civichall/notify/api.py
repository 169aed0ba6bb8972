"""Citizens' notifications in the API: list them and mark them read."""

from typing import Annotated

from ninja import Query, Router, Schema
from pydantic import Field

from civichall.accounts.api_auth import citizen_token
from civichall.core.api_pagination import PagePagination, paginate, with_members
from civichall.core.api_schemas import InputSchema
from civichall.core.inputs import MAX_ID

from . import services

router = Router(tags=["notifications"], auth=citizen_token)


class ListQuery(Schema):
    unread: bool = Field(False, description="only unread notifications")


class ReadIn(InputSchema):
    ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None = Field(None, max_length=1000, description="notification ids; omit for all")


def _json(n):
    return {"id": n.pk, "kind": n.kind, "text": n.text, "link": n.link, "created_at": n.created_at,
            "read": n.is_read}


@router.get("/citizen/notifications", response=list[dict], summary="My notifications (citizens)")
@paginate(PagePagination)
def notifications(request, query: Query[ListQuery]):
    """Newest first: answers to your questions, replies to your comments,
    questions closed with the reason. ``unread`` counts the unread ones."""
    qs = services.notifications_for(request.auth, unread_only=query.unread)
    return with_members(qs, {"unread": services.unread_count(request.auth)}, shape=_json)


@router.post("/citizen/notifications/read", summary="Mark my notifications read (citizens)")
def mark_read(request, data: ReadIn):
    changed = services.mark_read(request.auth, data.ids)
    return {"marked": changed, "unread": services.unread_count(request.auth)}
