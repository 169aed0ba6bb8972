"""200 messages posted concurrently, as the platform does, some retried
at the same moment by another connection: every message stored once,
every retry answered with the same bytes, no error. Retries arriving while
the first is still being answered wait for its committed reply and take no
action of their own.

On PostgreSQL 8 threads; on SQLite (one writer at a time) 4.
"""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client

from civichall.accounts.policy import SYSTEM
from civichall.channels.wechat import actions, answering, inbound
from civichall.channels.wechat.models import Handoff, InboundMessage

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


def test_retries_during_the_first_answer_wait_for_it_and_take_no_action(wechat, account, monkeypatch):
    monkeypatch.setattr(answering, "assistant_installed", lambda: False)
    wechat.post(text_xml("o-race", "出生证明怎么补办？"))
    message = inbound.parse(text_xml("o-race", "人工", msg_id=880002, create_time=1700000200))
    real_answer_once = inbound._answer_once
    retries, threads = [], []

    def retry():
        try:
            retries.append(inbound.handle(account, message))
        finally:
            connections.close_all()

    def first_is_slow(*args):
        # The first claims the message; the platform's retries arrive meanwhile.
        threads.extend(threading.Thread(target=retry) for _ in range(2))
        for t in threads:
            t.start()
        time.sleep(0.3)
        return real_answer_once(*args)

    monkeypatch.setattr(inbound, "_answer_once", first_is_slow)
    first = inbound.handle(account, message)
    for t in threads:
        t.join(10)
    assert retries == [first, first]
    assert "已为您转交工作人员" in first
    assert Handoff.objects.count() == 1
