import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inquiries import services as inquiry_services
from tests.factories import submit

MARKER = "Zyxwvmarker"  # in every piece of the owner's data: nothing containing it may survive an erasure


def pdf(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, f"%PDF-1.4\n{text}\n%%EOF\n".encode())


@pytest.fixture
def marked_owner(owner):
    owner.full_name = f"Olivia {MARKER}"
    owner.organisation = f"{MARKER} Hospital"
    owner.save()
    return owner


@pytest.fixture
def owners_requests(marked_owner, secretariat, django_capture_on_commit_callbacks):
    """One open and one closed request of the owner, with a reply, an internal note and files."""
    with django_capture_on_commit_callbacks(execute=True):
        open_one = submit(
            marked_owner,
            files=[pdf(f"{MARKER}-scan.pdf", f"scan of {MARKER}")],
            subject=f"CAR-T for {MARKER}",
            question=f"My question about {MARKER}",
            organisation=f"{MARKER} Hospital",
            confidential_details=f"Secret {MARKER} details",
        )
        inquiry_services.inquiry_reply_by_applicant(
            inquiry=open_one,
            actor=marked_owner,
            body=f"More from {MARKER}",
            files=[(pdf("more.pdf", MARKER), "application/pdf")],
        )
        inquiry_services.message_post(
            inquiry=open_one, actor=secretariat, body=f"Internal note on {MARKER}", internal=True,
            files=[(pdf("internal.pdf", f"internal {MARKER}"), "application/pdf")],
        )  # fmt: skip
        closed = submit(marked_owner, subject=f"Second {MARKER} question", question=f"Text {MARKER}")
        inquiry_services.message_post(
            inquiry=closed, actor=secretariat, body=f"Answer to {MARKER}", internal=False
        )
        inquiry_services.inquiry_transition(inquiry=closed, actor=secretariat, to="closed")
    return open_one, closed
