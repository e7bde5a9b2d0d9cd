# ruff: noqa: E501 (data: addresses and sentences read better unbroken)
"""The checklist's first steps (issue 17), each "to be confirmed" until the secretariat confirms it.

Loaded by ``knowledge.reference_data``: a step is added once, by its code, and never overwritten,
so the secretariat's edits in the admin stay. Conditions: an empty list means any answer.
"""

from typing import Any

TRIAL_STAGES = ["phase_1", "phase_2", "phase_3", "phase_4"]

SEED_STEPS: list[dict[str, Any]] = [
    {
        "code": "cat-classification",
        "position": 10,
        "title_da": "Få produktet klassificeret som ATMP af EMA's CAT",
        "title_en": "Have the product classified as an ATMP by EMA's CAT",
        "what_da": "Er I i tvivl om, hvorvidt produktet er et ATMP, eller hvilken klasse det tilhører, kan EMA's "
        "udvalg for avancerede terapier (CAT) give en videnskabelig klassifikation. Den er gratis og frivillig.",
        "what_en": "If you are unsure whether the product is an ATMP, or of which class, EMA's Committee for "
        "Advanced Therapies (CAT) gives a scientific classification. It is free and voluntary.",
        "authority_da": "Det Europæiske Lægemiddelagentur (EMA), CAT",
        "authority_en": "European Medicines Agency (EMA), CAT",
        "legal_basis": "Forordning (EF) nr. 1394/2007, art. 17",
        "typical_time_da": "ca. 60 dage",
        "typical_time_en": "about 60 days",
        "authority_url": "https://www.ema.europa.eu/en/human-regulatory-overview/marketing-authorisation/advanced-therapies-marketing-authorisation/scientific-recommendations-classification-advanced-therapy-medicinal-products",
        "when_atmp_classes": ["not_sure", "combined"],
    },
    {
        "code": "dkma-early-advice",
        "position": 20,
        "title_da": "Søg tidlig rådgivning hos Lægemiddelstyrelsen",
        "title_en": "Ask the Danish Medicines Agency for early advice",
        "what_da": "Lægemiddelstyrelsen tilbyder videnskabelig og regulatorisk rådgivning, før I indsender en "
        "ansøgning: om kvalitet, prækliniske data og forsøgsdesign.",
        "what_en": "The Danish Medicines Agency offers scientific and regulatory advice before you apply: on "
        "quality, non-clinical data and trial design.",
        "authority_da": "Lægemiddelstyrelsen",
        "authority_en": "Danish Medicines Agency",
        "typical_time_da": "et møde inden for nogle uger",
        "typical_time_en": "a meeting within a few weeks",
        "authority_url": "https://laegemiddelstyrelsen.dk/",
        "when_stages": ["research", "preclinical", "phase_1", "phase_2"],
    },
    {
        "code": "itf-briefing",
        "position": 30,
        "title_da": "Overvej et briefingmøde med EMA's Innovation Task Force",
        "title_en": "Consider a briefing meeting with EMA's Innovation Task Force",
        "what_da": "Innovation Task Force (ITF) holder uformelle, gratis møder om nye teknologier og "
        "regulatoriske spørgsmål tidligt i udviklingen.",
        "what_en": "The Innovation Task Force (ITF) holds informal, free meetings on new technologies and "
        "regulatory questions early in development.",
        "authority_da": "Det Europæiske Lægemiddelagentur (EMA)",
        "authority_en": "European Medicines Agency (EMA)",
        "authority_url": "https://www.ema.europa.eu/en/human-regulatory-overview/research-development/innovation-medicines",
        "when_stages": ["research", "preclinical"],
        "when_routes": ["clinical_trial", "marketing_authorisation"],
    },
    {
        "code": "sme-status",
        "position": 40,
        "title_da": "Søg SME-status hos EMA",
        "title_en": "Apply for SME status at EMA",
        "what_da": "Små og mellemstore virksomheder kan få nedsatte gebyrer, hjælp til oversættelser og "
        "administrativ støtte fra EMA's SME-kontor.",
        "what_en": "Micro, small and medium-sized enterprises can get reduced fees, help with translations and "
        "administrative support from EMA's SME office.",
        "authority_da": "Det Europæiske Lægemiddelagentur (EMA), SME-kontoret",
        "authority_en": "European Medicines Agency (EMA), SME office",
        "legal_basis": "Forordning (EF) nr. 2049/2005",
        "authority_url": "https://www.ema.europa.eu/en/human-regulatory-overview/research-development/micro-small-medium-sized-enterprises-smes",
        "when_sponsors": ["company"],
    },
    {
        "code": "tissue-establishment",
        "position": 50,
        "title_da": "Vævscenter: tilladelse til donation, udtagning og testning af celler og væv",
        "title_en": "Tissue establishment: authorisation for donation, procurement and testing of cells and tissues",
        "what_da": "Udgangsmaterialet er humane celler eller væv: donation, udtagning og testning skal ske i et "
        "vævscenter med tilladelse efter vævsloven.",
        "what_en": "The starting material is human cells or tissue: donation, procurement and testing must take "
        "place in a tissue establishment authorised under the Danish Tissue Act.",
        "authority_da": "Styrelsen for Patientsikkerhed",
        "authority_en": "Danish Patient Safety Authority",
        "legal_basis": "Vævsloven (lov om krav til kvalitet og sikkerhed ved håndtering af humane væv og celler)",
        "authority_url": "https://stps.dk/",
        "when_origins": ["autologous", "allogeneic"],
    },
    {
        "code": "gmo-notification",
        "position": 60,
        "title_da": "Anmeld arbejdet med genetisk modificerede organismer til Arbejdstilsynet",
        "title_en": "Notify the Working Environment Authority of work with genetically modified organisms",
        "what_da": "Arbejde med GMO (fx virale vektorer) i laboratorier og på hospitaler kræver anmeldelse og "
        "klassificering af arbejdet i indesluttede anvendelser.",
        "what_en": "Work with GMOs (for example viral vectors) in laboratories and hospitals must be notified and "
        "classified as contained use.",
        "authority_da": "Arbejdstilsynet",
        "authority_en": "Danish Working Environment Authority",
        "legal_basis": "Bekendtgørelse om genteknologi og arbejdsmiljø",
        "typical_time_da": "afhænger af klassen; op til 90 dage",
        "typical_time_en": "depends on the class; up to 90 days",
        "authority_url": "https://at.dk/",
        "when_gmo": ["yes"],
    },
    {
        "code": "gcp-unit",
        "position": 70,
        "title_da": "Få støtte fra en GCP-enhed",
        "title_en": "Get support from a GCP unit",
        "what_da": "De regionale GCP-enheder hjælper akademiske sponsorer og hospitaler med protokol, "
        "monitorering og god klinisk praksis.",
        "what_en": "The regional GCP units help academic sponsors and hospitals with the protocol, monitoring "
        "and good clinical practice.",
        "authority_da": "GCP-enhederne ved universitetshospitalerne",
        "authority_en": "The GCP units at the university hospitals",
        "authority_url": "https://gcp-enhed.dk/",
        "when_sponsors": ["academic", "hospital"],
        "when_routes": ["clinical_trial"],
    },
    {
        "code": "ctis-application",
        "position": 80,
        "title_da": "Ansøg om klinisk forsøg i CTIS",
        "title_en": "Apply for the clinical trial in CTIS",
        "what_da": "Ansøgningen indsendes i EU's Clinical Trials Information System (CTIS) og vurderes samlet af "
        "Lægemiddelstyrelsen og De Videnskabsetiske Medicinske Komitéer.",
        "what_en": "The application is submitted in the EU's Clinical Trials Information System (CTIS) and "
        "assessed together by the Danish Medicines Agency and the medical research ethics committees.",
        "authority_da": "Lægemiddelstyrelsen og De Videnskabsetiske Medicinske Komitéer",
        "authority_en": "Danish Medicines Agency and the medical research ethics committees",
        "legal_basis": "Forordning (EU) nr. 536/2014 om kliniske forsøg",
        "typical_time_da": "op til 106 dage efter validering",
        "typical_time_en": "up to 106 days after validation",
        "authority_url": "https://euclinicaltrials.eu/",
        "when_routes": ["clinical_trial"],
    },
    {
        "code": "ctis-expedited-phase-1",
        "position": 90,
        "title_da": "Brug den hurtige behandling af fase I- og fase I/II-forsøg",
        "title_en": "Use the expedited assessment of phase I and phase I/II trials",
        "what_da": "Lægemiddelstyrelsen og komitéerne tilbyder en kortere behandlingstid for tidlige forsøg. "
        "Nævn det i ansøgningen.",
        "what_en": "The Danish Medicines Agency and the committees offer a shorter assessment for early trials. "
        "Say so in the application.",
        "authority_da": "Lægemiddelstyrelsen og De Videnskabsetiske Medicinske Komitéer",
        "authority_en": "Danish Medicines Agency and the medical research ethics committees",
        "authority_url": "https://laegemiddelstyrelsen.dk/",
        "when_stages": ["phase_1"],
        "when_routes": ["clinical_trial"],
    },
    {
        "code": "hospital-exemption",
        "position": 100,
        "title_da": "Søg om fremstilling under hospitalsundtagelsen",
        "title_en": "Apply to manufacture under the hospital exemption",
        "what_da": "Et ATMP, der fremstilles ikke-rutinemæssigt og bruges på et dansk hospital under en læges "
        "ansvar, kræver en fremstillingstilladelse fra Lægemiddelstyrelsen og indberetning af brugen.",
        "what_en": "An ATMP prepared on a non-routine basis and used in a Danish hospital under a physician's "
        "responsibility needs a manufacturing authorisation from the Danish Medicines Agency and reporting of "
        "its use.",
        "authority_da": "Lægemiddelstyrelsen",
        "authority_en": "Danish Medicines Agency",
        "legal_basis": "Forordning (EF) nr. 1394/2007, art. 28; lægemiddelloven",
        "authority_url": "https://laegemiddelstyrelsen.dk/",
        "when_routes": ["hospital_exemption"],
    },
]
