"""Commits that need not wait for the disk.

A citizen's input is committed durably before anything is done with it.
What is derived from it afterwards -- a comment's check outcome, the question
it raised -- can be worked out again: if a crash loses such a commit, the
input is still there in its first state and the periodic re-check redoes the
work. Such a transaction may therefore commit without waiting for the
write-ahead log to reach the disk (PostgreSQL's ``synchronous_commit = off``
for that one transaction), which is most of the cost of a small commit.
Nothing is ever committed half: an asynchronous commit is lost whole or kept
whole.
"""

from __future__ import annotations

from django.db import connection

__all__ = ["commit_without_waiting"]


def commit_without_waiting() -> None:
    """Let the current transaction commit without waiting for the disk.

    Call it first thing inside the ``atomic`` block of a transaction that
    only stores what can be derived again. Outside a transaction, or inside
    one that also holds an input not yet committed (an outer block), it does
    nothing: it must never relax the commit of the input itself.
    """
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return
    if len(connection.atomic_blocks) != 1:  # an outer block may hold the input
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
