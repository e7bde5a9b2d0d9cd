"""ToR §5: the cost categories and the Strategy for life science 2024–2027 allocations.

DKK 18.5 million to Amgros (5.0 / 3.5 / 5.0 / 5.0 million in 2024–2027), managed in this ledger,
and DKK 7.0 million to the Danish Medicines Agency (1.0 / 2.0 / 2.0 / 2.0) for early regulatory
advice, which is outside the ToR's deliverables and shown here only for the whole picture.
Idempotent: rows are matched on their code; a figure or text edited away from the ToR is put back.
"""

from decimal import Decimal

from budget.models import Allocation, CostCategory, Grant, GrantHolder

STRATEGY_SOURCE = "Strategi for life science 2024–2027 / Strategy for life science 2024–2027"

# code, Danish name, English name (ToR §5, the four things the Amgros funds cover)
CATEGORIES: list[tuple[str, str, str]] = [
    (
        "secretariat",
        "Sekretariatsbetjening af samarbejdsstrukturen",
        "Secretariat services for the collaboration structure",
    ),
    (
        "project-management",
        "Projektledelse og gennemførelse af analyser, pilotprojekter mv.",
        "Project management and completion of analyses, pilot projects, etc.",
    ),
    (
        "involvement",
        "Inddragelse og samarbejde med relevante aktører (møder, rejser og arrangementer)",
        "Involvement and collaboration with relevant actors (meetings, travel and events)",
    ),
    (
        "communication",
        "Kommunikation og formidling",
        "Communication and dissemination",
    ),
]

MILLION = Decimal("1000000")


def _mio(text: str) -> Decimal:
    return (Decimal(text) * MILLION).quantize(Decimal("0.01"))


# code, Danish name, English name, holder, managed here, {year: DKK}
GRANTS: list[tuple[str, str, str, str, bool, dict[int, Decimal]]] = [
    (
        "ls-2024-2027-amgros",
        "Strategi for life science 2024–2027: national samarbejdsstruktur, analyser og "
        "pilotprojekter (Amgros)",
        "Strategy for life science 2024–2027: national collaboration structure, analyses and pilot projects "
        "(Amgros)",
        GrantHolder.AMGROS,
        True,
        {2024: _mio("5.0"), 2025: _mio("3.5"), 2026: _mio("5.0"), 2027: _mio("5.0")},
    ),
    (
        "ls-2024-2027-dkma",
        "Strategi for life science 2024–2027: bedre tidlig regulatorisk rådgivning (Lægemiddelstyrelsen)",
        "Strategy for life science 2024–2027: better early regulatory advice (Danish Medicines Agency)",
        GrantHolder.DKMA,
        False,
        {2024: _mio("1.0"), 2025: _mio("2.0"), 2026: _mio("2.0"), 2027: _mio("2.0")},
    ),
]

DKMA_NOTE = (
    "Lægemiddelstyrelsens midler til bedre tidlig regulatorisk rådgivning er ikke en del af "
    "kommissoriets leverancer og forvaltes ikke her. / The Danish Medicines Agency's funds for early "
    "regulatory advice are not part of the ToR's deliverables and are not managed here."
)


def _sync(model, lookup: dict, wanted: dict) -> str:
    """Create the row, or put back the fields that differ; returns "created", "updated" or ""."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        row = model(**lookup, **wanted)
        row.full_clean()
        row.save()
        return "created"
    changed = [name for name, value in wanted.items() if getattr(row, name) != value]
    if not changed:
        return ""
    for name in changed:
        setattr(row, name, wanted[name])
    row.full_clean()
    row.save(update_fields=changed)
    return "updated"


def load() -> list[str]:
    outcomes: list[str] = []
    for position, (code, name_da, name_en) in enumerate(CATEGORIES):
        outcomes.append(
            _sync(
                CostCategory, {"code": code}, {"name_da": name_da, "name_en": name_en, "position": position}
            )
        )
    for position, (code, name_da, name_en, holder, managed, years) in enumerate(GRANTS):
        outcomes.append(
            _sync(
                Grant,
                {"code": code},
                {
                    "name_da": name_da,
                    "name_en": name_en,
                    "source": STRATEGY_SOURCE,
                    "holder": holder,
                    "is_managed": managed,
                    "is_reference": True,
                    "note": "" if managed else DKMA_NOTE,
                    "position": position,
                },
            )
        )
        grant = Grant.objects.get(code=code)
        for year, amount in years.items():
            outcomes.append(_sync(Allocation, {"grant": grant, "year": year}, {"amount": amount}))
    created, updated = outcomes.count("created"), outcomes.count("updated")
    return [
        f"Budget (ToR §5: 4 cost categories, 2 grants, 8 allocations): {created} created, {updated} updated."
    ]
