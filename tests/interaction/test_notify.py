"""The notification centre's door."""

import pytest

from civichall.notify.services import mark_read, notifications_for, notify_citizen, unread_count

pytestmark = pytest.mark.django_db


def test_notify_list_and_mark_read(citizen, other_citizen):
    first = notify_citizen(citizen, "answer", "上海发布回答了您的提问", "/a/#comment-1")
    notify_citizen(citizen, "reply", "上海发布回复了您的留言")
    mine = notify_citizen(other_citizen, "reply", "别人的")
    assert unread_count(citizen) == 2 and list(notifications_for(citizen))[-1] == first
    assert mark_read(citizen, [first.pk, mine.pk]) == 1  # never someone else's
    assert unread_count(citizen) == 1 and unread_count(other_citizen) == 1
    assert mark_read(citizen) == 1 and unread_count(citizen) == 0
    assert notify_citizen(None, "reply", "nobody") is None
    with pytest.raises(ValueError):
        notify_citizen(citizen, "spam", "x")
