"""Demo requests for `make run`, so that the secretariat's queue is not empty. Idempotent."""

from typing import Any

from accounts.models import User
from inquiries import services
from inquiries.models import CannedReply, Inquiry, Status

DEMO_REQUESTS = [
    {
        "subject": "Hospitalsundtagelse for et CAR-T-produkt",
        "question": (
            "Hvilken dokumentation forventer Lægemiddelstyrelsen ved en ansøgning om hospitalsundtagelse?"
        ),
        "topic": "hospital_exemption",
        "atmp_class": "somatic_cell",
        "development_stage": "hospital_exemption",
        "flow": [],  # left unassigned: the first thing the secretariat finds in the queue
    },
    {
        "subject": "Forsøgssteder til et fase I-genterapiforsøg",
        "question": "Hvilke danske hospitaler kan gennemføre et first-in-human-forsøg med en AAV-vektor?",
        "topic": "clinical_trials",
        "atmp_class": "gene_therapy",
        "development_stage": "preclinical",
        "flow": ["assign", "note", "reply", "refer"],
    },
    {
        "subject": "Real world data efter ibrugtagning",
        "question": (
            "Hvordan kan vi indsamle opfølgningsdata for patienter behandlet med et vævsmanipuleret produkt?"
        ),
        "topic": "real_world_data",
        "atmp_class": "tissue_engineered",
        "development_stage": "in_use",
        "flow": ["assign", "waiting"],
    },
    {
        "subject": "Tilskud til en genterapi efter markedsføringstilladelsen",
        "question": (
            "Hvornår kan vi indsende en ansøgning til Medicinrådet, og hvilke data skal vi have klar?"
        ),
        "topic": "hta",
        "atmp_class": "gene_therapy",
        "development_stage": "marketing_authorisation",
        "flow": ["assign", "answer"],  # answered, so the dashboard has a first answer to time
    },
]

CANNED = [
    (
        "Tak – vi vender tilbage",
        "Tak for din henvendelse. Vi undersøger sagen og vender tilbage inden for svarfristen.",
        "Thank you for your request. We are looking into it and will come back to you within the deadline.",
    ),
    (
        "Henvist til Lægemiddelstyrelsen",
        "Dit spørgsmål hører under Lægemiddelstyrelsen, som vi har sendt det videre til.",
        "Your question falls under the Danish Medicines Agency, to which we have passed it on.",
    ),
]


def load() -> list[str]:
    applicant = User.objects.filter(email="ansoeger@atmp-demo.example").first()
    staff = User.objects.filter(email="sekretariat@atmp-demo.example").first()
    if applicant is None or staff is None:
        return ["Demo requests skipped: the demo users are missing."]
    for title, body_da, body_en in CANNED:
        CannedReply.objects.get_or_create(title=title, defaults={"body_da": body_da, "body_en": body_en})
    made = []
    for spec in DEMO_REQUESTS:
        if Inquiry.objects.filter(applicant=applicant, subject=spec["subject"]).exists():
            continue
        data: dict[str, Any] = {
            "applicant_type": "clinician",
            "organisation": applicant.organisation,
            "region": "hovedstaden",
            **{k: v for k, v in spec.items() if k != "flow"},
        }
        inquiry = services.inquiry_submit(actor=applicant, **data)
        for step in spec["flow"]:
            _step(step, inquiry, staff)
        made.append(inquiry.reference)
    lines = [
        "",
        f"Demo requests: {Inquiry.objects.filter(applicant=applicant).count()} for {applicant.email}",
    ]
    if made:
        lines.append(f"  new: {', '.join(made)}")
    return lines


def _step(step: str, inquiry: Inquiry, staff: User) -> None:
    """One step of a demo request's history, through the services as the secretariat takes it."""
    if step == "assign":
        services.inquiry_assign(inquiry=inquiry, assignee=staff, actor=staff)
    elif step == "note":
        services.message_post(
            inquiry=inquiry, actor=staff, body="Tjek med Trial Nation først.", internal=True
        )
    elif step == "reply":
        services.inquiry_transition(inquiry=inquiry, to=Status.IN_PROGRESS, actor=staff)
        services.message_post(
            inquiry=inquiry,
            actor=staff,
            body="Tak for dit spørgsmål. Vi har kontaktet Trial Nation og vender tilbage.",
            internal=False,
        )
    elif step == "refer":  # the change page's referrals table has a row to show
        services.referral_create(
            inquiry=inquiry,
            actor=staff,
            partner="trial_nation",
            note="Hvilke fase I-enheder har erfaring med AAV-vektorer og kan tage forsøget?",
        )
    elif step == "answer":
        services.inquiry_transition(inquiry=inquiry, to=Status.IN_PROGRESS, actor=staff)
        services.message_post(
            inquiry=inquiry,
            actor=staff,
            body="Medicinrådet vurderer lægemidlet, når ansøgningen er komplet; se vejledningen.",
            internal=False,
            notify_applicant=False,
        )
        services.inquiry_transition(inquiry=inquiry, to=Status.ANSWERED, actor=staff)
    elif step == "waiting":
        services.message_post(
            inquiry=inquiry,
            actor=staff,
            body="Hvor mange patienter forventer I at behandle om året?",
            internal=False,
            notify_applicant=False,
        )
        services.inquiry_transition(inquiry=inquiry, to=Status.WAITING_FOR_APPLICANT, actor=staff)
