"""The directory's reference data: the capability taxonomy, and an entry for each ToR organisation.

Only what the Terms of Reference say: the five regions and the organisations of §3 get an entry
(type "public body or organisation", no capabilities: we do not invent what real institutions
offer; their contacts add that when they confirm their entry). Idempotent: capabilities are
matched on ``code`` and entries on their address; what the secretariat has since edited is kept.
"""

from governance.models import Organisation, OrganisationKind
from network import services
from network.models import Capability, Entry, EntryType, Region

# code, Danish name, English name (the seed list; the secretariat maintains it in the admin)
CAPABILITIES: list[tuple[str, str, str]] = [
    ("gmp-manufacturing", "GMP-fremstilling (MIA / MIA(IMP))", "GMP manufacturing (MIA / MIA(IMP))"),
    ("viral-vector-production", "Produktion af virale vektorer", "Viral vector production"),
    ("plasmid-dna", "Plasmid-DNA", "Plasmid DNA"),
    ("cell-banking", "Cellebanker", "Cell banking"),
    ("qc-testing", "Kvalitetskontrol (QC)", "QC testing"),
    ("qp-release", "QP-frigivelse", "QP release"),
    ("cleanroom", "Renrum", "Cleanroom"),
    ("apheresis", "Aferese", "Apheresis"),
    ("cryo-storage-logistics", "Kryoopbevaring og logistik", "Cryo-storage and logistics"),
    ("hospital-pharmacy-preparation", "Sygehusapotekets tilberedning", "Hospital-pharmacy preparation"),
    ("tissue-establishment", "Vævscentertilladelse", "Tissue establishment authorisation"),
    ("gmo-facility", "GMO-faciliteter (klassificerede)", "GMO facility (classified)"),
    ("phase-1-unit", "Fase I-enhed", "Phase I unit"),
    ("clinical-trial-unit", "Klinisk forsøgsenhed / GCP-støtte", "Clinical trial unit / GCP support"),
    ("hospital-exemption", "Erfaring med hospitalsundtagelse", "Hospital exemption experience"),
    ("regulatory-support", "Regulatorisk støtte", "Regulatory support"),
    ("health-economics", "Sundhedsøkonomi", "Health economics"),
    ("patient-involvement", "Patientinddragelse", "Patient involvement"),
]

REGION_OF_ORGANISATION = {
    "region-hovedstaden": Region.HOVEDSTADEN,
    "region-sjaelland": Region.SJAELLAND,
    "region-syddanmark": Region.SYDDANMARK,
    "region-midtjylland": Region.MIDTJYLLAND,
    "region-nordjylland": Region.NORDJYLLAND,
}
DESCRIPTION_DA = "Organisation nævnt i kommissoriet for ATMP Danmark (§3)."
DESCRIPTION_EN = "Organisation named in the Terms of Reference of ATMP Danmark (§3)."


def load() -> list[str]:
    return [load_capabilities(), load_entries()]


def load_capabilities() -> str:
    existing = set(Capability.objects.values_list("code", flat=True))
    created = 0
    for position, (code, name_da, name_en) in enumerate(CAPABILITIES, start=1):
        if code in existing:
            continue
        services.capability_save(
            actor=None,
            capability=Capability(code=code, name_da=name_da, name_en=name_en, position=position * 10),
        )
        created += 1
    # Nothing is ever updated: the secretariat's edits in the admin win over this list.
    return f"Directory capabilities: {len(CAPABILITIES)} in the reference data, {created} created, 0 updated."


def load_entries() -> str:
    """One entry per organisation of governance's reference data (ToR §3), if it is not there yet."""
    from governance.reference_data import ORGANISATIONS

    codes = [row[0] for row in ORGANISATIONS]
    organisations = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
    existing = set(Entry.objects.filter(slug__in=codes).values_list("slug", flat=True))
    created = 0
    for code in codes:
        organisation = organisations.get(code)
        if organisation is None or code in existing:
            continue
        region = REGION_OF_ORGANISATION.get(code, Region.NATIONAL)
        if organisation.kind == OrganisationKind.REGION and code not in REGION_OF_ORGANISATION:
            continue
        services.entry_create(
            actor=None,
            slug=code,
            name=organisation.name_da,
            entry_type=EntryType.PUBLIC_BODY,
            region=region,
            parent=organisation,
            description_da=DESCRIPTION_DA,
            description_en=DESCRIPTION_EN,
            website=organisation.website,
        )
        created += 1
    return f"Directory entries for the ToR organisations: {len(codes)}, {created} created, 0 updated."
