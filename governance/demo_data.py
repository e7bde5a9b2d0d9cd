"""Demo governance for `make run`: members in both groups (the demo steering user among them),
a held steering group meeting with circulated minutes and decisions, and the next one planned
with an agenda and a published document pack. Idempotent: matched on names and dates."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import User
from audit import stamps
from governance import services
from governance.models import (
    ActionItem,
    AgendaItem,
    AgendaItemKind,
    Body,
    DecisionConcerns,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    Membership,
    MembershipRole,
    Seat,
)

STEERING_USER = "styregruppe@atmp-demo.example"

# seat code, name, position, role, demo email (none: no account)
STEERING_MEMBERS = [
    ("ism", "Mette Kongsted", "Kontorchef, Indenrigs- og Sundhedsministeriet", MembershipRole.CO_CHAIR),
    ("health-director", "Stine Styregruppe", "Sundhedsdirektør, Region Syddanmark", MembershipRole.CO_CHAIR),
    ("danske-regioner", "Henrik Bach", "Chefkonsulent, Danske Regioner", MembershipRole.MEMBER),
    ("amgros", "Louise Friis", "Direktør, Amgros", MembershipRole.MEMBER),
    ("medical-directors", "Peter Holm", "Lægefaglig direktør, Rigshospitalet", MembershipRole.MEMBER),
    (
        "medical-directors",
        "Jens Lauritsen",
        "Lægefaglig direktør, Aarhus Universitetshospital",
        MembershipRole.MEMBER,
    ),
    ("dkma", "Karen Nørgaard", "Enhedschef, Lægemiddelstyrelsen", MembershipRole.MEMBER),
    ("medicinraadet", "Anders Vestergaard", "Direktør, Medicinrådet", MembershipRole.MEMBER),
    ("danske-universiteter", "Maria Thomsen", "Prodekan, Københavns Universitet", MembershipRole.MEMBER),
]
REFERENCE_MEMBERS = [
    ("trial-nation", "Sofie Lund", "Direktør, Trial Nation"),
    ("dss", "Rasmus Kjær", "Sygehusapoteker, Region Midtjylland"),
    ("danske-patienter", "Camilla Berg", "Politisk konsulent, Danske Patienter"),
    ("lif", "Thomas Winther", "Direktør, Lægemiddelindustriforeningen"),
    ("region-nordjylland", "Birgitte Dahl", "Overlæge, Aalborg Universitetshospital"),
]


def _local(date: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour, minute)))


def _ensure_member(body, seat_code, name, position, role, start, user=None) -> Membership:
    seat = Seat.objects.get(body=body, code=seat_code)
    membership, _ = Membership.objects.get_or_create(
        body=body,
        full_name=name,
        defaults={
            "seat": seat,
            "position_title": position,
            "role": role,
            "start_date": start,
            "end_date": start.replace(year=start.year + 3) if seat_code != "amgros" else None,
            "email": f"{name.split()[0].lower()}@atmp-demo.example",
            "user": user,
        },
    )
    return membership


def load() -> list[str]:
    steering = Body.objects.filter(code="steering-group").first()
    reference = Body.objects.filter(code="reference-group").first()
    if steering is None or reference is None:
        return ["Governance demo: skipped (load the reference data first)."]
    today = timezone.localdate()
    start = datetime.date(2025, 3, 1)
    user = User.objects.filter(email=STEERING_USER).first()
    before = Membership.objects.count()
    for seat_code, name, position, role in STEERING_MEMBERS:
        _ensure_member(
            steering, seat_code, name, position, role, start, user if name == "Stine Styregruppe" else None
        )
    for seat_code, name, position in REFERENCE_MEMBERS:
        _ensure_member(reference, seat_code, name, position, MembershipRole.MEMBER, start)
    # One reference group term ends soon, so the secretariat's "ends within 60 days" list has a row.
    Membership.objects.filter(body=reference, full_name="Birgitte Dahl").update(
        end_date=today + datetime.timedelta(days=30)
    )
    stamps.bump(Membership)
    members_created = Membership.objects.count() - before

    if Meeting.objects.filter(body=steering).exists():
        return [f"Governance demo: {members_created} members created; meetings already there."]

    held = services.meeting_schedule(
        actor=None,
        body=steering,
        starts_at=_local(today - datetime.timedelta(days=40), 13),
        ends_at=_local(today - datetime.timedelta(days=40), 15),
        location="Amgros, Dampfærgevej 22, 2100 København Ø",
    )
    for order, (title, kind) in enumerate(
        [
            ("Godkendelse af dagsorden", AgendaItemKind.DECISION),
            ("Analyse II: regulatoriske forhold – igangsættelse", AgendaItemKind.DECISION),
            ("Budget 2026", AgendaItemKind.INFORMATION),
        ]
    ):
        AgendaItem.objects.create(meeting=held, position=order, title=title, kind=kind, duration_minutes=30)
    Meeting.objects.filter(pk=held.pk).update(status=MeetingStatus.HELD)
    stamps.bump(Meeting)
    held.refresh_from_db()
    services.minutes_update(
        actor=None,
        meeting=held,
        text="Styregruppen drøftede analyse II og besluttede at igangsætte den.\n\n"
        "Budgettet for 2026 blev taget til efterretning.",
    )
    services.minutes_circulate(actor=None, meeting=held)
    decision = services.decision_record(
        actor=None,
        meeting=held,
        title="Igangsættelse af analyse II om regulatoriske forhold",
        text="Styregruppen igangsætter analyse II i samarbejde med Lægemiddelstyrelsen. Sekretariatet "
        "fremlægger tidsplan og tjekliste på næste møde.",
        # A public decision written in both languages; the others show their Danish, marked lang="da".
        title_en="Start of analysis II on regulatory matters",
        text_en="The steering group starts analysis II together with the Danish Medicines Agency. The "
        "secretariat presents a timetable and checklist at the next meeting.",
        concerns=DecisionConcerns.PROJECT,
        is_public=True,
    )
    ActionItem.objects.create(
        decision=decision,
        title="Fremlæg tidsplan for analyse II",
        owner=Membership.objects.get(body=steering, full_name="Stine Styregruppe"),
        due_date=today + datetime.timedelta(days=10),
    )
    ActionItem.objects.create(
        decision=decision,
        title="Koordinér med Lægemiddelstyrelsens tidlige rådgivning",
        owner_label="Amgros' sekretariat",
        due_date=today - datetime.timedelta(days=5),
    )

    upcoming = services.meeting_schedule(
        actor=None,
        body=steering,
        starts_at=_local(today + datetime.timedelta(days=12), 10),
        ends_at=_local(today + datetime.timedelta(days=12), 12),
        location="Danske Regioner, Dampfærgevej 22, 2100 København Ø",
        online_url="https://meet.example.dk/atmp-styregruppe",
    )
    for order, (title, kind, presenter) in enumerate(
        [
            ("Godkendelse af referat fra sidste møde", AgendaItemKind.DECISION, "Formandskabet"),
            ("Analyse II: tidsplan og tjekliste", AgendaItemKind.DISCUSSION, "Amgros"),
            ("Ansøgning til privat fond om pilotprojekt", AgendaItemKind.DECISION, "Amgros"),
            ("Eventuelt", AgendaItemKind.INFORMATION, ""),
        ]
    ):
        AgendaItem.objects.create(
            meeting=upcoming,
            position=order,
            title=title,
            kind=kind,
            presenter=presenter,
            duration_minutes=20,
        )
    MeetingDocument.objects.create(
        meeting=upcoming,
        title="Dagsorden og bilag",
        file=ContentFile(b"%PDF-1.4\n% ATMP Danmark demo document\n", name="dagsorden.pdf"),
    )
    services.documents_publish(actor=None, meeting=upcoming)
    return [f"Governance demo: {members_created} members, 2 steering group meetings, 1 decision created."]
