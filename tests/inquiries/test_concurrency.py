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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_five_identical_concurrent_submits_of_the_form_make_one_request():
    """Issue 14, item 8: a double (or quintuple) click on "Send" makes one request."""
    from django.test import Client
    from django.urls import reverse

    from tests.conftest import sign_in
    from tests.inquiries.test_form import form_data

    applicant = UserFactory.create()
    browser = Client()
    sign_in(browser, applicant)
    key = "5f0c1a3e-2b7d-4c1e-9a8f-0d6e4b3c2a19"
    barrier = threading.Barrier(5)
    statuses, errors = [], []

    def send():
        client = Client()
        client.cookies = browser.cookies
        try:
            barrier.wait()
            statuses.append(client.post(reverse("inquiries:new"), form_data(submission_key=key)).status_code)
        except Exception as exc:  # collected and shown below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(5)]
    with mock.patch("inquiries.services.notify"):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert statuses == [302] * 5
    assert Inquiry.objects.filter(applicant=applicant).count() == 1
