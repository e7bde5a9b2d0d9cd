"""Organisations named in the Terms of Reference (6 February 2025), §3.

Idempotent: rows are matched on ``code``; a second run creates and changes nothing. A
field the secretariat has since edited in the admin is put back only if it differs from
the ToR text here, and the report says so.
"""

from governance.models import Organisation, OrganisationKind

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


def load() -> list[str]:
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
    return [f"Organisations (ToR §3): {total} in the reference data, {created} created, {updated} updated."]
