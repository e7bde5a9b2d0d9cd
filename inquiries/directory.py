"""The seam between a request and the directory entries the secretariat referred it to.

Dependencies point network → inquiries, so the request page cannot import network. Network
registers a provider in its ``AppConfig.ready()``; the request page asks
``directory_referrals_for(inquiry)`` and shows nothing when no provider is registered.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DirectoryReferral:
    """A directory entry the request was referred to, with what the applicant may see of it."""

    site: str
    site_language: str  # the language of the site's name ("da" for "Region Hovedstaden")
    site_url: str
    contact_email: str
    website: str
    shared: str  # what the secretariat passed on to the site, as the applicant reads it
    referred_on: datetime.date


DirectoryReferralProvider = Callable[[object], list[DirectoryReferral]]
_providers: list[DirectoryReferralProvider] = []


def register_directory_referral_provider(provider: DirectoryReferralProvider) -> None:
    """``provider(inquiry) -> list[DirectoryReferral]``; registering twice is harmless."""
    if provider not in _providers:
        _providers.append(provider)


def directory_referrals_for(inquiry) -> list[DirectoryReferral]:
    referrals: list[DirectoryReferral] = []
    for provider in _providers:
        referrals.extend(provider(inquiry))
    return referrals
