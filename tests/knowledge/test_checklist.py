"""The regulatory checklist: which steps for which answers, the page, the PDF, "ask us about this"."""

import itertools
import re
import zlib
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from inquiries.models import AtmpClass, DevelopmentStage
from knowledge import services
from knowledge.checklist_seed import SEED_STEPS
from knowledge.models import CellOrigin, ChecklistStep, Route, SponsorType, YesNo
from knowledge.reference_data import load as load_reference_data
from tests.conftest import sign_in
from tests.factories import library_item

pytestmark = pytest.mark.django_db

ACADEMIC_GENE_THERAPY_PHASE_1 = {
    "atmp_class": "gene_therapy",
    "stage": "phase_1",
    "sponsor": "academic",
    "gmo": "yes",
    "origin": "autologous",
    "route": "clinical_trial",
}

# The rules, written out here a second time and independently of the seed's data: each step
# and the answers it is for. A change to a seed condition that is not also made here fails.
EXPECTED = {
    "cat-classification": lambda a: a["atmp_class"] in {"not_sure", "combined"},
    "dkma-early-advice": lambda a: a["stage"] in {"research", "preclinical", "phase_1", "phase_2"},
    "itf-briefing": lambda a: (
        a["stage"] in {"research", "preclinical"}
        and a["route"] in {"clinical_trial", "marketing_authorisation"}
    ),
    "sme-status": lambda a: a["sponsor"] == "company",
    "tissue-establishment": lambda a: a["origin"] in {"autologous", "allogeneic"},
    "gmo-notification": lambda a: a["gmo"] == "yes",
    "gcp-unit": lambda a: a["sponsor"] in {"academic", "hospital"} and a["route"] == "clinical_trial",
    "ctis-application": lambda a: a["route"] == "clinical_trial",
    "ctis-expedited-phase-1": lambda a: a["stage"] == "phase_1" and a["route"] == "clinical_trial",
    "hospital-exemption": lambda a: a["route"] == "hospital_exemption",
}
QUESTIONS = {
    "atmp_class": AtmpClass.values,
    "stage": DevelopmentStage.values,
    "sponsor": SponsorType.values,
    "gmo": YesNo.values,
    "origin": CellOrigin.values,
    "route": Route.values,
}


@pytest.fixture
def seeded(db):
    load_reference_data()
    return list(ChecklistStep.objects.order_by("position"))


def every_answer():
    names = list(QUESTIONS)
    for values in itertools.product(*QUESTIONS.values()):
        yield dict(zip(names, values, strict=True))


def test_each_seed_step_appears_exactly_for_the_answers_it_applies_to(seeded):
    assert {step.code for step in seeded} == set(EXPECTED)
    shown_for = {code: 0 for code in EXPECTED}
    combinations = 0
    for answers in every_answer():
        combinations += 1
        shown = {step.code for step in seeded if step.applies_to(answers)}
        expected = {code for code, rule in EXPECTED.items() if rule(answers)}
        assert shown == expected, answers
        for code in shown:
            shown_for[code] += 1
    assert combinations == 5 * len(DevelopmentStage.values) * 3 * 2 * 3 * 3
    # Every step is for some answers and not for all of them.
    assert all(0 < count < combinations for count in shown_for.values()), shown_for


def test_every_seed_step_is_to_be_confirmed_and_the_seed_is_idempotent_and_keeps_edits(seeded):
    assert len(seeded) == len(SEED_STEPS) and not any(step.is_confirmed for step in seeded)
    ChecklistStep.objects.filter(code="gcp-unit").update(title_en="Edited by the secretariat")
    load_reference_data()
    assert ChecklistStep.objects.count() == len(SEED_STEPS)
    assert ChecklistStep.objects.get(code="gcp-unit").title_en == "Edited by the secretariat"


def test_the_academic_gene_therapy_phase_one_checklist_lists_its_steps_in_order(client, english, seeded):
    page = client.get(reverse("knowledge:checklist"), ACADEMIC_GENE_THERAPY_PHASE_1).content.decode()
    titles = re.findall(r'<li class="checklist-step">\s*<h3[^>]*>([^<]+)', page)
    assert [t.strip() for t in titles] == [
        "Ask the Danish Medicines Agency for early advice",
        "Tissue establishment: authorisation for donation, procurement and testing of cells and tissues",
        "Notify the Working Environment Authority of work with genetically modified organisms",
        "Get support from a GCP unit",
        "Apply for the clinical trial in CTIS",
        "Use the expedited assessment of phase I and phase I/II trials",
    ]
    assert page.count("to be confirmed</span>") == 6


def test_a_new_step_added_in_the_admin_appears_for_its_answers_only(client, secretariat, seeded):
    sign_in(client, secretariat)
    blank = [
        "authority_da",
        "authority_en",
        "legal_basis",
        "typical_time_da",
        "typical_time_en",
        "authority_url",
    ]
    data = {
        **dict.fromkeys(blank, ""),
        "code": "national-biobank",
        "position": "5",
        "title_da": "Anmeld til biobankregistret",
        "title_en": "Register the biobank",
        "what_da": "Hvad",
        "what_en": "What",
        "when_origins": ["allogeneic"],
        "when_sponsors": ["hospital", "academic"],
        "is_active": "on",
    }
    response = client.post(reverse("admin:knowledge_checkliststep_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    step = ChecklistStep.objects.get(code="national-biobank")
    assert step.when_origins == ["allogeneic"] and step.when_atmp_classes == []
    client.logout()
    allogeneic = {**ACADEMIC_GENE_THERAPY_PHASE_1, "origin": "allogeneic"}
    assert (
        "Anmeld til biobankregistret"
        in client.get(reverse("knowledge:checklist"), allogeneic).content.decode()
    )
    page = client.get(reverse("knowledge:checklist"), ACADEMIC_GENE_THERAPY_PHASE_1).content.decode()
    assert "Anmeld til biobankregistret" not in page


def test_a_step_condition_naming_an_unknown_answer_is_refused(secretariat):
    step = ChecklistStep(code="x", title_da="X", what_da="X", when_routes=["teleportation"])
    with pytest.raises(ValidationError):
        services.checklist_step_save(step=step, actor=secretariat)


def test_confirming_a_step_removes_its_to_be_confirmed_mark(client, secretariat, seeded):
    services.checklist_step_confirm(step=ChecklistStep.objects.get(code="gcp-unit"), actor=secretariat)
    page = client.get(reverse("knowledge:checklist"), ACADEMIC_GENE_THERAPY_PHASE_1).content.decode()
    assert page.count("bekræftes</span>") == 5  # "skal bekræftes" on the other five


# --- The page, its address, bad input ---------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "owner", "secretariat", "steering_member"])
def test_the_checklist_and_its_pdf_are_public(client, request, seeded, who):
    user = request.getfixturevalue(who)
    if user.is_authenticated:
        sign_in(client, user)
    assert client.get(reverse("knowledge:checklist")).status_code == 200
    assert client.get(reverse("knowledge:checklist"), ACADEMIC_GENE_THERAPY_PHASE_1).status_code == 200
    assert client.get(reverse("knowledge:checklist_pdf"), ACADEMIC_GENE_THERAPY_PHASE_1).status_code == 200


def test_the_result_has_a_stable_address_made_of_the_answers(client, seeded):
    page = client.get(reverse("knowledge:checklist"), ACADEMIC_GENE_THERAPY_PHASE_1).content.decode()
    links = re.findall(r'href="/knowledge/checklist/\?([^"]+)"', page)
    assert links and all(
        parse_qs(q.replace("&amp;", "&")) == {k: [v] for k, v in ACADEMIC_GENE_THERAPY_PHASE_1.items()}
        for q in links
    )


@pytest.mark.parametrize(
    "query",
    [
        {"atmp_class": "gene_therapy"},
        {**ACADEMIC_GENE_THERAPY_PHASE_1, "route": "teleportation"},
        {**ACADEMIC_GENE_THERAPY_PHASE_1, "stage": "<script>"},
    ],
)
def test_incomplete_or_unknown_answers_are_a_400_that_keeps_the_answers_given(client, english, seeded, query):
    response = client.get(reverse("knowledge:checklist"), query)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please answer every question" in page
    assert 'value="gene_therapy" selected' in page
    assert "<script>" not in page.split('id="main-content"')[1]


def test_the_pdf_of_an_incomplete_checklist_goes_back_to_the_questions(client, seeded):
    response = client.get(reverse("knowledge:checklist_pdf"), {"atmp_class": "gene_therapy"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("knowledge:checklist"))


def _pdf_text(content: bytes) -> str:
    text = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            text.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            text.append(stream.decode("latin-1"))
    return "".join(text)


def test_the_pdf_lists_the_same_steps_in_danish_letters(client, seeded):
    response = client.get(reverse("knowledge:checklist_pdf"), ACADEMIC_GENE_THERAPY_PHASE_1)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content.startswith(b"%PDF-")
    text = _pdf_text(response.content)
    assert "Ansøg om klinisk forsøg i CTIS" in text
    assert "Anmeld arbejdet med genetisk modificerede organismer til Arbejdstilsynet" in text
    assert "Søg om fremstilling under hospitalsundtagelsen" not in text
    assert "skal bekræftes" in text


def test_the_print_stylesheet_prints_the_result_alone_on_a4(client):
    from django.contrib.staticfiles import finders

    found = finders.find("css/knowledge.css")
    assert isinstance(found, str)
    css = open(found, encoding="utf-8").read()
    printed = css.split("@media print", 1)[1]
    assert "size: A4" in printed
    assert re.search(r"header, footer[^{]*\.checklist-screen-only[^{]*\{ display: none", printed)


def test_a_step_links_only_published_library_items(client, secretariat, seeded):
    step = ChecklistStep.objects.get(code="ctis-application")
    published = library_item(actor=secretariat, slug="ctis-guide", title_da="CTIS-guide")
    draft = library_item(actor=secretariat, slug="ctis-draft", title_da="CTIS-kladde", publish=False)
    step.library_items.add(published, draft)
    page = client.get(reverse("knowledge:checklist"), ACADEMIC_GENE_THERAPY_PHASE_1).content.decode()
    assert "CTIS-guide" in page and "CTIS-kladde" not in page


def test_the_checklist_page_query_count_does_not_grow_with_steps(
    client, seeded, django_assert_max_num_queries
):
    for n in range(30):
        ChecklistStep.objects.create(code=f"extra-{n}", title_da=f"Ekstra {n}", what_da="x")
    with django_assert_max_num_queries(3):
        client.get(reverse("knowledge:checklist"), ACADEMIC_GENE_THERAPY_PHASE_1)


# --- Ask ATMP Danmark about this ---------------------------------------------------------------


def _ask_url(client):
    page = client.get(reverse("knowledge:checklist"), ACADEMIC_GENE_THERAPY_PHASE_1).content.decode()
    found = re.search(r'href="(/requests/new/\?[^"]+)"', page)
    assert found is not None
    href = found.group(1)
    return href.replace("&amp;", "&")


def test_ask_about_this_opens_the_request_form_with_topic_class_stage_and_the_checklist(
    client, owner, seeded
):
    url = _ask_url(client)
    query = parse_qs(urlparse(url).query)
    assert query["topic"] == ["regulatory"] and query["atmp_class"] == ["gene_therapy"]
    assert query["development_stage"] == ["phase_1"]
    sign_in(client, owner)
    form = client.get(url).context["form"]
    assert form.initial["topic"] == "regulatory"
    assert form.initial["atmp_class"] == "gene_therapy"
    assert form.initial["development_stage"] == "phase_1"
    assert "/knowledge/checklist/?atmp_class=gene_therapy&stage=phase_1" in form.initial["question"]
    page = client.get(url).content.decode()
    assert '<option value="gene_therapy" selected>' in page


def test_ask_about_this_keeps_the_answers_through_the_login(client, seeded):
    url = _ask_url(client)
    response = client.get(url)
    assert response.status_code == 302
    assert "next=" in response["Location"] and "atmp_class" in response["Location"]


def test_the_request_form_ignores_prefilled_values_it_does_not_offer(client, owner):
    sign_in(client, owner)
    form = client.get(
        reverse("inquiries:new"), {"topic": "bogus", "atmp_class": "<b>", "subject": "S" * 500}
    ).context["form"]
    assert "topic" not in form.initial and "atmp_class" not in form.initial
    assert len(form.initial["subject"]) == 200


# --- Secretariat-written text is inert ----------------------------------------------------------


def test_every_secretariat_field_of_a_step_renders_inert(client, secretariat, seeded):
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    ChecklistStep.objects.filter(code="ctis-application").update(
        title_da=payload, what_da=payload, authority_da=payload, legal_basis=payload, typical_time_da=payload
    )
    page = client.get(reverse("knowledge:checklist"), ACADEMIC_GENE_THERAPY_PHASE_1).content.decode()
    main = page.split('id="main-content"')[1].split("</main>")[0]
    assert "<script>alert" not in main and "<img" not in main
    assert "&lt;script&gt;" in main


def test_a_javascript_address_for_the_authority_is_refused(secretariat):
    step = ChecklistStep(code="x", title_da="X", what_da="X", authority_url="javascript:alert(1)")
    with pytest.raises(ValidationError):
        services.checklist_step_save(step=step, actor=secretariat)
