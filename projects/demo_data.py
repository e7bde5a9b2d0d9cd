"""Demo projects for `make run`.

Analysis I is under way (started by a steering group decision, with milestones, a progress
update and a draft report); analysis II stays "proposed" so that a new user can approve it
in the admin by pointing at the public decision SG-<year>-xx-01 that the governance demo
recorded. One pilot project is proposed. Idempotent: nothing is done twice.
"""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from audit import stamps
from governance import services as governance
from governance.models import Body, DecisionConcerns, Meeting, MeetingStatus
from projects import services
from projects.models import (
    Deliverable,
    DeliverableKind,
    Health,
    Milestone,
    Project,
    ProjectKind,
    ProjectStatus,
    TorItem,
)


def load() -> list[str]:
    analysis_one = Project.objects.filter(code="I").first()
    steering = Body.objects.filter(code="steering-group").first()
    held = (
        Meeting.objects.filter(body=steering, status=MeetingStatus.HELD).order_by("-starts_at").first()
        if steering
        else None
    )
    if analysis_one is None or held is None:
        return ["Projects demo: skipped (load the reference data and the governance demo first)."]

    report = []
    if analysis_one.status == ProjectStatus.PROPOSED:
        today = timezone.localdate()
        decision = governance.decision_record(
            actor=None,
            meeting=held,
            title="Igangsættelse af analyse I om international erfaring",
            text="Styregruppen igangsætter analyse I. Sekretariatet afrapporterer til styregruppen "
            "inden udgangen af tredje kvartal 2026.",
            concerns=DecisionConcerns.PROJECT,
            is_public=True,
        )
        Project.objects.filter(pk=analysis_one.pk).update(
            planned_start=today - datetime.timedelta(days=120),
            planned_end=datetime.date(today.year + 1, 6, 30),
            lead="Amgros, Analyse og udbud",
        )
        stamps.bump(Project)
        services.project_approve(actor=None, project=analysis_one, decision=decision)
        services.project_transition(
            actor=None,
            project=analysis_one,
            to_status=ProjectStatus.IN_PROGRESS,
            on=today - datetime.timedelta(days=110),
        )
        for title_da, title_en, due, done in [
            ("Interviewplan godkendt", "Interview plan approved", -90, -92),
            (
                "Interviews med Norge, Sverige og Holland",
                "Interviews with Norway, Sweden and the Netherlands",
                -10,
                None,
            ),
            ("Udkast til rapport", "Draft report", 60, None),
            ("Rapport til styregruppen", "Report to the steering group", 150, None),
        ]:
            Milestone.objects.create(
                project=analysis_one,
                title_da=title_da,
                title_en=title_en,
                due_date=today + datetime.timedelta(days=due),
                done_date=today + datetime.timedelta(days=done) if done is not None else None,
            )
        services.progress_record(
            actor=None,
            project=analysis_one,
            text="Interviewplanen er godkendt, og fire af seks interviews er gennemført.",
            on=today - datetime.timedelta(days=60),
            is_public=True,
        )
        services.progress_record(
            actor=None,
            project=analysis_one,
            text="To interviews er udskudt til januar, fordi nøglepersoner ikke kunne deltage.",
            health=Health.AT_RISK,
            reason="Interviewene med Holland og Sverige er udskudt; "
            "rapportudkastet kan blive en måned forsinket.",
            on=today - datetime.timedelta(days=7),
        )
        Deliverable.objects.create(
            project=analysis_one,
            title="International erfaring med ATMP-institutioner – rapport",
            kind=DeliverableKind.REPORT,
            language="da",
            summary="Rapport om organiseringen af nationale og regionale ATMP-institutioner i fem lande.",
            due_date=today + datetime.timedelta(days=150),
            file=ContentFile(b"%PDF-1.4\n% ATMP Danmark demo draft\n", name="rapport-udkast.pdf"),
        )
        report.append("Projects demo: analysis I started with 4 milestones, 2 updates and a draft report.")

    pilot, created = Project.objects.get_or_create(
        code="P1",
        defaults={
            "kind": ProjectKind.PILOT,
            "tor_item": TorItem.V,
            "title_da": "Pilot: opfølgning på CAR-T-behandling med real world data",
            "title_en": "Pilot: following up CAR-T treatment with real-world data",
            "purpose_da": "Afprøve en model for systematisk opfølgning på effekt og sikkerhed af "
            "CAR-T-behandling på tværs af regionerne.",
            "purpose_en": "Test a model for systematic follow-up on the efficacy and safety of "
            "CAR-T treatment across the regions.",
            "position": 10,
        },
    )
    if created:
        report.append("Projects demo: pilot P1 proposed.")
    return report or ["Projects demo: already there."]
