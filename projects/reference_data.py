"""The five pieces of work of the Terms of Reference, §2 (I–V).

They start as "proposed": the steering group decides when each starts (ToR §4), and the
secretariat records that decision in the admin. Idempotent: matched on ``code``; only the
ToR texts are put back if they differ, never the status, dates or decision.
"""

from projects.models import Project, ProjectKind, TorItem

# code, ToR item, kind, Danish title, English title, Danish purpose, English purpose
WORK: list[tuple[str, str, str, str, str, str, str]] = [
    (
        "I",
        TorItem.I,
        ProjectKind.ANALYSIS,
        "International erfaring med nationale og regionale ATMP-institutioner",
        "International experience with national and regional ATMP institutions",
        "Afdække international erfaring med initiativer og udvikling af organiserede nationale eller "
        "regionale ATMP-“institutioner” med henblik på inspiration og læring.",
        "Identify international experience with initiatives and development of organised national or "
        "regional ATMP “institutions” to gain inspiration and learning.",
    ),
    (
        "II",
        TorItem.II,
        ProjectKind.ANALYSIS,
        "Regulatoriske forhold",
        "Regulatory conditions",
        "Afdække de regulatoriske forhold på området for at afklare regulatoriske uklarheder og "
        "udfordringer; leverancen kan omfatte vejledninger, tjeklister el.lign. Arbejdet koordineres med "
        "Lægemiddelstyrelsens arbejde med tidlig regulatorisk rådgivning om innovative lægemidler, "
        "herunder ATMP.",
        "Identify regulatory conditions in the area in order to clarify regulatory ambiguities and "
        "challenges; the output may include guidelines, checklists or similar. Coordinated with the Danish "
        "Medicines Agency's work on early regulatory advice on innovative medicines, including ATMPs.",
    ),
    (
        "III",
        TorItem.III,
        ProjectKind.ANALYSIS,
        "Løsningsmodeller for real world data",
        "Solution models for real-world data",
        "Beskrive løsningsmodeller for indsamling af real world data, så der opnås bedre viden om, hvordan "
        "lægemidler anvendes og virker i praksis, ved at sikre løbende opfølgning på effekt og sikkerhed, "
        "når ATMP tages i brug.",
        "Describe solution models for collecting real-world data to generate better knowledge about how "
        "medicines are used and work in practice by securing regular follow-up on efficacy and safety when "
        "deploying ATMPs.",
    ),
    (
        "IV",
        TorItem.IV,
        ProjectKind.ANALYSIS,
        "Koordinationsfunktion og finansieringsmodel",
        "Coordination function and financing model",
        "Beskrive løsningsmodeller for etablering af en koordinationsfunktion på området, herunder et "
        "forslag til en bæredygtig finansieringsmodel.",
        "Describe solution models for establishing a coordination function for the area, including a "
        "suggested sustainable financing model.",
    ),
    (
        "V",
        TorItem.V,
        ProjectKind.PILOT,
        "Pilotprojekter",
        "Pilot projects",
        "Gennemføre pilotprojekter, der udvikler og afprøver løsningsmodeller for konkrete initiativer, fx "
        "indsamling af real world data og etablering af en koordinationsfunktion.",
        "Implement pilot projects to develop and test solution models for specific initiatives, such as "
        "collecting real-world data and establishing a coordination function.",
    ),
]


def load() -> list[str]:
    existing = {p.code: p for p in Project.objects.filter(code__in=[row[0] for row in WORK])}
    created = updated = 0
    for position, (code, item, kind, title_da, title_en, purpose_da, purpose_en) in enumerate(WORK):
        wanted = {
            "tor_item": item,
            "kind": kind,
            "title_da": title_da,
            "title_en": title_en,
            "purpose_da": purpose_da,
            "purpose_en": purpose_en,
        }
        project = existing.get(code)
        if project is None:
            project = Project(code=code, position=position, **wanted)
            project.full_clean()
            project.save()
            created += 1
            continue
        changed = [field for field, value in wanted.items() if getattr(project, field) != value]
        if changed:
            for field in changed:
                setattr(project, field, wanted[field])
            project.full_clean()
            project.save(update_fields=[*changed, "updated_at"])
            updated += 1
    return [f"Projects (ToR §2, I–V): {created} created, {updated} updated."]
