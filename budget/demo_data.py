"""Demo ledger and funding application for `make run`.

A plausible first two years: secretariat costs, meetings and communication in 2025 and 2026, a
consultancy commitment for analysis I with a first invoice paid against it, and one expense
booked on the wrong cost category and reversed. One application to a (fictitious) foundation
waits for the steering group, with the decision that can clear it already in the register, so a
new user can take it through the steering group to a grant in the admin. Idempotent: nothing is
posted when the ledger already has entries.
"""

import datetime
from decimal import Decimal

from accounts.models import User
from budget import services
from budget.models import ApplicationStatus, CostCategory, EntryKind, FundingApplication, Grant, LedgerEntry
from governance import services as governance
from governance.models import Body, DecisionConcerns, Meeting, MeetingStatus
from projects.models import Project

SECRETARIAT_EMAIL = "sekretariat@atmp-demo.example"


def load() -> list[str]:
    grant = Grant.objects.filter(code="ls-2024-2027-amgros").first()
    poster = User.objects.filter(email=SECRETARIAT_EMAIL).first()
    steering = Body.objects.filter(code="steering-group").first()
    held = (
        Meeting.objects.filter(body=steering, status=MeetingStatus.HELD).order_by("-starts_at").first()
        if steering
        else None
    )
    if grant is None or poster is None or held is None:
        return ["Budget demo: skipped (load the reference data and the other demo data first)."]
    if LedgerEntry.objects.exists():
        return ["Budget demo: already there."]

    category = {c.code: c for c in CostCategory.objects.all()}
    analysis_one = Project.objects.filter(code="I").first()

    def post(year, month, day, kind, amount, code, text, voucher="", project=None, commitment=None):
        return services.ledger_post(
            grant=grant,
            year=year,
            kind=kind,
            amount=Decimal(amount),
            category=category[code],
            description=text,
            actor=poster,
            date=datetime.date(year, month, day),
            project=project,
            commitment=commitment,
            voucher=voucher,
        ).entry

    post(
        2024,
        12,
        16,
        EntryKind.EXPENSE,
        "185000.00",
        "secretariat",
        "Etablering af sekretariatet, december",
        "B-2024-311",
    )
    post(
        2025,
        6,
        30,
        EntryKind.EXPENSE,
        "1150000.00",
        "secretariat",
        "Sekretariatsbetjening, 1. halvår 2025",
        "B-2025-118",
    )
    post(
        2025,
        12,
        19,
        EntryKind.EXPENSE,
        "1240000.00",
        "secretariat",
        "Sekretariatsbetjening, 2. halvår 2025",
        "B-2025-402",
    )
    post(
        2025,
        10,
        2,
        EntryKind.EXPENSE,
        "86500.00",
        "involvement",
        "Opstartsmøde for referencegruppen, lokaler og forplejning",
        "B-2025-331",
    )
    post(
        2025,
        11,
        14,
        EntryKind.EXPENSE,
        "142000.00",
        "communication",
        "Hjemmeside og visuel identitet",
        "B-2025-377",
    )
    post(
        2026,
        3,
        31,
        EntryKind.EXPENSE,
        "640000.00",
        "secretariat",
        "Sekretariatsbetjening, 1. kvartal 2026",
        "B-2026-091",
    )
    post(
        2026,
        6,
        30,
        EntryKind.EXPENSE,
        "655000.00",
        "secretariat",
        "Sekretariatsbetjening, 2. kvartal 2026",
        "B-2026-188",
    )
    consultancy = post(
        2026,
        2,
        10,
        EntryKind.COMMITMENT,
        "900000.00",
        "project-management",
        "Konsulentbistand til analyse I (kontrakt)",
        "K-2026-004",
        project=analysis_one,
    )
    post(
        2026,
        5,
        20,
        EntryKind.EXPENSE,
        "360000.00",
        "project-management",
        "Analyse I: 1. rate til konsulent",
        "B-2026-152",
        project=analysis_one,
        commitment=consultancy,
    )
    post(
        2026,
        4,
        22,
        EntryKind.COMMITMENT,
        "250000.00",
        "involvement",
        "Nordisk ATMP-seminar i København (aftale)",
        "K-2026-011",
    )
    wrong = post(
        2026, 9, 3, EntryKind.EXPENSE, "48000.00", "communication", "Rejser til EU-møde om ATMP", "B-2026-240"
    )
    services.ledger_reverse(
        entry=wrong,
        actor=poster,
        reason="bogført på forkert omkostningskategori",
        date=datetime.date(2026, 9, 5),
    )
    post(2026, 9, 5, EntryKind.EXPENSE, "48000.00", "involvement", "Rejser til EU-møde om ATMP", "B-2026-240")

    decision = governance.decision_record(
        actor=None,
        meeting=held,
        title="Ansøgning til Eksempelfonden kan indsendes",
        text="Styregruppen godkender, at sekretariatet indsender ansøgningen om midler til et nordisk "
        "erfaringsnetværk til Eksempelfonden.",
        concerns=DecisionConcerns.FUNDING_APPLICATION,
    )
    application = FundingApplication.objects.create(
        foundation="Eksempelfonden (demo)",
        title="Nordisk erfaringsnetværk for ATMP",
        purpose="Et netværk for erfaringsudveksling om implementering af ATMP i de nordiske lande, "
        "med to årlige seminarer og en fælles vidensbank.",
        amount=Decimal("500000.00"),
        deadline=datetime.date(2027, 2, 1),
    )
    services.application_transition(
        application=application,
        to_status=ApplicationStatus.TO_STEERING_GROUP,
        actor=poster,
        note="Til styregruppens næste møde.",
    )
    return [
        f"Budget demo: 14 ledger entries (one reversed) and an application awaiting the steering group "
        f"(decision {decision.number} can clear it)."
    ]
