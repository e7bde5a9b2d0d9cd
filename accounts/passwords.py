"""Password rules beyond Django's: not the portal's own words, not a common password with digits.

Offline on purpose: no password (or hash prefix) ever leaves the server.
"""

import re

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# What anyone guessing at this portal tries first: its names, its owner, its country.
SITE_WORDS = (
    "atmpdanmark",
    "atmpdenmark",
    "atmp",
    "danmark",
    "denmark",
    "amgros",
    "sekretariat",
    "secretariat",
    "styregruppe",
    "steeringgroup",
    "henvendelse",
    "portal",
    "password",
    "adgangskode",
    "kodeord",
)
# Letters left once the site's words are taken out: fewer than this and the password is those words.
MIN_OWN_LETTERS = 4


def _letters(password: str) -> str:
    return re.sub(r"[^a-zæøå]", "", password.lower())


class SiteWordsValidator:
    """Refuse a password that is mostly the portal's own words (``atmpdanmark2026``, ``Amgros!2025``)."""

    def validate(self, password, user=None):
        letters = _letters(password)
        rest = letters
        for word in SITE_WORDS:  # longest first, so "atmpdanmark" goes before "atmp"
            rest = rest.replace(word, "")
        if len(rest) < MIN_OWN_LETTERS and len(rest) < len(letters):
            raise ValidationError(
                _("This password is too close to the portal's own name (ATMP Danmark, Amgros …)."),
                code="password_site_words",
            )

    def get_help_text(self):
        return _("Your password cannot be built from the portal's own names (ATMP Danmark, Amgros …).")


class CommonStemValidator(CommonPasswordValidator):
    """Django's list of 20,000 common passwords, also with digits and signs around them.

    ``summer2026!`` is not on the list, but ``summer`` is: guessers add the year and a sign first.
    """

    def validate(self, password, user=None):
        stem = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", password.lower().strip())
        if stem != password.lower().strip() and stem in self.passwords:
            raise ValidationError(
                _("This password is a common password with digits or signs added."),
                code="password_too_common",
            )

    def get_help_text(self):
        return _("Your password cannot be a common password with a number or sign added.")
