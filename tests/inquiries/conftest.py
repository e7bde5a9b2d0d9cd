import pytest

from tests.factories import pdf, submit


@pytest.fixture
def owned_inquiry(owner):
    return submit(owner, files=[pdf()])
