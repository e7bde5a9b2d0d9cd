"""Organisations, bodies and seats named in the Terms of Reference (6 February 2025), §3.

Idempotent: rows are matched on ``code``; a second run creates and changes nothing. A
field the secretariat has since edited in the admin is put back only if it differs from
the ToR text here, and the report says so.
"""

from governance.models import Body, BodyKind, MembershipRole, Organisation, OrganisationKind, Seat

K = OrganisationKind

# code, Danish name, English name, abbreviation, kind, appoints through (code)
ORGANISATIONS: list[tuple[str, str, str, str, str, str | None]] = [
    (
        "ism",
        "Indenrigs- og Sundhedsministeriet",
        "Ministry of the Interior and Health",
        "ISM",
        K.MINISTRY,
        None,
    ),
    ("danske-regioner", "Danske Regioner", "Danish Regions", "", K.OTHER, None),
    ("amgros", "Amgros I/S", "Amgros", "", K.OTHER, None),
    ("dkma", "Lægemiddelstyrelsen", "Danish Medicines Agency", "DKMA", K.AGENCY, None),
    ("medicinraadet", "Medicinrådet", "Danish Medicines Council", "", K.AGENCY, None),
    ("danske-universiteter", "Danske Universiteter", "Universities Denmark", "", K.UNIVERSITY, None),
    (
        "dccc",
        "Danish Comprehensive Cancer Center",
        "Danish Comprehensive Cancer Center",
        "DCCC",
        K.OTHER,
        None,
    ),
    ("dansk-erhverv", "Dansk Erhverv", "Danish Chamber of Commerce", "", K.INDUSTRY_ASSOCIATION, None),
    ("di", "Dansk Industri", "Confederation of Danish Industry", "DI", K.INDUSTRY_ASSOCIATION, None),
    ("lvs", "Lægevidenskabelige Selskaber", "Organisation of Danish Medical Societies", "LVS", K.OTHER, None),
    (
        "dskf",
        "Dansk Selskab for Klinisk Farmakologi",
        "Danish Society for Clinical Pharmacology",
        "DSKF",
        K.OTHER,
        "lvs",
    ),
    (
        "dss",
        "Dansk Selskab for Sygehusapoteksledelse",
        "Danish Society for Hospital Pharmacy Management",
        "DSS",
        K.OTHER,
        None,
    ),
    ("danske-patienter", "Danske Patienter", "Danish Patients", "", K.PATIENT_ORGANISATION, None),
    (
        "lif",
        "Lægemiddelindustriforeningen",
        "Danish Association of the Pharmaceutical Industry",
        "LIF",
        K.INDUSTRY_ASSOCIATION,
        None,
    ),
    ("sst", "Sundhedsstyrelsen", "Danish Health Authority", "SST", K.AGENCY, None),
    ("trial-nation", "Trial Nation", "Trial Nation", "", K.OTHER, None),
    ("region-hovedstaden", "Region Hovedstaden", "Capital Region of Denmark", "", K.REGION, None),
    ("region-sjaelland", "Region Sjælland", "Region Zealand", "", K.REGION, None),
    ("region-syddanmark", "Region Syddanmark", "Region of Southern Denmark", "", K.REGION, None),
    ("region-midtjylland", "Region Midtjylland", "Central Denmark Region", "", K.REGION, None),
    ("region-nordjylland", "Region Nordjylland", "North Denmark Region", "", K.REGION, None),
]


R = MembershipRole

# code, kind, Danish name, English name, decision prefix, target meetings a year,
# Danish mandate, English mandate
BODIES = [
    (
        "steering-group",
        BodyKind.STEERING_GROUP,
        "Styregruppen for ATMP Danmark",
        "ATMP Danmark steering group",
        "SG",
        4,
        "Styregruppen sætter den strategiske retning, formulerer mål og træffer beslutning om "
        "igangsættelse af analyser, pilotprojekter m.v. Styregruppen bidrager til fremdrift i de "
        "igangsatte aktiviteter og "
        "understøtter samarbejdet på ATMP-området, og den kan nedsætte ad hoc-arbejdsgrupper. Styregruppen "
        "ledes i fællesskab af Indenrigs- og Sundhedsministeriet og en sundhedsdirektør udpeget af Danske "
        "Regioner og mødes som udgangspunkt fire gange om året.",
        "The steering group sets the strategic direction, formulates objectives and makes decisions on the "
        "initiation of analyses, pilot projects, etc. It helps ensure progress in the activities initiated, "
        "supports collaboration in the ATMP area and may set up ad hoc working groups. It is chaired jointly "
        "by the Ministry of the Interior and Health and a health director appointed by Danish Regions, and "
        "meets four times a year in principle.",
    ),
    (
        "reference-group",
        BodyKind.REFERENCE_GROUP,
        "Referencegruppen for ATMP Danmark",
        "ATMP Danmark reference group",
        "RG",
        0,
        "Referencegruppen bidrager med faglig viden og input til arbejdet med leverancerne, formidler "
        "viden om initiativets leverancer til relevante kolleger og aktører for at sikre forankring "
        "i hele Danmark og "
        "sikrer relationer til andre nationale projekter, organisationer og strategier på ATMP-området. "
        "Gruppen bygger på den nationale ATMP-arbejdsgruppe, som Danske Regioner og Amgros "
        "etablerede i 2023.",
        "The reference group contributes expert knowledge and input to the work on the deliverables, helps "
        "disseminate knowledge about them to relevant colleagues and actors to ensure anchoring across "
        "Denmark, and secures relations with other national projects, organisations and strategies in the "
        "ATMP area. It builds on the ATMP working group that Danish Regions and Amgros established in 2023.",
    ),
]

# body code, seat code, organisation code, role, count, Danish description, English description
SEATS = [
    ("steering-group", "ism", "ism", R.CO_CHAIR, 1, "Medformand", "Co-chair"),
    ("steering-group", "danske-regioner", "danske-regioner", R.MEMBER, 1, "", ""),
    (
        "steering-group",
        "health-director",
        "danske-regioner",
        R.CO_CHAIR,
        1,
        "Sundhedsdirektør udpeget af regionerne (medformand)",
        "Health director appointed by the Regions (co-chair)",
    ),
    ("steering-group", "amgros", "amgros", R.MEMBER, 1, "", ""),
    (
        "steering-group",
        "medical-directors",
        "danske-regioner",
        R.MEMBER,
        3,
        "Lægefaglige direktører fra universitetshospitaler, udpeget af regionerne",
        "Medical directors from university hospitals, appointed by the Regions",
    ),
    ("steering-group", "dkma", "dkma", R.MEMBER, 1, "", ""),
    ("steering-group", "medicinraadet", "medicinraadet", R.MEMBER, 1, "", ""),
    ("steering-group", "danske-universiteter", "danske-universiteter", R.MEMBER, 1, "", ""),
    ("steering-group", "dccc", "dccc", R.MEMBER, 1, "", ""),
    *[
        ("reference-group", code, code, R.MEMBER, 1, "", "")
        for code in (
            "ism",
            "danske-regioner",
            "amgros",
            "dccc",
            "dansk-erhverv",
            "di",
            "dskf",
            "dss",
            "danske-patienter",
            "danske-universiteter",
            "lif",
            "dkma",
            "medicinraadet",
            "region-hovedstaden",
            "region-sjaelland",
            "region-syddanmark",
            "region-midtjylland",
            "region-nordjylland",
            "sst",
            "trial-nation",
        )
    ],
]


def load() -> list[str]:
    return [load_organisations(), load_bodies_and_seats()]


def _sync(instance, wanted: dict) -> bool:
    """Set what differs from the ToR; True if anything changed."""
    changed = [field for field, value in wanted.items() if getattr(instance, field) != value]
    for field in changed:
        setattr(instance, field, wanted[field])
    if changed:
        instance.full_clean()
        instance.save(update_fields=changed)
    return bool(changed)


def load_bodies_and_seats() -> str:
    organisations = {o.code: o for o in Organisation.objects.all()}
    bodies = {b.code: b for b in Body.objects.all()}
    created = updated = 0
    for position, (code, kind, name_da, name_en, prefix, target, mandate_da, mandate_en) in enumerate(BODIES):
        wanted = {
            "kind": kind,
            "name_da": name_da,
            "name_en": name_en,
            "decision_prefix": prefix,
            "target_meetings_per_year": target,
            "mandate_da": mandate_da,
            "mandate_en": mandate_en,
            "position": position,
        }
        body = bodies.get(code)
        if body is None:
            body = Body(code=code, **wanted)
            body.full_clean()
            body.save()
            bodies[code] = body
            created += 1
        elif _sync(body, wanted):
            updated += 1
    seats = {(s.body_id, s.code): s for s in Seat.objects.all()}
    for position, (body_code, code, organisation, role, count, description_da, description_en) in enumerate(
        SEATS
    ):
        body = bodies[body_code]
        wanted = {
            "organisation": organisations[organisation],
            "role": role,
            "count": count,
            "description_da": description_da,
            "description_en": description_en,
            "position": position,
        }
        seat = seats.get((body.pk, code))
        if seat is None:
            seat = Seat(body=body, code=code, **wanted)
            seat.full_clean()
            seat.save()
            created += 1
        elif _sync(seat, wanted):
            updated += 1
    members = {code: sum(s[4] for s in SEATS if s[0] == code) for code, *_ in BODIES}
    return (
        f"Bodies and seats (ToR §3): {len(BODIES)} bodies, {len(SEATS)} seats "
        f"(steering group {members['steering-group']} members, "
        f"reference group {members['reference-group']}), "
        f"{created} created, {updated} updated."
    )


def load_organisations() -> str:
    created = updated = 0
    by_code: dict[str, Organisation] = {o.code: o for o in Organisation.objects.all()}
    for code, name_da, name_en, abbreviation, kind, through in ORGANISATIONS:
        wanted = {
            "name_da": name_da,
            "name_en": name_en,
            "abbreviation": abbreviation,
            "kind": kind,
            "appointed_through": by_code[through] if through else None,
        }
        organisation = by_code.get(code)
        if organisation is None:
            organisation = Organisation(code=code, **wanted)
            organisation.full_clean()
            organisation.save()
            by_code[code] = organisation
            created += 1
            continue
        changed = [field for field, value in wanted.items() if getattr(organisation, field) != value]
        if changed:
            for field in changed:
                setattr(organisation, field, wanted[field])
            organisation.full_clean()
            organisation.save(update_fields=changed)
            updated += 1
    total = len(ORGANISATIONS)
    return f"Organisations (ToR §3): {total} in the reference data, {created} created, {updated} updated."
