"""Demo library items for `make run`, in Danish and English (one in Danish only). Idempotent.

The texts are plausible summaries for trying the portal, not confirmed guidance: each says so.
"""

from typing import Any

from django.core.files.base import ContentFile

from accounts.models import User
from knowledge import services
from knowledge.models import ChecklistStep, Item, ItemStatus

DEMO_NOTE_DA = "*Demotekst til afprøvning af portalen; ikke bekræftet vejledning.*"
DEMO_NOTE_EN = "*Demo text for trying the portal; not confirmed guidance.*"

ITEMS: list[dict[str, Any]] = [
    {
        "slug": "hospitalsundtagelse-trin-for-trin",
        "kind": "article",
        "title_da": "Hospitalsundtagelse trin for trin",
        "title_en": "Hospital exemption step by step",
        "summary_da": "Hvornår et ATMP kan fremstilles og bruges under hospitalsundtagelsen, og hvad "
        "Lægemiddelstyrelsen forventer af fremstillingstilladelse, kvalitet og opfølgning.",
        "summary_en": "When an ATMP can be manufactured and used under the hospital exemption, and what the "
        "Danish Medicines Agency expects of the manufacturing authorisation, quality and follow-up.",
        "body_da": "## Hvad er hospitalsundtagelsen?\n\nEt ATMP, der fremstilles ikke-rutinemæssigt efter "
        "specifikke kvalitetsstandarder og bruges på et hospital i Danmark under en læges ansvar, kan "
        "undtages fra kravet om markedsføringstilladelse.\n\n## Trinene\n\n1. Afklar om produktet er et "
        "ATMP (evt. CAT-klassifikation).\n2. Søg fremstillingstilladelse hos Lægemiddelstyrelsen.\n"
        "3. Beskriv kvalitet og sporbarhed.\n4. Planlæg opfølgning af effekt og bivirkninger.\n\n"
        + DEMO_NOTE_DA,
        "body_en": "## What is the hospital exemption?\n\nAn ATMP prepared on a non-routine basis according "
        "to specific quality standards and used in a hospital in Denmark under a physician's responsibility "
        "may be exempted from the requirement of a marketing authorisation.\n\n## The steps\n\n1. Establish "
        "whether the product is an ATMP (CAT classification if in doubt).\n2. Apply to the Danish Medicines "
        "Agency for a manufacturing authorisation.\n3. Describe quality and traceability.\n4. Plan the "
        "follow-up of efficacy and adverse reactions.\n\n" + DEMO_NOTE_EN,
        "tags": {
            "topic": ["hospital_exemption", "regulatory"],
            "atmp_class": ["somatic_cell", "tissue_engineered"],
            "stage": ["hospital_exemption"],
        },
    },
    {
        "slug": "kliniske-forsoeg-med-genterapi-i-ctis",
        "kind": "article",
        "title_da": "Kliniske forsøg med genterapi: ansøgning i CTIS",
        "title_en": "Clinical trials of gene therapy: applying in CTIS",
        "summary_da": "Sådan ansøges om et klinisk forsøg med et genterapiprodukt gennem EU's CTIS, med "
        "Lægemiddelstyrelsen og de videnskabsetiske medicinske komitéer, og hvornår der gælder hurtig "
        "behandling af fase I.",
        "summary_en": "How to apply for a clinical trial of a gene therapy product through the EU's CTIS, "
        "assessed by the Danish Medicines Agency and the medical research ethics committees, and when the "
        "expedited assessment of phase I applies.",
        "body_da": "## Før ansøgningen\n\n- Tjek om produktet indeholder en genetisk modificeret organisme "
        "(GMO): så skal Arbejdstilsynet også have besked.\n- Brug GCP-enhedens hjælp til protokollen.\n\n"
        "## I CTIS\n\nAnsøgningen indsendes ét sted og vurderes af Lægemiddelstyrelsen og komitéerne "
        "sammen.\n\n" + DEMO_NOTE_DA,
        "body_en": "## Before you apply\n\n- Check whether the product contains a genetically modified "
        "organism (GMO): the Working Environment Authority must then be notified too.\n- Use the GCP unit's "
        "help with the protocol.\n\n## In CTIS\n\nThe application is submitted in one place and assessed by "
        "the Danish Medicines Agency and the committees together.\n\n" + DEMO_NOTE_EN,
        "tags": {
            "topic": ["clinical_trials", "regulatory"],
            "atmp_class": ["gene_therapy"],
            "stage": ["phase_1", "phase_2"],
        },
    },
    {
        "slug": "hvad-er-et-atmp",
        "kind": "faq",
        "title_da": "Hvornår er et produkt et ATMP?",
        "title_en": "When is a product an ATMP?",
        "summary_da": "Genterapi, somatisk celleterapi, vævsmanipulerede og kombinerede produkter er "
        "ATMP'er. I tvivlstilfælde kan EMA's udvalg for avancerede terapier (CAT) klassificere "
        "produktet gratis.",
        "summary_en": "Gene therapy, somatic cell therapy, tissue-engineered and combined products are "
        "ATMPs. When in doubt, EMA's Committee for Advanced Therapies (CAT) classifies a product "
        "free of charge.",
        "body_da": "Klassifikationen er frivillig og gratis, og svaret kommer normalt inden for 60 dage.\n\n"
        + DEMO_NOTE_DA,
        "body_en": "The classification is voluntary and free of charge, and the answer usually comes within "
        "60 days.\n\n" + DEMO_NOTE_EN,
        "tags": {"topic": ["regulatory"], "atmp_class": ["not_sure"], "stage": ["research", "preclinical"]},
    },
    {
        "slug": "gmp-tjekliste-for-akademisk-fremstilling",
        "kind": "checklist",
        "title_da": "GMP-tjekliste for akademisk fremstilling",
        "title_en": "",  # Danish only: the English page shows the Danish text with a notice
        "summary_da": "De spørgsmål en akademisk fremstillingsenhed bør kunne svare på, før den fremstiller "
        "et ATMP til et klinisk forsøg.",
        "summary_en": "",
        "body_da": "- Er der en kvalificeret person (QP)?\n- Er renrummene klassificeret og overvåget?\n"
        "- Er udgangsmaterialer sporbare fra donor til patient?\n- Er der procedurer for frigivelse?\n\n"
        + DEMO_NOTE_DA,
        "body_en": "",
        "tags": {
            "topic": ["manufacturing"],
            "atmp_class": ["somatic_cell", "gene_therapy", "tissue_engineered"],
            "stage": ["preclinical", "phase_1"],
        },
    },
    {
        "slug": "skabelon-impd-indholdsfortegnelse",
        "kind": "template",
        "title_da": "Skabelon: IMPD for et ATMP",
        "title_en": "Template: IMPD for an ATMP",
        "summary_da": "En indholdsfortegnelse til dokumentationen for forsøgslægemidlet (IMPD) med de "
        "afsnit, der særligt gælder ATMP'er.",
        "summary_en": "A table of contents for the investigational medicinal product dossier (IMPD) with the "
        "sections that apply to ATMPs in particular.",
        "body_da": "Hent skabelonen nedenfor og udfyld den for jeres produkt.\n\n" + DEMO_NOTE_DA,
        "body_en": "Download the template below and fill it in for your product.\n\n" + DEMO_NOTE_EN,
        "tags": {"topic": ["regulatory", "manufacturing"], "stage": ["preclinical", "phase_1"]},
        "file": ("IMPD-skabelon.txt", "IMPD for et ATMP\n\n2.1.S Aktivt stof\n2.1.P Forsøgslægemiddel\n"),
    },
    {
        "slug": "ema-atmp-side",
        "kind": "external",
        "title_da": "EMA: lægemidler til avanceret terapi",
        "title_en": "EMA: advanced therapy medicinal products",
        "summary_da": "Det Europæiske Lægemiddelagenturs overblik over ATMP'er, CAT og vejledninger.",
        "summary_en": "The European Medicines Agency's overview of ATMPs, the CAT and its guidelines.",
        "external_url": "https://www.ema.europa.eu/en/human-regulatory-overview/advanced-therapy-medicinal-products-overview",
        "tags": {"topic": ["regulatory"]},
    },
    {
        "slug": "finansiering-af-tidlige-forsoeg",
        "kind": "article",
        "title_da": "Finansiering af tidlige ATMP-forsøg",
        "title_en": "Funding early ATMP trials",
        "summary_da": "Fonde, regionale puljer og EU-programmer der støtter akademiske ATMP-forsøg.",
        "summary_en": "Foundations, regional funds and EU programmes that support academic ATMP trials.",
        "body_da": "Et udkast: sekretariatet arbejder på teksten.",
        "body_en": "A draft: the secretariat is writing it.",
        "tags": {"topic": ["funding"]},
        "draft": True,  # stays a draft: shows that drafts are never public
    },
]

STEP_ITEMS = [
    ("cat-classification", "hvad-er-et-atmp"),
    ("ctis-application", "kliniske-forsoeg-med-genterapi-i-ctis"),
    ("hospital-exemption", "hospitalsundtagelse-trin-for-trin"),
    ("dkma-early-advice", "skabelon-impd-indholdsfortegnelse"),
]


def load() -> list[str]:
    actor = User.objects.filter(email="sekretariat@atmp-demo.example").first()
    made = 0
    for spec in ITEMS:
        if Item.objects.filter(slug=spec["slug"]).exists():
            continue
        spec = dict(spec)
        tags, draft, upload = spec.pop("tags", {}), spec.pop("draft", False), spec.pop("file", None)
        item = services.item_create(actor=actor, owner=actor, tags=tags, **spec)
        if upload:
            name, text = upload
            services.item_file_save(
                item=item, actor=actor, title=spec["title_da"], upload=ContentFile(text.encode(), name=name)
            )
        if not draft:
            services.item_publish(item=item, actor=actor)
        made += 1
    # The checklist's seed steps (reference data) point at the demo items that explain them.
    for code, slug in STEP_ITEMS:
        step = ChecklistStep.objects.filter(code=code).first()
        explained = Item.objects.filter(slug=slug, status=ItemStatus.PUBLISHED).first()
        if step and explained:
            step.library_items.add(explained)
    published = Item.objects.filter(status=ItemStatus.PUBLISHED).count()
    from knowledge import events_demo, news_demo_data

    return [
        f"Knowledge demo: {made} library items added; {published} published in /knowledge/.",
        *events_demo.load(),
        *news_demo_data.load(),
    ]
