"""Demo events for local trials (`make run`): upcoming, one full with a waiting list, one past
with materials. Dates are relative to today, so the demo never runs out of upcoming events."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import User
from knowledge import events_services as services
from knowledge.models import Event, EventMaterial, EventStatus

AMGROS = "Amgros, Dampfærgevej 22, 2100 København Ø"


def _at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    while day.weekday() >= 5:  # events are on working days
        day += datetime.timedelta(days=1 if days >= 0 else -1)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _specs() -> list[dict]:
    return [
        {
            "slug": "webinar-ctis-for-akademiske-sponsorer",
            "kind": "webinar",
            "title_da": "Webinar: CTIS for akademiske sponsorer",
            "title_en": "Webinar: CTIS for academic sponsors",
            "summary_da": "Sådan søger du om et klinisk forsøg med et ATMP i CTIS: hvad "
            "Lægemiddelstyrelsen og de videnskabsetiske komiteer ser efter, og hvor det typisk går galt.",
            "summary_en": "How to apply for a clinical trial of an ATMP in CTIS: what the Danish "
            "Medicines Agency and the research ethics committees look for, and where applications usually "
            "go wrong.",
            "programme_da": "- 13.00 Velkomst\n- 13.10 CTIS trin for trin\n"
            "- 13.45 Erfaringer fra et fase I-forsøg\n- 14.15 Spørgsmål",
            "programme_en": "- 13:00 Welcome\n- 13:10 CTIS step by step\n"
            "- 13:45 Lessons from a phase I trial\n- 14:15 Questions",
            "starts_at": _at(14, 13),
            "ends_at": _at(14, 14, 30),
            "format": "online",
            "online_url": "https://meet.example.org/atmp-ctis",
            "language": "da",
            "capacity": 150,
        },
        {
            "slug": "workshop-gmp-for-atmp",
            "kind": "workshop",
            "title_da": "Workshop: Fra laboratorium til klinik – GMP for ATMP",
            "title_en": "Workshop: From the laboratory to the clinic – GMP for ATMPs",
            "summary_da": "En praktisk workshop for hospitaler og forskningsgrupper om fremstilling efter "
            "GMP, med øvelser i små grupper. Få pladser.",
            "summary_en": "A hands-on workshop for hospitals and research groups on GMP manufacturing, "
            "with exercises in small groups. Few seats.",
            "starts_at": _at(30, 9),
            "ends_at": _at(30, 15),
            "format": "physical",
            "venue": AMGROS,
            "language": "da",
            "capacity": 2,
        },
        {
            "slug": "atmp-danmark-aarskonference",
            "kind": "conference",
            "title_da": "ATMP Danmarks årskonference",
            "title_en": "ATMP Danmark annual conference",
            "summary_da": "Årets samling af klinikere, forskere, virksomheder og myndigheder: status på "
            "analyser og pilotprojekter, og hvad der skal til for at bringe flere ATMP'er til patienterne.",
            "summary_en": "The year's meeting of clinicians, researchers, companies and authorities: "
            "where the analyses and pilot projects stand, and what it takes to bring more ATMPs to patients.",
            "starts_at": _at(120, 9),
            "ends_at": _at(120, 16),
            "format": "hybrid",
            "venue": AMGROS,
            "online_url": "https://meet.example.org/atmp-konference",
            "language": "both",
            "capacity": 200,
        },
        {
            "slug": "netvaerksmoede-atmp-hospitaler",
            "kind": "meeting",
            "title_da": "Netværksmøde for hospitalernes ATMP-enheder",
            "title_en": "Network meeting for the hospitals' ATMP units",
            "summary_da": "Erfaringsudveksling om hospitalsundtagelsen og samarbejde om kliniske forsøg.",
            "summary_en": "Exchange of experience on the hospital exemption and on collaborating in trials.",
            "starts_at": _at(-40, 10),
            "ends_at": _at(-40, 12),
            "format": "online",
            "online_url": "https://meet.example.org/atmp-netvaerk",
            "language": "da",
            "materials_da": "Tak for et godt møde. Her er oplæggene og optagelsen.",
            "materials_en": "Thank you for a good meeting. Here are the slides and the recording.",
            "recording_url": "https://video.example.org/atmp-netvaerksmoede",
        },
    ]


def load() -> list[str]:
    actor = User.objects.filter(email="sekretariat@atmp-demo.example").first()
    made = 0
    for spec in _specs():
        if Event.objects.filter(slug=spec["slug"]).exists():
            continue
        event = services.event_create(actor=actor, **spec)
        event = services.event_publish(event=event, actor=actor)
        made += 1
        if spec["slug"] == "netvaerksmoede-atmp-hospitaler":
            EventMaterial.objects.create(
                event=event, title="Oplæg: Hospitalsundtagelsen i praksis", url="https://example.org/slides"
            )
        if spec["slug"] == "workshop-gmp-for-atmp":
            for name, email in [
                ("Mette Holm", "mette.holm@example.org"),
                ("Jonas Berg", "jonas.berg@example.org"),
            ]:
                registration = services.registration_register(
                    event=event,
                    actor=None,
                    name=name,
                    email=email,
                    organisation="Rigshospitalet",
                    language="da",
                )
                services.registration_confirm(registration=registration)
    upcoming = Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__gte=timezone.now()).count()
    return [f"Events demo: {made} events added; {upcoming} upcoming in /events/."]
