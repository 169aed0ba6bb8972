"""Submits with one Idempotency-Key arriving at once make one case: the
database's unique constraint decides. On PostgreSQL 50 threads; on SQLite
(one writer at a time) 4, so that the test always runs."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections

from civichall.applications import actions
from civichall.applications.models import Case, Draft

from .conftest import pdf_bytes, png_bytes
from .documents import GOOD_DATA

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_concurrent_submits_with_one_key_make_one_case(unemployment, applicant):
    n_threads = 50 if connection.vendor == "postgresql" else 4
    user = applicant.user
    actions.do_add_material(user, "separation_proof", SimpleUploadedFile("a.pdf", pdf_bytes()), definition=unemployment)
    actions.do_add_material(user, "id_card", SimpleUploadedFile("b.png", png_bytes()), definition=unemployment)
    actions.do_save_draft(user, unemployment, GOOD_DATA)
    barrier, numbers, errors = threading.Barrier(n_threads), [], []

    def submit():
        try:
            barrier.wait()
            case, _created = actions.do_submit(user, unemployment, idempotency_key="one-tap-5f2a")
            numbers.append(case.number)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if connection.vendor == "postgresql":
        assert not errors, errors[:3]
        assert len(numbers) == n_threads
        assert not Draft.objects.filter(citizen=applicant).exists()  # no phantom draft left behind
    assert Case.objects.count() == 1
    case = Case.objects.get()
    # Every submit that got through answered the one case (on SQLite a
    # writer may also wait out the lock and be told the draft is gone).
    assert numbers and set(numbers) == {case.number}
    assert case.materials.count() == 2
