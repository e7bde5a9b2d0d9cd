"""The benchmarks' shared data: one seeding for bench/perf.py and bench/dashboard.py (issue 21).

``seed(requests, entries)`` fills the database Django is set up with, once (a second call adds
only what is missing), and returns how long each part took:

- the reference data (bodies and seats, the projects I–V, the budget), five staff, the
  secretariat user who is timed (with an authenticator) and a steering group member, applicants;
- meetings 2024–2027 of the steering group, the reference group and three working groups (held
  before now, planned after, a few cancelled), with decisions, action items (some overdue) and
  memberships filling most seats (a few vacant, a few terms ending soon); the projects'
  milestones (some overdue) and a few funding applications;
- ``requests`` requests submitted over 2024-01-01..2027-12-31 in date order, as they arrive,
  varied in topic, applicant type, ATMP class, region and status, most acknowledged and
  answered a few working days in, some referred; five messages on every fifth; and ``entries``
  ledger entries (commitments, expenses against them, releases): written with COPY, past the
  services (fine for volume), then the summaries the services keep are rebuilt from the raw rows;
- one request handled through the services (a thread of six with attachments, a referral and its
  history): the one whose admin change page is timed.

Point it at a scratch PostgreSQL database only (the ledger refuses deletes: dropping the database
is the way to start again).
"""

import datetime
import functools
import itertools
import random
import time
from decimal import Decimal

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


# --- Requests, messages, the ledger (COPY) and the timed request ------------------------------


def copy_rows(model, rows) -> int:
    """COPY ``rows`` (dicts of attname -> value) into ``model``'s table; missing columns get defaults."""
    from django.db import connection

    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.attname in first]
    columns = [f'"{f.column}"' for f in fields]
    defaults = {f.attname: f.get_default() for f in fields}
    now = datetime.datetime.now(datetime.UTC)
    n = 0
    with connection.cursor() as cursor:
        statement = f'COPY "{model._meta.db_table}" ({", ".join(columns)}) FROM STDIN'
        with cursor.cursor.copy(statement) as copy:
            for row in itertools.chain([first], rows):
                values = []
                for f in fields:
                    if f.attname in row:
                        values.append(row[f.attname])
                    elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                        values.append(now)
                    else:
                        values.append(defaults[f.attname])
                copy.write_row(values)
                n += 1
    return n


def next_ids(model, count: int) -> int:
    """Reserve ``count`` ids of ``model``'s sequence; returns the first."""
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
        first = cursor.fetchone()[0] + 1
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), %s)", [first + count - 1])
    return first


def seed_requests(target: int, rng: random.Random, staff) -> None:
    from django.utils import timezone

    from accounts.models import User
    from inquiries.clock import working_days_between
    from inquiries.models import (
        AtmpClass,
        DevelopmentStage,
        Inquiry,
        Message,
        Partner,
        Referral,
        ReferralOutcome,
        Region,
        Status,
        Topic,
    )

    zone = timezone.get_current_timezone()
    stored_durations = {f.attname for f in Inquiry._meta.concrete_fields} >= {
        "working_days_to_acknowledge",
        "working_days_to_answer",
    }
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
    words = ["GMP", "pilot", "forsøgssteder", "HTA", "trial sites", "vektor", "CAR-T", "hospitalsundtagelse"]
    applicants = list(User.objects.filter(email__startswith="bench-applicant").values_list("pk", flat=True))
    span = (LAST_DAY - FIRST_DAY).days + 1
    staff_ids = [u.pk for u in staff]
    question = "Lorem ipsum dolor sit amet. " * 20

    def at(day, hour, minute):
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)

    def later(day, after):
        moment = at(day, rng.randint(8, 15), rng.randrange(60))
        return moment if moment > after else after + datetime.timedelta(minutes=rng.randint(10, 300))

    first_id = next_ids(Inquiry, target)
    days = sorted(FIRST_DAY + datetime.timedelta(days=rng.randrange(span)) for _ in range(target))
    referrals, messages = [], []

    def rows():
        for n in range(target):
            day = days[n]
            pk = first_id + n
            submitted = at(day, rng.randint(7, 22), rng.randrange(60))
            status = rng.choice(statuses)
            waited = status == S.WAITING_FOR_APPLICANT or (
                status in (S.CLOSED, S.ANSWERED) and rng.random() < 0.1
            )
            paused = rng.choice((1, 2, 3, 5, 8)) if waited else 0
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
            if status == S.CLOSED:
                assert answered is not None  # every closed request was answered first
                closed = answered + datetime.timedelta(days=rng.randint(0, 10), hours=1)
            elif status == S.WITHDRAWN:
                since = answered or acknowledged
                assert since is not None  # a withdrawn request was at least acknowledged
                closed = since + datetime.timedelta(days=rng.randint(1, 20))
            assignee = None if status == S.SUBMITTED else rng.choice(staff_ids)
            row = {
                "id": pk,
                "reference": f"ATMP-{day.year}-{n + 1:07d}",
                "applicant_id": rng.choice(applicants),
                "applicant_type": rng.choice(applicant_types),
                "organisation": rng.choice(ORGANISATIONS),
                "region": rng.choice(Region.values),
                "topic": rng.choice(topics),
                "atmp_class": rng.choice(AtmpClass.values),
                "development_stage": rng.choice(DevelopmentStage.values),
                "subject": f"Spørgsmål {n} om {rng.choice(words)}",
                "question": question,
                "consent_given_at": submitted,
                "submitted_at": submitted,
                "status": status,
                "priority": rng.choice((1, 2, 2, 2, 3, 4)),
                "assignee_id": assignee,
                "acknowledged_at": acknowledged,
                "answered_at": answered,
                "closed_at": closed,
                "acknowledge_due": working_days_after(day, 2),
                "answer_due": working_days_after(day, 10 + paused),
                "paused_working_days": paused,
                "updated_at": closed or answered or acknowledged or submitted,
            }
            if stored_durations:
                local = timezone.localdate
                row["working_days_to_acknowledge"] = (
                    working_days_between(day, local(acknowledged)) if acknowledged else None
                )
                row["working_days_to_answer"] = (
                    working_days_between(day, local(answered)) if answered else None
                )
            if status == S.REFERRED or (status == S.CLOSED and rng.random() < 0.08):
                referrals.append(
                    {
                        "inquiry_id": pk,
                        "partner": rng.choice(partners),
                        "note": "Videresendt med ansøgerens samtykke.",
                        "outcome": rng.choice(ReferralOutcome.values),
                        "outcome_note": "",
                        "referred_by_id": assignee,
                        "referred_at": (acknowledged or submitted)
                        + datetime.timedelta(days=rng.randint(1, 6)),
                    }
                )
            if n % 5 == 0:
                for m in range(5):
                    messages.append(
                        {
                            "inquiry_id": pk,
                            "author_id": row["applicant_id"] if m % 2 == 0 else (assignee or staff_ids[0]),
                            "kind": ("applicant", "reply", "internal")[m % 3],
                            "body": "Tak for svaret. Vi vender tilbage med mere. " * 4,
                            "created_at": submitted + datetime.timedelta(hours=m + 1),
                        }
                    )
            yield row

    copy_rows(Inquiry, rows())
    copy_rows(Referral, referrals)
    copy_rows(Message, messages)


def seed_ledger(target: int, rng: random.Random) -> None:
    from accounts.models import User
    from bench.budget_ledger import DESCRIPTIONS
    from budget.models import CostCategory, EntryKind, Grant, LedgerEntry
    from projects.models import Project

    grant = Grant.objects.get(code="ls-2024-2027-amgros")
    categories = list(CostCategory.objects.values_list("pk", flat=True))
    projects = [None] * 5 + list(Project.objects.values_list("pk", flat=True))
    posters = [
        User.objects.get_or_create(
            email=f"bench-budget{i}@example.org",
            defaults={"full_name": name, "is_staff": True, "password": "!"},
        )[0].pk
        for i, name in enumerate(["Søren Ærø", "Åse Øster", ""])
    ]
    first = next_ids(LedgerEntry, target)
    now = datetime.datetime.now(datetime.UTC)

    def entry(pk, kind, amount, committed, spent, like=None, commitment=None):
        year = like["year"] if like else rng.choice((2024, 2025, 2026, 2027))
        return {
            "id": pk,
            "date": datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365)),
            "year": year,
            "grant_id": grant.pk,
            "category_id": like["category_id"] if like else rng.choice(categories),
            "project_id": like["project_id"] if like else rng.choice(projects),
            "decision_id": None,
            "kind": kind,
            "amount": amount,
            "committed_effect": committed,
            "spent_effect": spent,
            "commitment_id": commitment,
            "reverses_id": None,
            "voucher": f"B-{pk:07d}",
            "description": rng.choice(DESCRIPTIONS),
            "posted_by_id": rng.choice(posters),
            "posted_at": now,
        }

    def rows():
        pk = first
        end = first + target
        while pk < end:
            amount = Decimal(rng.randrange(30_000, 300_000))
            c = entry(pk, EntryKind.COMMITMENT, amount, amount, Decimal("0.00"))
            yield c
            pk += 1
            one, two = (amount / 3).quantize(Decimal("0.01")), (amount / 4).quantize(Decimal("0.01"))
            rest = amount - one - two
            spend = Decimal(rng.randrange(100, 20_000)) + Decimal("0.50")
            for kind, amt, committed, spent, against in (
                (EntryKind.EXPENSE, one, -one, one, True),
                (EntryKind.EXPENSE, two, -two, two, True),
                (EntryKind.RELEASE, -rest, -rest, Decimal("0.00"), True),
                (EntryKind.EXPENSE, spend, Decimal("0.00"), spend, False),
            ):
                if pk >= end:
                    return
                yield entry(
                    pk,
                    kind,
                    amt,
                    committed,
                    spent,
                    like=c if against else None,
                    commitment=c["id"] if against else None,
                )
                pk += 1

    copy_rows(LedgerEntry, rows())


def timed_request(staff, applicant) -> int:
    """One request handled through the services: a thread of six with attachments, a referral, history."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from inquiries import services

    inquiry = services.inquiry_submit(
        actor=applicant,
        applicant_type="clinician",
        region="hovedstaden",
        topic="regulatory",
        atmp_class="gene_therapy",
        development_stage="phase_1",
        subject="Benchmark: the request whose change page is timed",
        question="Hvordan søger vi om hospitalsundtagelse? " * 30,
        files=[(SimpleUploadedFile("plan.pdf", b"%PDF-1.4 bench"), "application/pdf")],
    )
    services.inquiry_assign(inquiry=inquiry, assignee=staff, actor=staff)
    for n in range(3):
        services.message_post(
            inquiry=inquiry,
            actor=staff,
            body=f"Svar {n}: " + "Se vejledningen. " * 20,
            internal=n == 1,
            files=[(SimpleUploadedFile(f"bilag{n}.pdf", b"%PDF-1.4 x"), "application/pdf")],
        )
        services.inquiry_reply_by_applicant(inquiry=inquiry, actor=applicant, body="Tak. " * 10)
    services.referral_create(inquiry=inquiry, actor=staff, partner="medicines_agency", note="Videresendt.")
    return inquiry.pk


def rebuild_summaries() -> list[str]:
    """The summaries the services keep, rebuilt from the raw rows, where this code has them."""
    import importlib

    done = []
    for module, function in (
        ("inquiries.summaries", "inquiry_summaries_rebuild"),
        ("budget.summaries", "ledger_summaries_rebuild"),
    ):
        try:
            rebuild = getattr(importlib.import_module(module), function)
        except (ImportError, AttributeError):
            continue
        rebuild()
        done.append(f"{module}.{function}")
    return done


def seed(requests: int, entries: int) -> dict:
    from allauth.mfa.totp.internal.auth import TOTP
    from django.db import connection, transaction
    from django.utils import timezone

    from budget.reference_data import load as load_budget
    from governance.models import Meeting
    from governance.reference_data import load as load_governance
    from inquiries.models import Inquiry
    from projects.models import Milestone
    from projects.reference_data import load as load_projects

    today = timezone.localdate()
    rng = random.Random(21)
    laps = {}
    started = time.perf_counter()
    with transaction.atomic():
        load_governance()
        load_projects()
        load_budget()
        member, secretariat, staff = ensure_users(300)
        if not secretariat.authenticator_set.exists():
            TOTP.activate(secretariat, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    if not Meeting.objects.exists():
        with transaction.atomic():
            seed_governance(rng, member, today)
    if not Milestone.objects.exists():
        with transaction.atomic():
            seed_projects(rng, today)
    ensure_steering_member(member)
    laps["reference, governance, projects"] = time.perf_counter() - started
    if not Inquiry.objects.exists():
        t = time.perf_counter()
        with transaction.atomic():
            seed_requests(requests, rng, staff)
        laps["requests, referrals, messages (COPY)"] = time.perf_counter() - t
        t = time.perf_counter()
        with transaction.atomic():
            seed_ledger(entries, rng)
        laps["ledger (COPY)"] = time.perf_counter() - t
        t = time.perf_counter()
        applicant = staff[0].__class__.objects.filter(email__startswith="bench-applicant").first()
        timed_request(secretariat, applicant)
        laps["timed request (services)"] = time.perf_counter() - t
        t = time.perf_counter()
        rebuilt = rebuild_summaries()
        laps[f"summaries rebuilt ({', '.join(rebuilt) or 'none in this code'})"] = time.perf_counter() - t
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        laps["vacuum analyze"] = time.perf_counter() - t
    return laps


def sign_in_with_second_factor(client, user) -> None:
    """The session a real sign-in with a TOTP code leaves (as tests.conftest.sign_in): without it
    the secretariat's pages send a staff user to pass the second factor."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

    client.force_login(user)
    totp = user.authenticator_set.get(type="totp")
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "id": totp.pk, "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
