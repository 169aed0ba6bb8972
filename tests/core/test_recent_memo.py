"""What a process keeps for a second (``core.memo.Recent``): reused within
the second, read again after it, never kept from inside a transaction, and
forgotten at once where the value changes."""

import pytest
from django.db import transaction

from civichall.core import memo
from civichall.core.memo import Recent

# Outside a transaction is what is tested: real transactions, run apart.
pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(memo.time, "monotonic", clock)
    return clock


def _reader(values):
    reads = []

    def read():
        reads.append(1)
        return values[0]

    return read, reads


def test_a_value_is_reused_within_its_second_and_read_again_after(clock):
    recent, values = Recent(seconds=1.0), ["旧"]
    read, reads = _reader(values)
    assert recent.get("k", read) == "旧"
    values[0] = "新"  # changed elsewhere, without a word to this process
    clock.now += 0.9
    assert recent.get("k", read) == "旧" and len(reads) == 1
    clock.now += 0.2
    assert recent.get("k", read) == "新" and len(reads) == 2


def test_inside_a_transaction_nothing_kept_is_used_and_nothing_read_is_kept(clock):
    recent, values = Recent(seconds=1.0), ["旧"]
    read, reads = _reader(values)
    recent.get("k", read)
    values[0] = "事务内"
    with transaction.atomic():
        assert recent.get("k", read) == "事务内"  # the transaction may have changed it itself
        transaction.set_rollback(True)
    values[0] = "旧"
    assert recent.get("k", read) == "旧"  # what the rolled-back transaction saw was not kept
    assert len(reads) == 2


def test_forget_drops_a_key_at_once_and_again_at_the_commit(clock):
    recent, values = Recent(seconds=1.0), ["旧"]
    read, _reads = _reader(values)
    recent.get("k", read)
    with transaction.atomic():
        values[0] = "新"
        recent.forget("k")
    assert recent.get("k", read) == "新"
    recent.get("other", lambda: "别的")
    Recent.forget_everything()
    values[0] = "更新"
    assert recent.get("k", read) == "更新"


def test_a_settings_change_reaches_the_next_comment_check(clock, make_org):
    """Saved in this process: seen at once. Written elsewhere (the shared
    cache forgotten, this process not told): seen within the second."""
    from django.core.cache import cache

    from civichall.interaction.models import OrganisationInteractionSettings, settings_key

    org = make_org("recent-bureau")
    assert OrganisationInteractionSettings.for_organisation(org).pre_moderation is False
    row = OrganisationInteractionSettings.objects.create(organisation=org, pre_moderation=True)
    assert OrganisationInteractionSettings.for_organisation(org).pre_moderation is True
    OrganisationInteractionSettings.objects.filter(pk=row.pk).update(pre_moderation=False)  # another process
    cache.delete(settings_key(org.pk))
    assert OrganisationInteractionSettings.for_organisation(org).pre_moderation is True  # kept for a second
    clock.now += 1.01
    assert OrganisationInteractionSettings.for_organisation(org).pre_moderation is False
