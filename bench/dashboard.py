"""Benchmark: the steering group's dashboard at 100,000 requests, 200,000 ledger entries, 4 years of meetings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_dashboard \\
        .venv/bin/python bench/dashboard.py [--reseed] [--repeat 20] [--warmup 2] [--slowest 0]

PostgreSQL only (the page's grouped counts and date truncations are what production runs; SQLite
says nothing about them). DATABASE_URL defaults to the line above. The database it names is created
when missing (from template1, never touching ``postgres``) and seeded; a second run reuses it and
only adds what is missing. --reseed drops it and starts again: the ledger refuses deletes, so
dropping the database is the only way. Point it at a scratch database, never a real one; the
names CI and the tests use (postgres, root, test_*) are refused.

Seeded with bulk_create, past the services (fine for volume): the reference data (bodies and
seats, the projects I–V, the budget), 300 applicants and 100,000 requests submitted over
2024-01-01..2027-12-31 (inserted in date order, as they arrive) with varied topic, applicant
type, ATMP class, region and status, most of them acknowledged and answered a few working days
in, some referred to partners; 200,000 ledger entries (``seed`` of bench/budget_ledger.py);
meetings 2024–2027 of the steering group, the reference group and three working groups (held
before now, planned after, a few cancelled), with decisions and action items (some overdue),
and memberships filling most seats (a few vacant, a few terms ending soon); the projects'
milestones (some overdue) and a few funding applications. The data runs to the end of 2027 so
that every period has its full volume; "today" is the real today.

Then GET /dashboard/ (the default, this year), ?year=<this year> (the same period, chosen),
?year=2025&quarter=2 and ?start=2024-01-01&end=2027-12-31, as a steering group member and as the
secretariat: --warmup runs, then --repeat timed ones, median and p95 and the query count, which
must be the same on every run (and must not grow with the data). --slowest N also prints the N
slowest statements of each page's last run.
"""

import argparse
import datetime
import functools
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POSTGRES_SCHEMES = ("postgres://", "postgresql://", "pgsql://")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_dashboard"
RESERVED = {"postgres", "root", "template0", "template1"}  # and test_*: CI and the tests use them
FIRST_DAY, LAST_DAY = datetime.date(2024, 1, 1), datetime.date(2027, 12, 31)
YEARS = range(FIRST_DAY.year, LAST_DAY.year + 1)

# code, Danish name, English name, decision prefix, meetings a year, first year, end date, public
WORKING_GROUPS = [
    (
        "bench-wg-hospital-exemption",
        "Arbejdsgruppe om hospitalsundtagelsen",
        "Working group on the hospital exemption",
        "WGHE",
        6,
        2025,
        None,
        True,
    ),
    (
        "bench-wg-real-world-data",
        "Arbejdsgruppe om real world data",
        "Working group on real-world data",
        "WGRWD",
        4,
        2025,
        None,
        False,
    ),
    (
        "bench-wg-financing",
        "Arbejdsgruppe om finansieringsmodeller",
        "Working group on financing models",
        "WGFIN",
        6,
        2024,
        datetime.date(2026, 6, 30),
        True,
    ),
]
MEETINGS_A_YEAR = {"steering-group": 4, "reference-group": 2}
ORGANISATIONS = [
    "Rigshospitalet",
    "Aarhus Universitetshospital",
    "Odense Universitetshospital",
    "Københavns Universitet",
    "Novo Nordisk A/S",
    "Bavarian Nordic A/S",
    "",
]


def database_url() -> str:
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not url.startswith(POSTGRES_SCHEMES):
        sys.exit(
            "bench/dashboard.py measures the PostgreSQL set-up; it does not run on SQLite. Leave\n"
            "DATABASE_URL unset (it then uses bench_dashboard) or point it at a scratch PostgreSQL one:\n"
            f"    DATABASE_URL={DEFAULT_URL} \\\n"
            "        .venv/bin/python bench/dashboard.py"
        )
    name = unquote(urlsplit(url).path.lstrip("/"))
    if not name or name in RESERVED or name.startswith("test_"):
        sys.exit(
            f"bench/dashboard.py will not use the database {name!r}: name a scratch one, e.g. bench_dashboard"
        )
    return url


def ensure_database(url: str, reseed: bool) -> bool:
    """Create the database if it is missing (drop it first with ``reseed``); True if it is new."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    with psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password) if parts.password else None,
        dbname="template1",  # the maintenance database; postgres is CI's
        autocommit=True,
    ) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reseed:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            print(f"dropped database {name}")
            exists = None
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
            print(f"created database {name}")
    return not exists


def setup_django() -> None:
    os.environ.update(DEBUG="true", CELERY_TASK_ALWAYS_EAGER="true", EMAIL_BACKEND="console")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atmp_portal.settings")
    import django

    django.setup()


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """An aware datetime in the portal's time zone."""
    from django.utils import timezone

    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone())


@functools.cache
def working_days_after(day: datetime.date, days: int) -> datetime.date:
    from inquiries.clock import add_working_days

    return add_working_days(day, days)


# --- People -----------------------------------------------------------------------------------


def ensure_users(applicants: int):
    """The steering member and the secretariat user who are timed, five staff, the applicants."""
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import SECRETARIAT_GROUP

    secretariat_group = Group.objects.get(name=SECRETARIAT_GROUP)
    staff = []
    for i in range(5):
        user, _ = User.objects.get_or_create(
            email=f"bench-staff{i}@example.org",
            defaults={"is_staff": True, "full_name": f"Staff {i}", "password": "!"},
        )
        user.groups.add(secretariat_group)
        staff.append(user)
    secretariat, _ = User.objects.get_or_create(
        email="bench-secretariat@example.org",
        defaults={"is_staff": True, "full_name": "Sara Sekretariat", "password": "!"},
    )
    secretariat.groups.add(secretariat_group)
    member, _ = User.objects.get_or_create(
        email="bench-steering@example.org", defaults={"full_name": "Stine Styregruppe", "password": "!"}
    )
    have = User.objects.filter(email__startswith="bench-applicant").count()
    User.objects.bulk_create(
        [
            User(
                email=f"bench-applicant{i}@example.org",
                full_name=f"Ansøger {i}",
                applicant_type=("clinician", "researcher", "company", "hospital_pharmacy")[i % 4],
                password="!",
            )
            for i in range(have, applicants)
        ]
    )
    return member, secretariat, staff


# --- Governance -------------------------------------------------------------------------------


def _seed_working_groups() -> None:
    """The three working groups the steering group set up, with their seats."""
    from governance.models import Body, BodyKind, Organisation, Seat

    steering = Body.objects.get(code="steering-group")
    organisations = {o.code: o for o in Organisation.objects.all()}
    for position, (code, name_da, name_en, prefix, target, _first, end, public) in enumerate(WORKING_GROUPS):
        body, created = Body.objects.get_or_create(
            code=code,
            defaults={
                "kind": BodyKind.WORKING_GROUP,
                "name_da": name_da,
                "name_en": name_en,
                "mandate_da": "Nedsat af styregruppen. " * 6,
                "set_up_by": steering,
                "end_date": end,
                "target_meetings_per_year": target,
                "decision_prefix": prefix,
                "is_public": public,
                "position": 10 + position,
            },
        )
        if created:
            Seat.objects.bulk_create(
                [
                    Seat(
                        body=body,
                        code="amgros",
                        organisation=organisations["amgros"],
                        role="chair",
                        position=0,
                    ),
                    Seat(body=body, code="dkma", organisation=organisations["dkma"], position=1),
                    *[
                        Seat(body=body, code=region, organisation=organisations[region], position=2 + i)
                        for i, region in enumerate(
                            ["region-hovedstaden", "region-syddanmark", "region-midtjylland"]
                        )
                    ],
                    Seat(body=body, code="lif", organisation=organisations["lif"], count=2, position=9),
                ]
            )


def _memberships(rng: random.Random, bodies, steering, member, today: datetime.date) -> list:
    """Unsaved memberships of every seat's places (two terms each) and a few seatless roles."""
    from governance.models import Membership, MembershipRole, Seat

    # Memberships: every place of every seat had a first term (2024 to mid-2025) and mostly a
    # second one running now; a few places are vacant today, a few terms end within 60 days.
    memberships = []
    person = 0
    for seat in Seat.objects.select_related("body").order_by("body__position", "position", "pk"):
        for place in range(seat.count):
            person += 1
            is_member = seat.body_id == steering.pk and seat.code == "danske-regioner" and place == 0
            first_start = datetime.date(2024, 1, 1)
            memberships.append(
                Membership(
                    body_id=seat.body_id,
                    seat=seat,
                    full_name=f"Tidligere medlem {person}",
                    email=f"bench-former{person}@example.org",
                    role=seat.role,
                    start_date=first_start,
                    end_date=datetime.date(2025, 6, 30),
                )
            )
            roll = rng.random()
            end: datetime.date | None
            if roll < 0.1 and not is_member:
                end = today - datetime.timedelta(days=rng.randint(10, 200))  # vacant since
            elif roll < 0.25 and not is_member:
                end = today + datetime.timedelta(days=rng.randint(5, 55))  # ending soon
            else:
                end = rng.choice([None, None, LAST_DAY])
            memberships.append(
                Membership(
                    body_id=seat.body_id,
                    seat=seat,
                    user=member if is_member else None,
                    full_name=member.full_name if is_member else f"Medlem {person}",
                    email="" if is_member else f"bench-member{person}@example.org",
                    role=seat.role,
                    start_date=datetime.date(2025, 7, 1),
                    end_date=end,
                )
            )
    for body in bodies:
        for role in (MembershipRole.SUBSTITUTE, MembershipRole.OBSERVER, MembershipRole.SECRETARY):
            person += 1
            memberships.append(
                Membership(
                    body=body,
                    full_name=f"{role.label} {person}",
                    email=f"bench-member{person}@example.org",
                    role=role,
                    start_date=datetime.date(2024, 1, 1),
                )
            )
    return memberships


def _meetings(rng: random.Random, bodies) -> list:
    """Unsaved meetings of every body: evenly over each year it meets, at 10:00 for two or three hours."""
    from django.utils import timezone

    from governance.models import Meeting, MeetingStatus, MinutesStatus

    now = timezone.now()
    first_years = {code: first for code, _da, _en, _p, _t, first, _end, _pub in WORKING_GROUPS}
    meetings = []
    for body in bodies:
        per_year = MEETINGS_A_YEAR.get(body.code, body.target_meetings_per_year or 4)
        for year in YEARS:
            if year < first_years.get(body.code, FIRST_DAY.year):
                continue
            number = 0
            for i in range(per_year):
                month = 1 + i * 12 // per_year + rng.randrange(max(12 // per_year - 1, 1))
                day = datetime.date(year, month, rng.randint(3, 26))
                if body.end_date and day > body.end_date:
                    break
                number += 1
                starts = at(day, 10)
                ends = starts + datetime.timedelta(hours=rng.choice((2, 2, 3)))
                past = ends < now
                cancelled = past and rng.random() < 0.05
                meetings.append(
                    Meeting(
                        body=body,
                        year=year,
                        number=number,
                        starts_at=starts,
                        ends_at=ends,
                        location="Amgros, Dampfærgevej 22, København Ø",
                        status=MeetingStatus.CANCELLED
                        if cancelled
                        else MeetingStatus.HELD
                        if past
                        else MeetingStatus.PLANNED,
                        cancelled_at=starts - datetime.timedelta(days=7) if cancelled else None,
                        documents_published_at=starts - datetime.timedelta(days=8) if past else None,
                        documents_version=1 if past else 0,
                        minutes="Referat: drøftelse og beslutninger. " * 10 if past and not cancelled else "",
                        minutes_status=MinutesStatus.APPROVED if past and not cancelled else "",
                    )
                )
    return meetings


def seed_governance(rng: random.Random, member, today: datetime.date) -> str:
    """Working groups and their seats, memberships, meetings 2024–2027, decisions, action items."""
    from django.utils import timezone

    from governance.models import (
        ActionItem,
        ActionItemStatus,
        Body,
        BodyKind,
        Decision,
        DecisionConcerns,
        Meeting,
        MeetingStatus,
        Membership,
    )

    steering = Body.objects.get(code="steering-group")
    _seed_working_groups()
    bodies = list(Body.objects.order_by("position", "pk"))
    memberships = _memberships(rng, bodies, steering, member, today)
    memberships = Membership.objects.bulk_create(memberships)
    current: dict[int, list[Membership]] = {}
    for m in memberships:
        if m.is_active(today):
            current.setdefault(m.body_id, []).append(m)

    meetings = _meetings(rng, bodies)
    meetings = Meeting.objects.bulk_create(meetings)
    by_pk = {b.pk: b for b in bodies}

    decisions = []
    for meeting in meetings:
        if meeting.status != MeetingStatus.HELD:
            continue
        body = by_pk[meeting.body_id]
        many = (2, 5) if body.kind == BodyKind.STEERING_GROUP else (1, 3)
        for sequence in range(1, rng.randint(*many) + 1):
            decisions.append(
                Decision(
                    meeting=meeting,
                    sequence=sequence,
                    number=f"{body.decision_prefix}-{meeting.year}-{meeting.number:02d}-{sequence:02d}",
                    title=f"Beslutning {sequence} på mødet {meeting.number}/{meeting.year}",
                    text="Styregruppen besluttede at igangsætte arbejdet som foreslået. " * 3,
                    concerns=rng.choice(DecisionConcerns.values[:2] + [DecisionConcerns.OTHER] * 3)
                    if body.kind == BodyKind.STEERING_GROUP
                    else DecisionConcerns.OTHER,
                    is_public=rng.random() < 0.6,
                )
            )
    decisions = Decision.objects.bulk_create(decisions)
    meeting_day = {m.pk: timezone.localdate(m.starts_at) for m in meetings}
    meeting_body = {m.pk: m.body_id for m in meetings}

    actions = []
    for decision in decisions:
        held = meeting_day[decision.meeting_id]
        owners = current.get(meeting_body[decision.meeting_id], [])
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            due = held + datetime.timedelta(days=rng.randint(14, 120))
            if due < today - datetime.timedelta(days=30):
                done = rng.random() < 0.92
            elif due < today:
                done = rng.random() < 0.5
            else:
                done = rng.random() < 0.1
            owner = rng.choice(owners) if owners and rng.random() < 0.7 else None
            actions.append(
                ActionItem(
                    decision=decision,
                    title=f"Opfølgning på {decision.number}",
                    owner=owner,
                    owner_label="" if owner else "Amgros-sekretariatet",
                    due_date=due,
                    status=ActionItemStatus.DONE if done else ActionItemStatus.OPEN,
                    completed_on=min(due, today) if done else None,
                )
            )
    ActionItem.objects.bulk_create(actions, batch_size=2000)
    overdue = sum(
        1
        for a in actions
        if a.status == ActionItemStatus.OPEN and a.due_date is not None and a.due_date < today
    )
    return (
        f"{len(bodies)} bodies, {len(memberships)} memberships, {len(meetings)} meetings, "
        f"{len(decisions)} decisions, {len(actions)} action items ({overdue} overdue)"
    )


# --- Projects and funding applications --------------------------------------------------------


def seed_projects(rng: random.Random, today: datetime.date) -> str:
    """Two pilots beside I–V, statuses and plans (past "proposed" with a steering decision), milestones."""
    from budget.models import ApplicationStatus, FundingApplication
    from governance.models import Decision
    from projects.models import Health, Milestone, Project, ProjectStatus

    Project.objects.bulk_create(
        [
            Project(
                code=f"P{n}",
                kind="pilot",
                tor_item="V",
                title_da=f"Pilotprojekt {n}",
                title_en=f"Pilot project {n}",
                purpose_da="Afprøvning af en løsningsmodel. " * 8,
                position=10 + n,
            )
            for n in (1, 2)
        ],
        ignore_conflicts=True,
    )
    decisions = list(
        Decision.objects.filter(meeting__body__code="steering-group", meeting__year__lte=2025)
        .order_by("meeting__starts_at", "sequence")
        .values_list("pk", flat=True)
    )
    d = datetime.date
    # code: status, planned start, planned end, health
    plans = {
        "I": (ProjectStatus.COMPLETED, d(2025, 1, 1), d(2025, 12, 31), Health.ON_TRACK),
        "II": (ProjectStatus.IN_PROGRESS, d(2025, 3, 1), d(2026, 9, 30), Health.AT_RISK),
        "III": (ProjectStatus.IN_PROGRESS, d(2025, 6, 1), d(2027, 6, 30), Health.ON_TRACK),
        "IV": (ProjectStatus.APPROVED, d(2026, 1, 1), d(2027, 12, 31), Health.ON_TRACK),
        "V": (ProjectStatus.IN_PROGRESS, d(2025, 9, 1), d(2027, 12, 31), Health.OFF_TRACK),
        "P1": (ProjectStatus.IN_PROGRESS, d(2026, 1, 15), d(2027, 9, 30), Health.ON_TRACK),
        "P2": (ProjectStatus.PROPOSED, d(2027, 2, 1), d(2028, 3, 31), Health.ON_TRACK),
    }
    milestones = []
    for i, project in enumerate(Project.objects.order_by("position")):
        status, start, end, health = plans.get(
            project.code, (ProjectStatus.PROPOSED, d(2026, 1, 1), d(2027, 12, 31), Health.ON_TRACK)
        )
        started = status != ProjectStatus.PROPOSED and start <= today
        Project.objects.filter(pk=project.pk).update(
            status=status,
            decision_id=None if status == ProjectStatus.PROPOSED else decisions[i % len(decisions)],
            planned_start=start,
            planned_end=end,
            started_on=start if started else None,
            finished_on=end if status == ProjectStatus.COMPLETED else None,
            health=health,
            health_reason="" if health == Health.ON_TRACK else "Forsinket dataadgang hos to regioner.",
            lead="Amgros",
        )
        step = (end - start) / 7
        for n in range(1, 8):
            due = start + step * n
            done = due < today and (status == ProjectStatus.COMPLETED or rng.random() < 0.75)
            milestones.append(
                Milestone(
                    project=project,
                    title_da=f"Milepæl {n}",
                    title_en=f"Milestone {n}",
                    due_date=due,
                    done_date=due + datetime.timedelta(days=rng.randint(-10, 10)) if done else None,
                )
            )
    Milestone.objects.bulk_create(milestones)
    FundingApplication.objects.bulk_create(
        [
            FundingApplication(
                foundation=foundation,
                title=f"Ansøgning om midler til {title}",
                purpose="Udvidelse af pilotprojektet til flere regioner. " * 4,
                amount=Decimal(amount),
                deadline=deadline,
                status=status,
                decision_id=decisions[-1] if status == ApplicationStatus.SUBMITTED else None,
            )
            for foundation, title, amount, deadline, status in [
                (
                    "Novo Nordisk Fonden",
                    "pilotprojekt 1",
                    "2500000.00",
                    d(2027, 2, 1),
                    ApplicationStatus.DRAFT,
                ),
                ("Lundbeckfonden", "dataplatform", "1200000.00", d(2026, 12, 15), "to_steering_group"),
                ("Innovationsfonden", "netværk", "800000.00", d(2026, 10, 1), ApplicationStatus.SUBMITTED),
                ("Kræftens Bekæmpelse", "CAR-T-forløb", "400000.00", None, ApplicationStatus.WITHDRAWN),
            ]
        ]
    )
    overdue = sum(1 for m in milestones if m.done_date is None and m.due_date < today)
    return f"{Project.objects.count()} projects, {len(milestones)} milestones ({overdue} overdue)"


# --- Requests ---------------------------------------------------------------------------------


def seed_requests(target: int, rng: random.Random, staff) -> int:
    """Add requests until there are ``target``, with their referrals; returns how many were added."""
    from django.db import transaction

    from accounts.models import User
    from inquiries.models import (
        AtmpClass,
        DevelopmentStage,
        Inquiry,
        Partner,
        Referral,
        ReferralOutcome,
        Region,
        Status,
        Topic,
    )

    S = Status
    statuses = (
        [S.CLOSED] * 70
        + [S.ANSWERED] * 10
        + [S.WITHDRAWN] * 3
        + [S.REFERRED] * 3
        + [S.WAITING_FOR_APPLICANT] * 3
        + [S.IN_PROGRESS] * 5
        + [S.IN_TRIAGE] * 3
        + [S.SUBMITTED] * 3
    )
    topics = Topic.values + [Topic.REGULATORY, Topic.CLINICAL_TRIALS, Topic.MANUFACTURING] * 2
    applicant_types = ["clinician", "researcher", "researcher", "company", "company", "hospital_pharmacy"]
    applicant_types += ["patient_organisation", "other"]
    partners = Partner.values + [Partner.MEDICINES_AGENCY, Partner.TRIAL_NATION] * 2
    applicants = list(User.objects.filter(email__startswith="bench-applicant").values_list("pk", flat=True))
    span = (LAST_DAY - FIRST_DAY).days + 1

    def later(day: datetime.date, after: datetime.datetime) -> datetime.datetime:
        moment = at(day, rng.randint(8, 15), rng.randrange(60))
        return moment if moment > after else after + datetime.timedelta(minutes=rng.randint(10, 300))

    have = Inquiry.objects.count()
    # In date order, as they arrive: the table is laid out by submission, as it will be in production.
    days = sorted(FIRST_DAY + datetime.timedelta(days=rng.randrange(span)) for _ in range(have, target))
    for first in range(have, target, 5000):
        batch, referred = [], []
        for n in range(first, min(first + 5000, target)):
            day = days[n - have]
            submitted = at(day, rng.randint(7, 22), rng.randrange(60))
            status = rng.choice(statuses)
            waited = status == S.WAITING_FOR_APPLICANT or (
                status in (S.CLOSED, S.ANSWERED) and rng.random() < 0.1
            )
            paused = rng.choice((1, 2, 3, 5, 8)) if waited else 0  # working days waiting for the applicant
            acknowledged = (
                None
                if status == S.SUBMITTED
                else later(working_days_after(day, rng.choice((0, 1, 1, 1, 2, 2, 3, 4))), submitted)
            )
            answers = status in (S.CLOSED, S.ANSWERED) or (
                status in (S.REFERRED, S.WITHDRAWN) and rng.random() < 0.4
            )
            answered = (
                later(
                    working_days_after(
                        day, rng.choice((2, 3, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 10, 11, 13)) + paused
                    ),
                    acknowledged or submitted,
                )
                if answers
                else None
            )
            closed = None
            if status == S.CLOSED and answered is not None:
                closed = answered + datetime.timedelta(days=rng.randint(0, 10), hours=1)
            elif status == S.WITHDRAWN:
                closed = (answered or acknowledged or submitted) + datetime.timedelta(days=rng.randint(1, 20))
            batch.append(
                Inquiry(
                    reference=f"ATMP-{day.year}-{n + 1:06d}",
                    applicant_id=rng.choice(applicants),
                    applicant_type=rng.choice(applicant_types),
                    organisation=rng.choice(ORGANISATIONS),
                    region=rng.choice(Region.values),
                    topic=rng.choice(topics),
                    atmp_class=rng.choice(AtmpClass.values),
                    development_stage=rng.choice(DevelopmentStage.values),
                    subject=f"Spørgsmål {n} om {rng.choice(['GMP', 'pilot', 'forsøgssteder', 'HTA'])}",
                    question="Lorem ipsum dolor sit amet. " * 20,
                    consent_given_at=submitted,
                    submitted_at=submitted,
                    status=status,
                    priority=rng.choice((1, 2, 2, 2, 3, 4)),
                    assignee_id=None if status == S.SUBMITTED else rng.choice(staff).pk,
                    acknowledged_at=acknowledged,
                    answered_at=answered,
                    closed_at=closed,
                    acknowledge_due=working_days_after(day, 2),
                    answer_due=working_days_after(day, 10 + paused),
                    paused_working_days=paused,
                )
            )
            if status == S.REFERRED or (status == S.CLOSED and rng.random() < 0.08):
                referred.append(len(batch) - 1)
        with transaction.atomic():
            created = Inquiry.objects.bulk_create(batch)
            Referral.objects.bulk_create(
                [
                    Referral(
                        inquiry_id=created[i].pk,
                        partner=rng.choice(partners),
                        note="Videresendt med ansøgerens samtykke.",
                        outcome=rng.choice(ReferralOutcome.values),
                        referred_by_id=created[i].assignee_id,
                        referred_at=(created[i].acknowledged_at or created[i].submitted_at)
                        + datetime.timedelta(days=rng.randint(1, 6)),
                    )
                    for i in referred
                ]
            )
    return max(target - have, 0)


# --- Seeding, all of it -----------------------------------------------------------------------


def seed(args, today: datetime.date):
    from django.db import connection, transaction

    from budget.models import LedgerEntry
    from governance.models import Meeting
    from projects.models import Milestone

    rng = random.Random(42)
    started = time.perf_counter()
    step = started

    def lap(what: str) -> None:
        nonlocal step
        now = time.perf_counter()
        print(f"  {what} ({now - step:.1f}s)", flush=True)
        step = now

    with transaction.atomic():
        from budget.reference_data import load as load_budget
        from governance.reference_data import load as load_governance
        from projects.reference_data import load as load_projects

        load_governance()
        load_projects()
        load_budget()
        member, secretariat, staff = ensure_users(args.applicants)
    lap("reference data and users")
    if not Meeting.objects.exists():
        with transaction.atomic():
            lap(seed_governance(rng, member, today))
    if not Milestone.objects.exists():
        with transaction.atomic():
            lap(seed_projects(rng, today))
    added = seed_requests(args.requests, rng, staff)
    if added:
        lap(f"{added} requests")
    from bench.budget_ledger import seed as seed_ledger

    added = seed_ledger(args.entries, rng)
    if added:
        lap(f"{added} ledger entries")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would have, by the time anyone looks
    lap("vacuum analyze")
    print(f"seeding took {time.perf_counter() - started:.1f}s", flush=True)
    assert LedgerEntry.objects.count() >= args.entries
    return member, secretariat


def ensure_steering_member(member) -> None:
    """The timed member holds an active steering group seat (as tests/conftest.py's steering_member)."""
    from governance.models import Body, Membership, Seat

    steering = Body.objects.get(code="steering-group")
    if not Membership.objects.active().filter(body=steering, user=member).exists():
        Membership.objects.create(
            body=steering,
            seat=Seat.objects.get(body=steering, code="danske-regioner"),
            user=member,
            full_name=member.full_name,
            start_date=datetime.date(2025, 7, 1),
        )


def summary(today: datetime.date) -> None:
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    from budget.models import LedgerEntry
    from governance.models import ActionItem, Meeting
    from inquiries.models import Inquiry, Referral

    per_year = dict(
        Inquiry.objects.order_by()
        .annotate(y=ExtractYear("submitted_at"))
        .values_list("y")
        .annotate(n=Count("pk"))
    )
    print(
        f"data: {sum(per_year.values()):,} requests ("
        + ", ".join(f"{y}: {n:,}" for y, n in sorted(per_year.items()))
        + f"), {Referral.objects.count():,} referrals, {LedgerEntry.objects.count():,} ledger entries, "
        f"{Meeting.objects.count()} meetings, "
        f"{ActionItem.objects.overdue(today).count()} action items overdue"
    )


# --- Timing -----------------------------------------------------------------------------------


def time_page(user, url: str, warmup: int, repeat: int):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    timings, counts = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        counts.append(len(queries))
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, counts, list(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reseed", action="store_true", help="drop the database and seed it again")
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=200_000, help="ledger entries")
    parser.add_argument("--applicants", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--slowest", type=int, default=0, help="print the N slowest queries of each page")
    args = parser.parse_args()

    url = database_url()
    ensure_database(url, args.reseed)
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse
    from django.utils import timezone

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    member, secretariat = seed(args, today)
    ensure_steering_member(member)
    summary(today)

    base = reverse("dashboard:index")
    pages = [
        ("(default: this year)", base),
        (f"?year={today.year}", f"{base}?year={today.year}"),
        ("?year=2025&quarter=2", f"{base}?year=2025&quarter=2"),
        ("?start=2024-01-01&end=2027-12-31", f"{base}?start=2024-01-01&end=2027-12-31"),
    ]
    people = [("steering member", member), ("secretariat", secretariat)]
    rows, slow = [], []
    for name, page in pages:
        for who, user in people:
            median, p95, counts, last = time_page(user, page, args.warmup, args.repeat)
            rows.append((name, who, median, p95, counts))
            slow.append((name, who, last))

    print()
    print(f"GET {base}, {args.warmup} warm-ups then {args.repeat} runs each")
    print(f"{'page':<34} {'who':<16} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, who, median, p95, counts in rows:
        queries = str(counts[0]) if len(set(counts)) == 1 else f"{min(counts)}-{max(counts)}"
        print(f"{name:<34} {who:<16} {median:>10.1f} {p95:>8.1f} {queries:>8}")
    varying = [(name, who, sorted(set(counts))) for name, who, _m, _p, counts in rows if len(set(counts)) > 1]
    print()
    if varying:
        for name, who, seen in varying:
            print(f"query count NOT constant: {name}, {who}: {seen}")
    else:
        print("query count: the same on every run of every page")

    for name, who, queries in slow if args.slowest else []:
        print(f"\nslowest queries, {name}, {who} (last run):")
        for query in sorted(queries, key=lambda q: -float(q["time"]))[: args.slowest]:
            print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")


if __name__ == "__main__":
    main()
