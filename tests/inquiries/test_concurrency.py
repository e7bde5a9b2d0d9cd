"""References stay unique when applicants submit at the same moment (PostgreSQL row locks)."""

import threading
from unittest import mock

import pytest
from django.db import connection

from inquiries.models import Inquiry
from tests.factories import UserFactory, submit


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_submissions_get_distinct_references():
    applicants = [UserFactory() for _ in range(8)]
    barrier = threading.Barrier(len(applicants))
    errors = []

    def file(applicant):
        try:
            barrier.wait()
            submit(applicant)
        except Exception as exc:  # collected and shown below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=file, args=(a,)) for a in applicants]
    # No email here: eager Celery tasks in parallel threads race on Celery's process-global
    # "join will block" flag and can leave it set, which breaks a later test's result.get().
    with mock.patch("inquiries.services.notify"):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    references = sorted(Inquiry.objects.values_list("reference", flat=True))
    assert len(set(references)) == 8
    assert [int(r.rsplit("-", 1)[1]) for r in references] == list(range(1, 9))
