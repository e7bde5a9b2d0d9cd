"""Who may open what: every request URL and download, for the whole cast."""

import pytest
from django.urls import reverse

from inquiries import services
from tests.conftest import sign_in
from tests.factories import pdf, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(owner, colleague, outsider, secretariat, steering_member):
    return {
        "owner": owner,
        "colleague": colleague,
        "outsider": outsider,
        "secretariat": secretariat,
        "steering_member": steering_member,
    }


def _login(client, user):
    if user.is_authenticated:
        sign_in(client, user)


# Request detail and the public attachment: the owner and the secretariat; others get a 404.
@pytest.mark.parametrize(
    ("who", "expected"),
    [("owner", 200), ("colleague", 404), ("outsider", 302), ("secretariat", 200), ("steering_member", 404)],
)
def test_request_page(client, cast, owned_inquiry, who, expected):
    _login(client, cast[who])
    response = client.get(reverse("inquiries:detail", args=[owned_inquiry.reference]))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("who", "expected"),
    [("owner", 200), ("colleague", 404), ("outsider", 302), ("secretariat", 200), ("steering_member", 404)],
)
def test_attachment_download(client, cast, owned_inquiry, who, expected):
    attachment = owned_inquiry.attachments.get()
    _login(client, cast[who])
    response = client.get(reverse("inquiries:attachment", args=[owned_inquiry.reference, attachment.uuid]))
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Disposition"].startswith('attachment; filename="protocol.pdf"')
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("who", "expected"),
    [("owner", 302), ("colleague", 404), ("outsider", 302), ("secretariat", 404), ("steering_member", 404)],
)
def test_reply_and_withdraw_only_by_the_owner(client, cast, owned_inquiry, who, expected):
    _login(client, cast[who])
    for name, data in (("inquiries:reply", {"body": "More details."}), ("inquiries:withdraw", {})):
        response = client.post(reverse(name, args=[owned_inquiry.reference]), data)
        assert response.status_code == expected, name
        if who == "outsider":
            assert response["Location"].startswith(reverse("account_login"))
    owned_inquiry.refresh_from_db()
    assert (owned_inquiry.status == "withdrawn") == (who == "owner")


@pytest.mark.parametrize("who", ["owner", "colleague", "secretariat", "steering_member"])
def test_list_and_form_are_for_signed_in_people_and_show_only_their_own(client, cast, owned_inquiry, who):
    _login(client, cast[who])
    listing = client.get(reverse("inquiries:list"))
    assert listing.status_code == 200
    assert (owned_inquiry.reference in listing.content.decode()) == (who == "owner")
    assert client.get(reverse("inquiries:new")).status_code == 200


@pytest.mark.parametrize("name", ["inquiries:list", "inquiries:new"])
def test_outsider_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_unknown_reference_is_a_404_like_someone_elses(client, owner):
    sign_in(client, owner)
    assert client.get(reverse("inquiries:detail", args=["ATMP-2026-9999"])).status_code == 404


def test_internal_attachments_are_never_downloadable_by_the_applicant(client, owner, secretariat):
    inquiry = submit(owner)
    note = services.message_post(
        inquiry=inquiry,
        actor=secretariat,
        body="Internal assessment",
        internal=True,
        files=[(pdf("assessment.pdf"), "application/pdf")],
    )
    attachment = note.attachments.get()
    url = reverse("inquiries:attachment", args=[inquiry.reference, attachment.uuid])
    sign_in(client, owner)
    assert client.get(url).status_code == 404
    page = client.get(reverse("inquiries:detail", args=[inquiry.reference])).content.decode()
    assert "Internal assessment" not in page
    assert "assessment.pdf" not in page
    sign_in(client, secretariat)
    assert client.get(url).status_code == 200


def test_files_are_stored_under_generated_names_in_a_private_folder(owned_inquiry, private_media):
    stored = owned_inquiry.attachments.get().file.name
    assert stored.startswith("private/requests/")
    assert "protocol" not in stored
    assert (private_media / stored).exists()


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_xss_in_subject_question_and_replies_is_escaped_on_the_applicants_pages(client, owner, secretariat):
    inquiry = submit(owner, subject=XSS, question=XSS, confidential_details=XSS)
    services.message_post(inquiry=inquiry, actor=secretariat, body=XSS, internal=False)
    services.inquiry_reply_by_applicant(inquiry=inquiry, actor=owner, body=XSS)
    sign_in(client, owner)
    for url in (reverse("inquiries:detail", args=[inquiry.reference]), reverse("inquiries:list")):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;" in page


@pytest.mark.parametrize("page", ["detail", "attachment", "list", "new"])
def test_staff_without_a_second_factor_is_sent_to_set_it_up(
    client, owned_inquiry, staff_without_second_factor, page
):
    attachment = owned_inquiry.attachments.get()
    url = {
        "detail": reverse("inquiries:detail", args=[owned_inquiry.reference]),
        "attachment": reverse("inquiries:attachment", args=[owned_inquiry.reference, attachment.uuid]),
        "list": reverse("inquiries:list"),
        "new": reverse("inquiries:new"),
    }[page]
    sign_in(client, staff_without_second_factor)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
