"""The applicant's form: what it asks, what it checks, and that a failure keeps what was typed."""

import pytest
from django.core import mail
from django.urls import reverse

from inquiries.forms import find_cpr_numbers
from inquiries.models import Inquiry, Notification
from tests.conftest import sign_in
from tests.factories import PDF_BYTES, docx, pdf

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "applicant_type": "researcher",
        "organisation": "Aarhus Universitet",
        "region": "midtjylland",
        "topic": "clinical_trials",
        "atmp_class": "gene_therapy",
        "development_stage": "preclinical",
        "subject": "Sites for a phase I gene therapy trial",
        "question": "Which Danish sites can run a first-in-human AAV trial?",
        "wished_answer_date": "",
        "already_contacted": "Trial Nation",
        "shareable_summary": "A question about trial sites for gene therapy.",
        "confidential_details": "Sponsor: unnamed biotech.",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_the_form_prefills_from_the_profile(client, owner):
    sign_in(client, owner)
    page = client.get(reverse("inquiries:new")).content.decode()
    assert 'value="Aarhus Universitetshospital"' in page
    assert reverse("pages:privacy") in page


def test_submitting_shows_the_reference_and_the_answer_date_and_sends_a_receipt(
    client, owner, django_capture_on_commit_callbacks
):
    sign_in(client, owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("inquiries:new"), {**form_data(), "attachments": [pdf(), docx()]}, follow=True
        )
    inquiry = Inquiry.objects.get()
    assert response.redirect_chain[-1][0] == reverse("inquiries:detail", args=[inquiry.reference])
    page = response.content.decode()
    assert inquiry.reference in page
    assert "Vi svarer senest" in page or "We will answer by" in page
    assert inquiry.attachments.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.email, "atmp@amgros.dk"])
    receipt = next(m for m in mail.outbox if m.to == [owner.email])
    assert inquiry.reference in receipt.subject
    assert "Vi har modtaget" in receipt.subject  # the owner's language is Danish


def test_a_failed_form_keeps_what_was_typed_and_asks_for_the_files_again(client, owner):
    sign_in(client, owner)
    response = client.post(reverse("inquiries:new"), {**form_data(topic=""), "attachments": [pdf()]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Which Danish sites can run a first-in-human AAV trial?" in page
    assert "Sponsor: unnamed biotech." in page
    assert "vælg dem igen" in page or "choose them again" in page
    assert not Inquiry.objects.exists()


def test_consent_is_required(client, owner):
    sign_in(client, owner)
    data = form_data()
    del data["consent"]
    response = client.post(reverse("inquiries:new"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["consent"]


def test_a_possible_cpr_number_stops_the_form_once_with_a_warning(client, owner):
    sign_in(client, owner)
    data = form_data(question="The patient 010190-1234 needs treatment.")
    response = client.post(reverse("inquiries:new"), data)
    assert response.status_code == 200
    assert response.context["form"].cpr_warning
    assert 'name="cpr_confirmed"' in response.content.decode()
    assert not Inquiry.objects.exists()
    response = client.post(reverse("inquiries:new"), {**data, "cpr_confirmed": "on"})
    assert response.status_code == 302
    assert Inquiry.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("CPR 010190-1234", True),
        ("CPR 0101901234", True),
        ("phone 31 45 67 89", False),
        ("EudraCT 2024-123456-12", False),
        ("batch 320190-1234", False),  # no 32nd day
        ("order 12345678901", False),
    ],
)
def test_cpr_detection(text, found):
    assert bool(find_cpr_numbers(text)) == found


def test_a_wrong_type_renamed_to_pdf_is_refused(client, owner):
    sign_in(client, owner)
    fake = pdf("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64)  # a Windows executable
    response = client.post(reverse("inquiries:new"), {**form_data(), "attachments": [fake]})
    assert response.status_code == 200
    assert "report.pdf" in str(response.context["form"].errors["attachments"])
    assert not Inquiry.objects.exists()


def test_a_text_file_with_a_pdf_name_is_refused_too(client, owner):
    sign_in(client, owner)
    fake = pdf("report.pdf", b"just some text")
    response = client.post(reverse("inquiries:new"), {**form_data(), "attachments": [fake]})
    assert response.context["form"].errors["attachments"]


def test_an_oversize_file_is_refused(client, owner, settings):
    settings.REQUESTS_MAX_UPLOAD_BYTES = 1024
    sign_in(client, owner)
    big = pdf("big.pdf", PDF_BYTES + b"0" * 2048)
    response = client.post(reverse("inquiries:new"), {**form_data(), "attachments": [big]})
    errors = str(response.context["form"].errors["attachments"])
    assert "big.pdf" in errors
    assert not Inquiry.objects.exists()


def test_too_many_files_are_refused(client, owner, settings):
    settings.REQUESTS_MAX_UPLOADS = 2
    sign_in(client, owner)
    files = [pdf(f"f{i}.pdf") for i in range(3)]
    response = client.post(reverse("inquiries:new"), {**form_data(), "attachments": files})
    assert response.context["form"].errors["attachments"]
    assert not Inquiry.objects.exists()


def test_the_applicant_replies_with_an_attachment_and_the_clock_resumes(
    client, owner, secretariat, owned_inquiry
):
    from inquiries import services

    services.inquiry_transition(inquiry=owned_inquiry, to="in_triage", actor=secretariat)
    services.inquiry_transition(inquiry=owned_inquiry, to="waiting_for_applicant", actor=secretariat)
    sign_in(client, owner)
    response = client.post(
        reverse("inquiries:reply", args=[owned_inquiry.reference]),
        {"body": "The protocol is attached.", "attachments": [pdf("protocol-v2.pdf")]},
    )
    assert response.status_code == 302
    owned_inquiry.refresh_from_db()
    assert owned_inquiry.status == "in_progress"
    page = client.get(reverse("inquiries:detail", args=[owned_inquiry.reference])).content.decode()
    assert "The protocol is attached." in page
    assert "protocol-v2.pdf" in page


def test_an_empty_reply_is_shown_with_its_error(client, owner, owned_inquiry):
    sign_in(client, owner)
    response = client.post(reverse("inquiries:reply", args=[owned_inquiry.reference]), {"body": ""})
    assert response.status_code == 400
    assert response.context["reply_form"].errors["body"]


def test_english_dates_put_the_day_first(client, owner, owned_inquiry):
    from django.utils import timezone

    sign_in(client, owner)
    client.cookies["atmp_language"] = "en"
    page = client.get(reverse("inquiries:list")).content.decode()
    assert timezone.localtime(owned_inquiry.submitted_at).strftime("%d/%m/%Y") in page


def _key_in(page: str) -> str:
    import re

    found = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', page)
    assert found, "the form has no submission key"
    return found.group(1)


def test_a_double_submit_of_the_same_form_makes_one_request_and_one_receipt(
    client, owner, django_capture_on_commit_callbacks
):
    sign_in(client, owner)
    key = _key_in(client.get(reverse("inquiries:new")).content.decode())
    responses = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            responses.append(client.post(reverse("inquiries:new"), form_data(submission_key=key)))
    inquiry = Inquiry.objects.get()
    for response in responses:
        assert response.status_code == 302
        assert response["Location"] == reverse("inquiries:detail", args=[inquiry.reference])
    assert [m.to for m in mail.outbox].count([owner.email]) == 1


def test_the_key_survives_a_re_render_and_a_new_form_gets_a_new_one(client, owner):
    sign_in(client, owner)
    first = _key_in(client.get(reverse("inquiries:new")).content.decode())
    rerendered = client.post(reverse("inquiries:new"), form_data(subject="", submission_key=first))
    assert rerendered.status_code == 200
    assert _key_in(rerendered.content.decode()) == first
    assert _key_in(client.get(reverse("inquiries:new")).content.decode()) != first


def test_the_same_key_from_another_applicant_is_their_own_request(client, owner, colleague):
    sign_in(client, owner)
    key = _key_in(client.get(reverse("inquiries:new")).content.decode())
    client.post(reverse("inquiries:new"), form_data(submission_key=key))
    sign_in(client, colleague)
    response = client.post(reverse("inquiries:new"), form_data(submission_key=key))
    assert response.status_code == 302
    assert Inquiry.objects.filter(applicant=colleague).count() == 1
    assert Inquiry.objects.count() == 2


def test_the_form_carries_a_fresh_submission_key_and_the_draft_note(client, owner):
    sign_in(client, owner)
    first = client.get(reverse("inquiries:new")).context["form"]["submission_key"].value()
    second = client.get(reverse("inquiries:new"))
    assert first and first != second.context["form"]["submission_key"].value()
    page = second.content.decode()
    assert f'data-draft="inquiry-new:{owner.pk}"' in page and 'data-draft-fresh="true"' in page
    assert 'id="draft-note" hidden' in page  # shown by request-draft.js, only where it runs


def test_sending_the_same_form_twice_makes_one_request_and_both_land_on_its_receipt(client, owner):
    """A resubmit after an unclear failure (a timeout, a lost connection) creates no second request."""
    sign_in(client, owner)
    key = "6f1c1f0e-7d0b-4a51-9d43-2f3b1d0a8c11"
    first = client.post(reverse("inquiries:new"), form_data(submission_key=key))
    again = client.post(reverse("inquiries:new"), form_data(submission_key=key))
    inquiry = Inquiry.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == reverse("inquiries:detail", args=[inquiry.reference])
    assert str(inquiry.submission_key) == key
    assert Notification.objects.filter(inquiry=inquiry, kind="receipt").count() == 1


def test_another_applicant_with_the_same_key_gets_a_request_of_their_own(client, owner, colleague):
    key = "6f1c1f0e-7d0b-4a51-9d43-2f3b1d0a8c11"
    for user in (owner, colleague):
        sign_in(client, user)
        assert client.post(reverse("inquiries:new"), form_data(submission_key=key)).status_code == 302
    assert sorted(Inquiry.objects.values_list("applicant__email", flat=True)) == [
        colleague.email,
        owner.email,
    ]


def test_the_receipt_page_tells_the_browser_to_delete_the_draft(client, owner):
    sign_in(client, owner)
    response = client.post(reverse("inquiries:new"), form_data(), follow=True)
    assert f'data-draft-sent="inquiry-new:{owner.pk}"' in response.content.decode()
    # Only the receipt: the request's page seen later leaves a new draft alone.
    page = client.get(response.redirect_chain[-1][0]).content.decode()
    assert "data-draft-sent" not in page
