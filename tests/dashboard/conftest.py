"""Records for the dashboard tests, each made the way the portal makes it, then dated by hand.

Requests go through ``inquiries.services.inquiry_submit``; their clock columns are then set to
fixed dates in 2025, so that every expected figure below can be worked out on paper. Dating them
by hand goes past the services, so the per-day counts the services keep are then rebuilt from
the rows (``recount``), as the migration that introduced them does.
"""

import datetime

import pytest
from django.utils import timezone

from accounts.models import ApplicantType
from inquiries.models import Inquiry, Status
from inquiries.summaries import inquiry_summaries_rebuild
from tests.factories import ReferralFactory, UserFactory, submit

YEAR = 2025


def local(day: str, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A Copenhagen wall-clock time on ``day`` (YYYY-MM-DD)."""
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour, minute))
    )


def dated(
    inquiry: Inquiry, *, submitted: datetime.datetime, ack_due: str, answer_due: str, **fields
) -> Inquiry:
    Inquiry.objects.filter(pk=inquiry.pk).update(
        submitted_at=submitted,
        acknowledge_due=datetime.date.fromisoformat(ack_due),
        answer_due=datetime.date.fromisoformat(answer_due),
        **fields,
    )
    inquiry.refresh_from_db()
    return inquiry


@pytest.fixture
def applicants(db):
    """Two applicants whose names and emails must never reach the dashboard."""
    return [
        UserFactory(email="anna.applicant@hospital.example", full_name="Anna Applicantsen"),
        UserFactory(email="bo.biotech@company.example", full_name="Bo Biotechsen"),
    ]


@pytest.fixture
def requests_2025(applicants):
    """Eight requests around 2025, with the working days worked out by hand (ack / answer).

    - r1: Mon 3 Mar 2025; acknowledged Wed 5 Mar (2); answered Mon 10 Mar (5); due 17 Mar: on time.
    - r2: Wed 16 Apr; acknowledged the same day (0); answered Wed 23 Apr (2: Easter takes 17, 18
      and 21 April); due 30 Apr: on time.
    - r3: Thu 20 Mar; acknowledged Mon 24 Mar (2); answered Thu 10 Apr (15 working days, 3 of them
      waiting for the applicant: 12); due 7 Apr: late.
    - r4: Mon 2 Jun; still "submitted", answer due 16 Jun: passed without an answer.
    - r6: Wed 31 Dec 2025 at 23:30 (22:30 UTC); still "submitted", due 15 Jan 2026: passed.
    - r7: Mon 1 Sep; withdrawn the next day.
    - r5: Mon 30 Dec 2024, and r8: Thu 1 Jan 2026 at 00:30 (still 31 Dec in UTC): outside 2025.
    """
    anna, bo = applicants
    made = {}
    made["r1"] = dated(
        submit(anna, subject="Anna's confidential CAR-T plan", topic="regulatory", atmp_class="gene_therapy"),
        submitted=local("2025-03-03"),
        acknowledged_at=local("2025-03-05", 9),
        answered_at=local("2025-03-10", 15),
        ack_due="2025-03-05",
        answer_due="2025-03-17",
        status=Status.ANSWERED,
    )
    made["r2"] = dated(
        submit(bo, applicant_type=ApplicantType.COMPANY, topic="hta", atmp_class="somatic_cell"),
        submitted=local("2025-04-16", 9),
        acknowledged_at=local("2025-04-16", 14),
        answered_at=local("2025-04-23", 11),
        ack_due="2025-04-22",
        answer_due="2025-04-30",
        status=Status.ANSWERED,
    )
    made["r3"] = dated(
        submit(anna, applicant_type=ApplicantType.RESEARCHER, topic="regulatory", atmp_class="gene_therapy"),
        submitted=local("2025-03-20"),
        acknowledged_at=local("2025-03-24"),
        answered_at=local("2025-04-10"),
        ack_due="2025-03-24",
        answer_due="2025-04-07",
        paused_working_days=3,
        status=Status.ANSWERED,
    )
    made["r4"] = dated(
        submit(anna, topic="regulatory", atmp_class="tissue_engineered"),
        submitted=local("2025-06-02"),
        ack_due="2025-06-04",
        answer_due="2025-06-16",
    )
    made["r6"] = dated(
        submit(bo, applicant_type=ApplicantType.COMPANY),
        submitted=local("2025-12-31", 23, 30),
        ack_due="2026-01-05",
        answer_due="2026-01-15",
    )
    made["r7"] = dated(
        submit(anna),
        submitted=local("2025-09-01"),
        ack_due="2025-09-03",
        answer_due="2025-09-15",
        status=Status.WITHDRAWN,
        closed_at=local("2025-09-02"),
    )
    made["r5"] = dated(
        submit(bo, topic="funding"),
        submitted=local("2024-12-30"),
        ack_due="2025-01-02",
        answer_due="2025-01-14",
        status=Status.CLOSED,
        closed_at=local("2025-01-03"),
    )
    made["r8"] = dated(
        submit(bo, topic="funding"),
        submitted=local("2026-01-01", 0, 30),
        ack_due="2026-01-05",
        answer_due="2026-01-16",
        status=Status.CLOSED,
        closed_at=local("2026-01-03"),
    )
    ReferralFactory.create(inquiry=made["r1"], partner="medicines_agency", referred_at=local("2025-03-04"))
    ReferralFactory.create(inquiry=made["r3"], partner="medicines_agency", referred_at=local("2025-03-21"))
    ReferralFactory.create(inquiry=made["r2"], partner="trial_nation", referred_at=local("2025-04-17"))
    ReferralFactory.create(inquiry=made["r5"], partner="trial_nation", referred_at=local("2024-12-31"))
    recount()
    return made


def recount() -> None:
    """The rows above were dated past the services: count them again, as the migration would."""
    inquiry_summaries_rebuild(all_durations=True)
