"""Citizens' notifications in the API: list them and mark them read."""

from typing import Annotated

from ninja import Query, Router, Schema
from pydantic import Field

from civichall.api.auth import citizen_token
from civichall.api.schemas import InputSchema
from civichall.core.inputs import MAX_ID

from . import services

router = Router(tags=["notifications"], auth=citizen_token)


class ListQuery(Schema):
    unread: bool = Field(False, description="only unread notifications")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)


class ReadIn(InputSchema):
    ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None = Field(None, max_length=1000, description="notification ids; omit for all")


def _json(n):
    return {"id": n.pk, "kind": n.kind, "text": n.text, "link": n.link, "created_at": n.created_at,
            "read": n.is_read}


@router.get("/citizen/notifications", summary="My notifications (citizens)")
def notifications(request, query: Query[ListQuery]):
    """Newest first: answers to your questions, replies to your comments,
    questions closed with the reason."""
    qs = services.notifications_for(request.auth, unread_only=query.unread)
    start = (query.page - 1) * query.page_size
    return {"count": qs.count(), "unread": services.unread_count(request.auth), "page": query.page,
            "page_size": query.page_size, "results": [_json(n) for n in qs[start:start + query.page_size]]}


@router.post("/citizen/notifications/read", summary="Mark my notifications read (citizens)")
def mark_read(request, data: ReadIn):
    changed = services.mark_read(request.auth, data.ids)
    return {"marked": changed, "unread": services.unread_count(request.auth)}
