"""The budget tests assert messages in English (the msgids); amounts then read "DKK 1,234.00"."""

import pytest


@pytest.fixture(autouse=True)
def _english(english):
    """Every budget test runs in English."""
