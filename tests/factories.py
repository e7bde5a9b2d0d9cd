"""One place that builds what the tests need: a factory per model, and the builders that go
through the portal's own services (a request is filed, a meeting scheduled, an entry posted the
way the portal does it, never by writing rows around the rules).
"""

import datetime
import io
import zipfile
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import ApplicantType, User
from accounts.roles import SECRETARIAT_GROUP
from budget.models import EntryKind, FundingApplication
from governance.models import ActionItem, AgendaItem, MeetingDocument
from inquiries.models import Referral
from projects.models import Deliverable, DeliverableKind, Milestone

DEFAULT_PASSWORD = "correct-horse-battery-staple"


def _verified_address(user: User, create: bool, extracted: object, **kwargs: object) -> None:
    """A verified primary address, as after the email confirmation (pass verified=False to skip)."""
    if create and extracted is not False:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


def _in_secretariat_group(user: User, create: bool, extracted: object, **kwargs: object) -> None:
    if create:
        user.groups.add(secretariat_group())


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="da_DK")
    organisation = "Aarhus Universitetshospital"
    applicant_type: str = ApplicantType.CLINICIAN
    preferred_language = "da"
    password = factory.django.Password(DEFAULT_PASSWORD)

    verified = factory.post_generation(_verified_address)


class SecretariatUserFactory(UserFactory):
    is_staff = True
    applicant_type = ""
    organisation = "Amgros"

    secretariat_group = factory.post_generation(_in_secretariat_group)


def secretariat_group() -> Group:
    """The group that every migrate (and every flush of the test database) brings up to date.

    A flush with serialized_rollback skips post_migrate; the next test then rebuilds the group
    with the same function that migrate runs.
    """
    group = Group.objects.filter(name=SECRETARIAT_GROUP).first()
    if group is None:
        from django.apps import apps

        from accounts.permissions import sync_secretariat_group

        for config in apps.get_app_configs():
            sync_secretariat_group(config)
        group = Group.objects.get(name=SECRETARIAT_GROUP)
    return group


def membership_for(user, body, *, seat_code: str | None = None, role: str = "member", start=None, end=None):
    """An appointment of ``user`` to ``body`` (active today unless dates say otherwise)."""
    import datetime

    from django.utils import timezone

    from governance.models import Membership, Seat

    seat = Seat.objects.get(body=body, code=seat_code) if seat_code else None
    return Membership.objects.create(
        body=body,
        seat=seat,
        user=user,
        full_name=user.full_name or user.email,
        role=role,
        start_date=start or timezone.localdate() - datetime.timedelta(days=30),
        end_date=end,
    )


# --- Files ------------------------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name="protocol.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx(name="notes.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


# --- Requests (inquiries) ---------------------------------------------------------------------

BASE_INQUIRY = {
    "applicant_type": "clinician",
    "organisation": "Rigshospitalet",
    "region": "hovedstaden",
    "topic": "hospital_exemption",
    "atmp_class": "somatic_cell",
    "development_stage": "phase_1",
    "subject": "Hospital exemption for a CAR-T product",
    "question": "Which documentation does the Danish Medicines Agency expect?",
    "wished_answer_date": None,
    "already_contacted": "",
    "shareable_summary": "",
    "confidential_details": "",
}


def submit(applicant, files=(), **overrides):
    """A request filed by ``applicant`` through ``inquiry_submit``, as the form files it."""
    from inquiries import services

    checked = [(f, "application/pdf") for f in files]
    return services.inquiry_submit(actor=applicant, **{**BASE_INQUIRY, **overrides}, files=checked)


class ReferralFactory(factory.django.DjangoModelFactory[Referral]):
    class Meta:
        model = Referral

    partner = "medicines_agency"


# --- Governance -------------------------------------------------------------------------------


def at(days: float, hour: int = 10) -> datetime.datetime:
    """A Copenhagen wall-clock time ``days`` from today."""
    day = timezone.localdate() + datetime.timedelta(days=int(days))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def plan(body, *, in_days: int = 20, hours: int = 2, **fields):
    """A meeting of ``body`` scheduled through ``meeting_schedule``."""
    from governance import services

    starts = at(in_days)
    return services.meeting_schedule(
        actor=None, body=body, starts_at=starts, ends_at=starts + datetime.timedelta(hours=hours), **fields
    )


def decide(body, *, in_days: int = -10, title: str = "Decision", text: str = "Agreed.", **fields):
    """A decision recorded through ``decision_record`` at a meeting of ``body``."""
    from governance import services

    return services.decision_record(
        actor=None, meeting=plan(body, in_days=in_days), title=title, text=text, **fields
    )


class AgendaItemFactory(factory.django.DjangoModelFactory[AgendaItem]):
    class Meta:
        model = AgendaItem

    position = factory.Sequence(int)
    title = factory.Sequence(lambda n: f"Item {n}")
    duration_minutes = 30


class MeetingDocumentFactory(factory.django.DjangoModelFactory[MeetingDocument]):
    class Meta:
        model = MeetingDocument

    title = "Board pack"
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4\nboard pack\n", name="pack.pdf"))


class ActionItemFactory(factory.django.DjangoModelFactory[ActionItem]):
    class Meta:
        model = ActionItem

    title = factory.Sequence(lambda n: f"Action {n}")


def with_agenda(meeting, *titles):
    for position, title in enumerate(titles or ("Opening", "Analysis II")):
        AgendaItemFactory.create(meeting=meeting, position=position, title=title)
    return meeting


def with_document(meeting, *, title="Board pack", name="pack.pdf", publish=True):
    from governance import services

    document = MeetingDocumentFactory.create(
        meeting=meeting, title=title, file=ContentFile(b"%PDF-1.4\nboard pack\n", name=name)
    )
    if publish:
        services.documents_publish(actor=None, meeting=meeting)
    return document


# --- Projects ---------------------------------------------------------------------------------


class MilestoneFactory(factory.django.DjangoModelFactory[Milestone]):
    class Meta:
        model = Milestone

    title_da = factory.Sequence(lambda n: f"Milepæl {n}")
    due_date = datetime.date(2026, 6, 1)


class DeliverableFactory(factory.django.DjangoModelFactory[Deliverable]):
    class Meta:
        model = Deliverable

    title = "Checklist for early advice"
    kind = DeliverableKind.CHECKLIST
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4\nchecklist\n", name="checklist.pdf"))


def deliverable(project, *, title="Checklist for early advice", with_file=True, **fields):
    if not with_file:
        fields["file"] = ""
    return DeliverableFactory.create(project=project, title=title, **fields)


# --- Budget -----------------------------------------------------------------------------------

LEDGER_DAY = datetime.date(2025, 3, 14)


def post(grant, category, by, *, kind=EntryKind.COMMITMENT, amount="1000.00", year=2025, **fields):
    """One posting through ``ledger_post``, with the dull fields filled in."""
    from budget import services

    fields.setdefault("description", f"{kind} {amount}")
    fields.setdefault("date", LEDGER_DAY)
    return services.ledger_post(
        grant=grant, year=year, kind=kind, amount=Decimal(amount), category=category, actor=by, **fields
    )


class FundingApplicationFactory(factory.django.DjangoModelFactory[FundingApplication]):
    class Meta:
        model = FundingApplication

    foundation = "Eksempelfonden"
    title = factory.Sequence(lambda n: f"Application {n}")
    purpose = "Pilot projects"
    amount = Decimal("250000.00")


# --- Network (directory) ----------------------------------------------------------------------


def directory_entry(name="Demo GMP unit (demo)", *, region="hovedstaden", entry_type="facility", **fields):
    """A directory entry made through ``entry_create``; capabilities by code."""
    from network import services
    from network.models import Capability

    codes = fields.pop("capability_codes", ())
    capabilities = list(Capability.objects.filter(code__in=codes))
    assert len(capabilities) == len(codes), "load the capabilities first (the `capabilities` fixture)"
    fields.setdefault("contact_email", "gmp@unit.example")
    return services.entry_create(
        actor=None, name=name, region=region, entry_type=entry_type, capabilities=capabilities, **fields
    )


# --- Knowledge --------------------------------------------------------------------------------


def library_item(*, publish=True, actor=None, tags=None, files=(), **fields):
    """A library item made through ``item_create`` (and published through ``item_publish``)."""
    from knowledge import services

    defaults = {
        "kind": "article",
        "title_da": "Vejledning om hospitalsundtagelse",
        "title_en": "Guidance on the hospital exemption",
        "summary_da": "Kort om hospitalsundtagelsen.",
        "summary_en": "In short on the hospital exemption.",
        "body_da": "## Trin\n\nFørst søger man.",
        "body_en": "## Steps\n\nFirst you apply.",
    }
    item = services.item_create(actor=actor, tags=tags or {}, **{**defaults, **fields})
    for title, name, content in files:
        services.item_file_save(item=item, actor=actor, title=title, upload=SimpleUploadedFile(name, content))
    if publish:
        item = services.item_publish(item=item, actor=actor)
    return item
