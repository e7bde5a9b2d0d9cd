"""Demo entries for `make run`: invented places, each marked "(demo)", across every region.

None of them is a real institution, and none has a parent organisation: the demo must not say
what a real hospital or region offers. Idempotent (matched on the address).
"""

import datetime

from django.utils import timezone

from network import services
from network.models import Capability, Entry, EntryType, InterestProfile, Region

T = EntryType
R = Region

# name, type, region, capability codes, ATMP classes, stages, confirmed how many days ago
DEMO_ENTRIES = [
    (
        "GMP-facilitet for celle- og genterapi, Hovedstaden (demo)",
        T.FACILITY,
        R.HOVEDSTADEN,
        ["gmp-manufacturing", "cleanroom", "qc-testing", "qp-release", "cell-banking"],
        ["somatic_cell", "gene_therapy"],
        ["phase_1", "phase_2", "hospital_exemption"],
        40,
    ),
    (
        "Fase I-enhed, Hovedstaden (demo)",
        T.TRIAL_UNIT,
        R.HOVEDSTADEN,
        ["phase-1-unit", "clinical-trial-unit"],
        ["gene_therapy", "somatic_cell", "tissue_engineered", "combined"],
        ["phase_1"],
        120,
    ),
    (
        "Sygehusapotek, Hovedstaden (demo)",
        T.HOSPITAL_PHARMACY,
        R.HOVEDSTADEN,
        ["hospital-pharmacy-preparation", "cryo-storage-logistics"],
        ["gene_therapy", "somatic_cell"],
        ["phase_2", "phase_3", "in_use"],
        200,
    ),
    (
        "Hæmatologisk afdeling, Sjælland (demo)",
        T.HOSPITAL_UNIT,
        R.SJAELLAND,
        ["apheresis", "cryo-storage-logistics", "clinical-trial-unit"],
        ["somatic_cell"],
        ["phase_2", "phase_3", "in_use"],
        30,
    ),
    (
        "Vævscenter, Syddanmark (demo)",
        T.HOSPITAL_UNIT,
        R.SYDDANMARK,
        ["tissue-establishment", "cell-banking", "cryo-storage-logistics"],
        ["tissue_engineered", "somatic_cell"],
        ["preclinical", "phase_1"],
        500,  # not confirmed in time: the flag shows on its page and in the admin
    ),
    (
        "Klinisk forskningsenhed, Syddanmark (demo)",
        T.TRIAL_UNIT,
        R.SYDDANMARK,
        ["clinical-trial-unit", "phase-1-unit", "patient-involvement"],
        ["gene_therapy", "somatic_cell", "tissue_engineered"],
        ["phase_1", "phase_2"],
        60,
    ),
    (
        "Vektorlaboratorium, Midtjylland (demo)",
        T.UNIVERSITY_GROUP,
        R.MIDTJYLLAND,
        ["viral-vector-production", "plasmid-dna", "gmo-facility"],
        ["gene_therapy"],
        ["research", "preclinical"],
        90,
    ),
    (
        "GMP-enhed, Midtjylland (demo)",
        T.FACILITY,
        R.MIDTJYLLAND,
        ["gmp-manufacturing", "qc-testing", "cleanroom"],
        ["somatic_cell", "tissue_engineered"],
        ["phase_1", "phase_2"],
        150,
    ),
    (
        "Klinisk immunologisk afdeling, Nordjylland (demo)",
        T.HOSPITAL_UNIT,
        R.NORDJYLLAND,
        ["apheresis", "cryo-storage-logistics", "hospital-exemption"],
        ["somatic_cell"],
        ["phase_2", "hospital_exemption", "in_use"],
        10,
    ),
    (
        "Regulatorisk rådgivning ApS (demo)",
        T.COMPANY,
        R.NATIONAL,
        ["regulatory-support", "health-economics"],
        ["gene_therapy", "somatic_cell", "tissue_engineered", "combined"],
        ["preclinical", "phase_1", "phase_2", "phase_3", "marketing_authorisation"],
        100,
    ),
    (
        "Nordic cell therapy centre, Norway (demo)",
        T.NORDIC_PARTNER,
        R.NORWAY,
        ["gmp-manufacturing", "qp-release"],
        ["somatic_cell"],
        ["phase_1", "phase_2"],
        70,
    ),
    (
        "Swedish ATMP trial clinic (demo)",
        T.NORDIC_PARTNER,
        R.SWEDEN,
        ["phase-1-unit", "clinical-trial-unit"],
        ["gene_therapy", "somatic_cell"],
        ["phase_1"],
        80,
    ),
    (
        "Finnish vector facility (demo)",
        T.NORDIC_PARTNER,
        R.FINLAND,
        ["viral-vector-production", "gmp-manufacturing"],
        ["gene_therapy"],
        ["preclinical", "phase_1"],
        45,
    ),
]

DESCRIPTION_DA = "Et opdigtet eksempel til afprøvning af portalen. Det findes ikke."
DESCRIPTION_EN = "An invented example for trying out the portal. It does not exist."


def load() -> list[str]:
    capabilities = {c.code: c for c in Capability.objects.all()}
    if not capabilities:
        return ["Directory demo: skipped (load the reference data first)."]
    existing = set(Entry.objects.values_list("name", flat=True))
    today = timezone.localdate()
    created = 0
    for number, (name, entry_type, region, codes, classes, stages, days_ago) in enumerate(DEMO_ENTRIES, 1):
        if name in existing:
            continue
        entry = services.entry_create(
            actor=None,
            name=name,
            entry_type=entry_type,
            region=region,
            description_da=DESCRIPTION_DA,
            description_en=DESCRIPTION_EN,
            contact_email=f"kontakt{number}@demo.example",
            contact_language="en" if region in (R.NORWAY, R.SWEDEN, R.FINLAND) else "da",
            name_language="en" if region in (R.NORWAY, R.SWEDEN, R.FINLAND) else "da",
            capabilities=[capabilities[code] for code in codes],
            atmp_classes=classes,
            stages=stages,
        )
        services.entry_confirm(entry=entry, actor=None, on=today - datetime.timedelta(days=days_ago))
        if entry_type == T.TRIAL_UNIT:
            # A standing interest, so a round from the demo gene-therapy request proposes it first.
            services.interest_save(
                actor=None, interest=InterestProfile(entry=entry, atmp_class="gene_therapy", stage="phase_1")
            )
        created += 1
    return [f"Directory demo: {len(DEMO_ENTRIES)} entries marked (demo), {created} created."]
