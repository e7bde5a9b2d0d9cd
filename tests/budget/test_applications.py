"""Applications for further funding (ToR §5): through the steering group before they are sent."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from budget import reports, services
from budget.models import (
    Allocation,
    ApplicationEvent,
    ApplicationStatus,
    EntryKind,
    FundingApplication,
    Grant,
    GrantHolder,
)
from tests.factories import FundingApplicationFactory, post

pytestmark = pytest.mark.django_db

D = Decimal
S = ApplicationStatus


@pytest.fixture
def application(db, tor_projects):
    return FundingApplicationFactory.create(
        foundation="Novo Nordisk Fonden",
        title="Pilot on hospital exemption",
        purpose="A pilot of manufacturing under the hospital exemption.",
        amount=D("2000000.00"),
        project=tor_projects["V"],
        deadline=datetime.date(2026, 9, 1),
    )


def submitted(application, decision, by):
    services.application_transition(application=application, to_status=S.TO_STEERING_GROUP, actor=by)
    services.application_transition(
        application=application, to_status=S.APPROVED_FOR_SUBMISSION, actor=by, decision=decision
    )
    return services.application_transition(
        application=application, to_status=S.SUBMITTED, actor=by, on=datetime.date(2026, 5, 4)
    )


def status(application):
    return FundingApplication.objects.get(pk=application.pk).status


def events(application):
    return [
        (e.from_status, e.to_status, e.by, e.note)
        for e in ApplicationEvent.objects.filter(application=application)
    ]


def test_a_new_application_is_a_draft_that_may_go_to_the_steering_group_or_be_withdrawn(application):
    assert application.status == S.DRAFT
    assert application.allowed_transitions() == (S.TO_STEERING_GROUP, S.WITHDRAWN)


def test_the_whole_way_to_a_grant(application, steering_decision, secretariat):
    services.application_transition(
        application=application, to_status=S.TO_STEERING_GROUP, actor=secretariat, note="For the May meeting"
    )
    services.application_transition(
        application=application,
        to_status=S.APPROVED_FOR_SUBMISSION,
        actor=secretariat,
        decision=steering_decision,
    )
    services.application_transition(
        application=application, to_status=S.SUBMITTED, actor=secretariat, on=datetime.date(2026, 5, 4)
    )
    grant = services.application_grant(
        application=application,
        allocations={2026: D("1200000.00"), 2027: D("300000.50")},
        actor=secretariat,
        note="Letter of 1 July",
        on=datetime.date(2026, 7, 1),
    )

    application.refresh_from_db()
    assert (application.status, application.decision, application.grant) == (
        S.GRANTED,
        steering_decision,
        grant,
    )
    assert (application.submitted_on, application.answered_on) == (
        datetime.date(2026, 5, 4),
        datetime.date(2026, 7, 1),
    )
    assert application.amount_granted == D("1500000.50")
    assert events(application) == [
        (S.DRAFT, S.TO_STEERING_GROUP, secretariat, "For the May meeting"),
        (S.TO_STEERING_GROUP, S.APPROVED_FOR_SUBMISSION, secretariat, ""),
        (S.APPROVED_FOR_SUBMISSION, S.SUBMITTED, secretariat, ""),
        (S.SUBMITTED, S.GRANTED, secretariat, "Letter of 1 July"),
    ]


def test_a_granted_application_becomes_a_managed_amgros_grant_with_its_allocations(
    application, steering_decision, secretariat
):
    submitted(application, steering_decision, secretariat)

    grant = services.application_grant(
        application=application, allocations={2027: D("300000.50"), 2026: D("1200000.00")}
    )

    assert Grant.objects.get(application=application) == grant
    assert (grant.code, grant.holder, grant.is_managed, grant.is_reference) == (
        f"application-{application.pk}",
        GrantHolder.AMGROS,
        True,
        False,
    )
    assert (grant.name_en, grant.name_da, grant.source) == (
        "Pilot on hospital exemption",
        "Pilot on hospital exemption",
        "Novo Nordisk Fonden",
    )
    assert list(Allocation.objects.filter(grant=grant).values_list("year", "amount")) == [
        (2026, D("1200000.00")),
        (2027, D("300000.50")),
    ]


def test_the_granted_money_can_be_posted_to_and_is_in_the_report(
    budget_data, categories, application, steering_decision, secretariat
):
    submitted(application, steering_decision, secretariat)
    grant = services.application_grant(application=application, allocations={2026: D("1000000.00")})

    post(grant, categories["project-management"], secretariat, amount="400000.00", year=2026)

    report = reports.build()
    assert report.total.allocated == D("19500000.00")
    assert (report.by_year[2026].allocated, report.by_year[2026].committed) == (
        D("6000000.00"),
        D("400000.00"),
    )


def test_years_granted_with_nothing_are_left_out(application, steering_decision, secretariat):
    submitted(application, steering_decision, secretariat)

    grant = services.application_grant(
        application=application, allocations={2026: D("500000.00"), 2027: D("0")}
    )

    assert list(grant.allocations.values_list("year", flat=True)) == [2026]
    assert FundingApplication.objects.get(pk=application.pk).amount_granted == D("500000.00")


@pytest.mark.parametrize(
    ("allocations", "message"),
    [
        ({}, "Give the amount granted for at least one year."),
        ({2026: D("0.00")}, "Give the amount granted for at least one year."),
        (
            {2026: D("-1.00"), 2027: D("10.00")},
            "Give each year's amount in kroner, not negative, at most two decimals.",
        ),
        ({2026: D("10.005")}, "Give each year's amount in kroner, not negative, at most two decimals."),
        ({1999: D("10.00")}, "Give years between 2000 and 2100."),
    ],
    ids=["nothing", "only-zero", "negative", "three-decimals", "year-out-of-range"],
)
def test_a_grant_needs_sensible_yearly_amounts(
    application, steering_decision, secretariat, allocations, message
):
    submitted(application, steering_decision, secretariat)
    grants_before = Grant.objects.count()

    with pytest.raises(ValidationError) as error:
        services.application_grant(application=application, allocations=allocations)

    assert error.value.message_dict == {"allocations": [message]}
    assert status(application) == S.SUBMITTED
    assert Grant.objects.count() == grants_before


def test_clearing_for_submission_needs_a_steering_group_decision(application, secretariat):
    services.application_transition(application=application, to_status=S.TO_STEERING_GROUP, actor=secretariat)

    with pytest.raises(ValidationError) as error:
        services.application_transition(
            application=application, to_status=S.APPROVED_FOR_SUBMISSION, actor=secretariat
        )

    assert error.value.message_dict == {
        "decision": ["Name the steering group decision that cleared the application for submission."]
    }
    assert status(application) == S.TO_STEERING_GROUP
    assert len(events(application)) == 1


def test_a_reference_group_decision_cannot_clear_an_application(application, reference_decision, secretariat):
    services.application_transition(application=application, to_status=S.TO_STEERING_GROUP, actor=secretariat)

    with pytest.raises(ValidationError) as error:
        services.application_transition(
            application=application,
            to_status=S.APPROVED_FOR_SUBMISSION,
            actor=secretariat,
            decision=reference_decision,
        )

    assert error.value.message_dict == {
        "decision": [f"Choose a decision of the steering group; {reference_decision.number} is not one."]
    }
    refreshed = FundingApplication.objects.get(pk=application.pk)
    assert (refreshed.status, refreshed.decision) == (S.TO_STEERING_GROUP, None)


def test_a_decision_named_when_sent_to_the_steering_group_clears_it_later(application, steering_decision):
    services.application_transition(
        application=application, to_status=S.TO_STEERING_GROUP, decision=steering_decision
    )

    services.application_transition(application=application, to_status=S.APPROVED_FOR_SUBMISSION)

    refreshed = FundingApplication.objects.get(pk=application.pk)
    assert (refreshed.status, refreshed.decision) == (S.APPROVED_FOR_SUBMISSION, steering_decision)


@pytest.mark.parametrize(
    ("path", "target", "message"),
    [
        ([], S.SUBMITTED, "An application that is “Draft” cannot become “Submitted”."),
        (
            [],
            S.APPROVED_FOR_SUBMISSION,
            "An application that is “Draft” cannot become “Cleared for submission”.",
        ),
        ([], S.DECLINED, "An application that is “Draft” cannot become “Declined”."),
        ([], S.GRANTED, "An application that is “Draft” cannot become “Granted”."),
        (
            [S.TO_STEERING_GROUP],
            S.SUBMITTED,
            "An application that is “With the steering group” cannot become “Submitted”.",
        ),
        (
            [S.TO_STEERING_GROUP, S.APPROVED_FOR_SUBMISSION],
            S.DRAFT,
            "An application that is “Cleared for submission” cannot become “Draft”.",
        ),
        (
            [S.TO_STEERING_GROUP, S.APPROVED_FOR_SUBMISSION, S.SUBMITTED],
            S.GRANTED,
            "Record a grant with the amount and the years it covers.",
        ),
        (
            [S.TO_STEERING_GROUP, S.APPROVED_FOR_SUBMISSION, S.SUBMITTED, S.DECLINED],
            S.SUBMITTED,
            "An application that is “Declined” cannot become “Submitted”.",
        ),
        ([S.WITHDRAWN], S.DRAFT, "An application that is “Withdrawn” cannot become “Draft”."),
    ],
)
def test_moves_outside_the_flow_are_refused_with_a_readable_message(
    application, steering_decision, path, target, message
):
    for step in path:
        services.application_transition(application=application, to_status=step, decision=steering_decision)
    before = status(application)

    with pytest.raises(ValidationError) as error:
        services.application_transition(application=application, to_status=target, decision=steering_decision)

    assert error.value.messages == [message]
    assert status(application) == before
    assert len(events(application)) == len(path)


def test_only_a_submitted_application_can_be_granted(application, steering_decision):
    services.application_transition(application=application, to_status=S.TO_STEERING_GROUP)

    with pytest.raises(ValidationError) as error:
        services.application_grant(application=application, allocations={2026: D("1.00")})

    assert error.value.messages == [
        "Only a submitted application can be granted; this one is “With the steering group”."
    ]
    assert Grant.objects.filter(code=f"application-{application.pk}").exists() is False


def test_a_granted_application_cannot_be_granted_again(application, steering_decision):
    submitted(application, steering_decision, None)
    services.application_grant(application=application, allocations={2026: D("1.00")})

    with pytest.raises(ValidationError) as error:
        services.application_grant(application=application, allocations={2026: D("2.00")})

    assert error.value.messages == ["Only a submitted application can be granted; this one is “Granted”."]
    assert FundingApplication.objects.get(pk=application.pk).amount_granted == D("1.00")


def test_a_declined_application_records_when_the_answer_came(application, steering_decision, secretariat):
    submitted(application, steering_decision, secretariat)

    services.application_transition(
        application=application,
        to_status=S.DECLINED,
        actor=secretariat,
        note="Too early",
        on=datetime.date(2026, 8, 15),
    )

    refreshed = FundingApplication.objects.get(pk=application.pk)
    assert (refreshed.status, refreshed.answered_on, refreshed.grant) == (
        S.DECLINED,
        datetime.date(2026, 8, 15),
        None,
    )
    assert events(application)[-1] == (S.SUBMITTED, S.DECLINED, secretariat, "Too early")
    assert refreshed.allowed_transitions() == ()


def test_the_steering_group_can_send_an_application_back_to_draft(application, secretariat):
    services.application_transition(application=application, to_status=S.TO_STEERING_GROUP, actor=secretariat)

    services.application_transition(
        application=application, to_status=S.DRAFT, actor=secretariat, note="Sharpen the budget"
    )

    assert status(application) == S.DRAFT
    assert events(application) == [
        (S.DRAFT, S.TO_STEERING_GROUP, secretariat, ""),
        (S.TO_STEERING_GROUP, S.DRAFT, secretariat, "Sharpen the budget"),
    ]


@pytest.mark.parametrize("steps", [0, 1, 2, 3])
def test_an_application_can_be_withdrawn_until_it_is_answered(application, steering_decision, steps):
    for step in [S.TO_STEERING_GROUP, S.APPROVED_FOR_SUBMISSION, S.SUBMITTED][:steps]:
        services.application_transition(application=application, to_status=step, decision=steering_decision)

    services.application_transition(application=application, to_status=S.WITHDRAWN)

    assert status(application) == S.WITHDRAWN
    assert events(application)[-1][:2] == (
        [S.DRAFT, S.TO_STEERING_GROUP, S.APPROVED_FOR_SUBMISSION, S.SUBMITTED][steps],
        S.WITHDRAWN,
    )


def test_the_pipeline_holds_the_applications_not_yet_answered(tor_projects, steering_decision):
    def make(title, path, granted=False):
        application = FundingApplicationFactory.create(
            foundation="Lundbeckfonden", title=title, purpose="…", amount=D("100000.00")
        )
        for step in path:
            services.application_transition(
                application=application, to_status=step, decision=steering_decision
            )
        if granted:
            services.application_grant(application=application, allocations={2026: D("100000.00")})
        return title

    full = [S.TO_STEERING_GROUP, S.APPROVED_FOR_SUBMISSION, S.SUBMITTED]
    open_titles = {
        make("draft", []),
        make("with the steering group", full[:1]),
        make("cleared", full[:2]),
        make("submitted", full),
    }
    make("granted", full, granted=True)
    make("declined", [*full, S.DECLINED])
    make("withdrawn", [S.WITHDRAWN])

    assert set(FundingApplication.objects.in_pipeline().values_list("title", flat=True)) == open_titles
    assert FundingApplication.objects.count() == 7


# --- The database's own rules --------------------------------------------------------------------


def test_an_application_past_the_steering_group_without_a_decision_is_refused(application):
    application.status = S.SUBMITTED

    with pytest.raises(ValidationError) as error:
        application.validate_constraints()
    assert error.value.messages == [
        "An application goes to the foundation only with the steering group decision that cleared it."
    ]

    with pytest.raises(IntegrityError), transaction.atomic():
        FundingApplication.objects.filter(pk=application.pk).update(status=S.SUBMITTED)
    assert status(application) == S.DRAFT


def test_a_granted_application_without_a_grant_is_refused(application, steering_decision):
    submitted(application, steering_decision, None)
    application.refresh_from_db()
    application.status = S.GRANTED

    with pytest.raises(ValidationError) as error:
        application.validate_constraints()
    assert error.value.messages == ["A granted application names the grant and the amount granted."]

    with pytest.raises(IntegrityError), transaction.atomic():
        FundingApplication.objects.filter(pk=application.pk).update(status=S.GRANTED)
    assert status(application) == S.SUBMITTED


def test_posting_to_the_granted_grant_follows_the_same_rules(
    application, steering_decision, budget_data, categories, secretariat
):
    submitted(application, steering_decision, secretariat)
    grant = services.application_grant(application=application, allocations={2026: D("1000.00")})

    with pytest.raises(ValidationError) as error:
        post(
            grant, categories["secretariat"], secretariat, kind=EntryKind.EXPENSE, amount="1000.01", year=2026
        )

    assert error.value.message_dict == {
        "decision": [
            "This would take Pilot on hospital exemption 2026 DKK 0.01 over its allocation of DKK 1,000.00; "
            "name the steering group decision that approves the overspend."
        ]
    }
