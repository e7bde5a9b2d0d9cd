"""The dashboard's governance figures kept under the governance models' change stamps (audit.stamps).

What is kept must be what a fresh read says, after every kind of change and as time passes,
without anyone clearing the cache: each test reads through the cache, changes something, and
compares the kept read with a fresh one.
"""

import datetime

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit import stamps
from dashboard import figures
from governance import services
from governance.models import STAMPED, ActionItem, Meeting, Membership, Seat
from tests.factories import ActionItemFactory, UserFactory, decide, membership_for, plan

pytestmark = pytest.mark.django_db


def _shown(read):
    return [
        (
            b.pk,
            b.next_meeting_id,
            b.held,
            b.planned,
            b.ending,
            b.actions_open,
            b.actions_late,
            read.seats.get(b.pk),
        )
        for b in read.bodies
    ]


def _fresh(year):
    bodies, seats, _until = figures._governance_bodies(year, timezone.localdate(), timezone.now())
    return figures.GovernanceRead(year=year, bodies=bodies, seats=seats, may_open=None)


def _kept_equals_fresh(user, year):
    kept = figures.governance_read(user, year)
    assert _shown(kept) == _shown(_fresh(year))
    return kept


def test_every_kind_of_change_is_seen_at_once(secretariat, governance_bodies):
    steering = governance_bodies["steering-group"]
    year = timezone.localdate().year
    before = _kept_equals_fresh(secretariat, year)

    meeting = plan(steering, in_days=3)  # a meeting planned
    _kept_equals_fresh(secretariat, year)
    services.meeting_mark_held(actor=None, meeting=plan(steering, in_days=-2))  # one held
    _kept_equals_fresh(secretariat, year)
    services.meeting_cancel(actor=None, meeting=meeting)  # one cancelled
    _kept_equals_fresh(secretariat, year)
    decision = decide(steering)
    ActionItemFactory.create(
        decision=decision, title="Late", due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    _kept_equals_fresh(secretariat, year)
    item = ActionItem.objects.get(title="Late")
    item.delete()  # an action item removed while editing
    _kept_equals_fresh(secretariat, year)
    member = membership_for(
        UserFactory.create(), steering, end=timezone.localdate() + datetime.timedelta(days=10)
    )
    _kept_equals_fresh(secretariat, year)
    member.end_date = timezone.localdate() + datetime.timedelta(days=400)
    member.save()  # a term extended
    _kept_equals_fresh(secretariat, year)
    seat = Seat.objects.filter(body=steering).first()
    assert seat is not None
    seat.count += 1
    seat.save()  # a seat more
    after = _kept_equals_fresh(secretariat, year)
    assert _shown(after) != _shown(before)


def test_a_bulk_write_and_an_erasure_raise_the_stamps_themselves(secretariat, governance_bodies):
    steering = governance_bodies["steering-group"]
    user = UserFactory.create()
    membership_for(user, steering)
    first, second = plan(steering, in_days=-40), plan(steering, in_days=-20)
    # Numbers out of date order (as an import could leave them), so renumbering moves both.
    Meeting.objects.filter(pk=first.pk).update(number=90)
    Meeting.objects.filter(pk=second.pk).update(number=1)
    stamp = stamps.read(*STAMPED)
    services.meeting_renumber(actor=None, body=steering, year=timezone.localdate().year)  # bulk_update
    renumbered = stamps.read(*STAMPED)
    from governance import privacy
    from privacy.registry import Subject

    privacy.erase(Subject(user=user, email=user.email), actor=None, markers=frozenset())  # update()
    erased = stamps.read(*STAMPED)
    assert renumbered[STAMPED.index(Meeting)] == stamp[STAMPED.index(Meeting)] + 1
    assert erased[STAMPED.index(Membership)] == renumbered[STAMPED.index(Membership)] + 1


def test_a_planned_meeting_that_ends_moves_the_figures_without_a_write(secretariat, governance_bodies):
    steering = governance_bodies["steering-group"]
    year = timezone.localdate().year
    start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    with time_machine.travel(start, tick=False):
        meeting = services.meeting_schedule(
            actor=None,
            body=steering,
            starts_at=start + datetime.timedelta(hours=1),
            ends_at=start + datetime.timedelta(hours=2),
        )
        read = _kept_equals_fresh(secretariat, year)
        line = next(b for b in read.bodies if b.pk == steering.pk)
        assert (line.planned, line.next_meeting_id) == (1, meeting.pk)
    with time_machine.travel(start + datetime.timedelta(hours=3), tick=False):
        with CaptureQueriesContext(connection) as queries:
            read = _kept_equals_fresh(secretariat, year)
        line = next(b for b in read.bodies if b.pk == steering.pk)
        assert (line.planned, line.next_meeting_id) == (0, None)
        assert len(queries) == 5  # stamps, bodies, seats (read again: kept is the stamps only), fresh two


def test_a_change_rolled_back_leaves_the_stamp_and_the_kept_read_as_they_were(secretariat, governance_bodies):
    steering = governance_bodies["steering-group"]
    year = timezone.localdate().year
    _kept_equals_fresh(secretariat, year)
    stamp = stamps.read(*STAMPED)
    with pytest.raises(RuntimeError), transaction.atomic():
        plan(steering, in_days=5)
        assert stamps.read(*STAMPED) != stamp  # raised in the writing transaction
        raise RuntimeError
    assert stamps.read(*STAMPED) == stamp
    with CaptureQueriesContext(connection) as queries:
        figures.governance_read(secretariat, year)
    assert len(queries) == 1  # the stamps only: the kept read is still the right one


def test_the_kept_projects_are_the_fresh_ones_after_a_change_and_apart_for_the_public_view(
    secretariat, tor_projects
):
    from projects.models import Milestone, Project
    from projects.selectors import projects_for

    def shown(projects):
        return [(p.pk, p.title_da, [(m.title_da, m.due_date) for m in p.milestones.all()]) for p in projects]

    def fresh(user):
        return shown(projects_for(user, deliverables=False))

    assert shown(figures.project_read(secretariat, stamped=figures.stamp())) == fresh(secretariat)
    project = Project.objects.first()
    assert project is not None
    Milestone.objects.create(
        project=project, title_da="Ny milepæl", title_en="New", due_date=timezone.localdate()
    )
    assert shown(figures.project_read(secretariat, stamped=figures.stamp())) == fresh(secretariat)
    project.title_da = "Nyt navn"
    project.save()
    kept = shown(figures.project_read(secretariat, stamped=figures.stamp()))
    assert kept == fresh(secretariat) and "Nyt navn" in str(kept)
    outsider = UserFactory.create()
    assert shown(figures.project_read(outsider, stamped=figures.stamp())) == fresh(outsider)
