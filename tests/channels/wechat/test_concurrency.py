"""200 messages posted concurrently, as the platform does, some retried
at the same moment by another connection: every message stored once,
every retry answered with the same bytes, no error.

On PostgreSQL 8 threads; on SQLite (one writer at a time) 4.
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from civichall.accounts.policy import SYSTEM
from civichall.channels.wechat import actions
from civichall.channels.wechat.models import InboundMessage

from .player import Platform, text_xml

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TOTAL = 200


def test_concurrent_messages_are_each_stored_once_and_answered_alike(account):
    actions.do_save_keyword_reply(SYSTEM, None, account=account, keyword="上班时间", match="exact",
                                  reply="工作日 9:00—17:00。")
    n_threads = 8 if connection.vendor == "postgresql" else 4
    # Every fifth message is retried by the next thread at about the same moment.
    jobs = [(i, t) for i in range(TOTAL) for t in ([i % n_threads, (i + 1) % n_threads] if i % 5 == 0
                                                    else [i % n_threads])]
    replies, errors, barrier = {}, [], threading.Barrier(n_threads)

    def worker(t):
        player = Platform(Client(), "shanghai")
        try:
            barrier.wait()
            for i, owner in jobs:
                if owner != t:
                    continue
                response = player.post_raw(text_xml(f"o-{i % 37}", "上班时间", msg_id=5_000_000 + i,
                                                    create_time=1700000000).encode())
                if response.status_code != 200:
                    errors.append((i, response.status_code))
                replies.setdefault(i, []).append(response.content)
        except Exception as error:  # collected and reported below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors[:5]
    assert InboundMessage.objects.count() == TOTAL
    assert len(replies) == TOTAL
    assert all(len(set(sent)) == 1 for sent in replies.values())
    assert sum(len(sent) for sent in replies.values()) == len(jobs)
    assert all("工作日 9:00—17:00。" in sent[0].decode() for sent in replies.values())
