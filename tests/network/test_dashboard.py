"""The steering group's dashboard counts the network: rounds, answers, the directory."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboard.figures import network_figures
from dashboard.periods import Period
from inquiries.clock import add_working_days
from network import services
from network.models import Invitation, Round
from tests.conftest import sign_in
from tests.factories import directory_entry, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_with_answers(owner, secretariat, capabilities):
    sites = [
        directory_entry(f"Site {n} (demo)", region=region, capability_codes=["apheresis"])
        for n, region in enumerate(["hovedstaden", "hovedstaden", "nordjylland", "norway"])
    ]
    stale = directory_entry("Stale (demo)", capability_codes=["cleanroom"])
    services.entry_confirm(entry=stale, actor=None, on=timezone.localdate() - datetime.timedelta(days=800))
    inquiry = submit(owner, topic="clinical_trials")
    feasibility = services.round_start(inquiry=inquiry, actor=secretariat, synopsis="A trial.", entries=sites)
    started = timezone.localdate(feasibility.started_at)
    # Two answers: an "interested" three working days after the start, and a "not interested".
    first, second = feasibility.invitations.order_by("pk")[:2]
    for invitation, answer in ((first, "interested"), (second, "not_interested")):
        services.round_answer(invitation=invitation, link_version=invitation.link_version, answer=answer)
    answered_on = add_working_days(started, 3)
    answered_at = timezone.make_aware(datetime.datetime.combine(answered_on, datetime.time(12)))
    Invitation.objects.filter(pk=first.pk).update(answered_at=answered_at)
    return feasibility


def test_rounds_answer_rate_median_days_and_the_directory_are_counted(
    round_with_answers, django_assert_max_num_queries
):
    today = timezone.localdate()
    with django_assert_max_num_queries(3):  # issue 21: was 7
        figures = network_figures(Period.of_year(today.year), links_enabled=True, today=today)
    assert (figures.rounds_started, figures.sites_asked, figures.sites_answered) == (1, 4, 2)
    assert figures.answer_rate == 0.5
    assert figures.median_days_to_interest == 3
    assert figures.entries == 5 and figures.not_confirmed == 1
    regions = {line.key: line.count for line in figures.by_region}
    assert regions["hovedstaden"] == 3 and regions["norway"] == 1 and regions["sjaelland"] == 0
    capabilities = {line.label: line.count for line in figures.by_capability}
    assert 4 in (capabilities.get("Aferese"), capabilities.get("Apheresis"))


def test_a_round_outside_the_period_is_not_counted(round_with_answers):
    Round.objects.update(started_at=timezone.now() - datetime.timedelta(days=800))
    today = timezone.localdate()
    figures = network_figures(Period.of_year(today.year), links_enabled=True, today=today)
    assert (figures.rounds_started, figures.sites_asked, figures.median_days_to_interest) == (0, 0, None)


@pytest.mark.parametrize(("who", "status"), [("steering_member", 200), ("secretariat", 200), ("owner", 403)])
def test_the_dashboard_shows_the_network_section_to_the_steering_group(
    client, request, round_with_answers, who, status
):
    sign_in(client, request.getfixturevalue(who))
    client.cookies["atmp_language"] = "en"
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "Trial collaboration: directory and feasibility rounds" in html
        assert "Site 0 (demo)" not in html  # aggregates only
