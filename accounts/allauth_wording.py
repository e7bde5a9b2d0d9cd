"""allauth's words, said the portal's way: one language across the login, the account and the portal.

allauth's Danish says "password" where the portal says "adgangskode", "to-faktor-autentificering"
where it says "to-faktor-godkendelse", and misspells "Bekræftet"; its English mixes "Sign In" with
the portal's "Log in". Our catalogue (LOCALE_PATHS) comes before allauth's, so an entry there wins.
These markers keep the msgids in our catalogue when `make messages` re-extracts it: each must be
allauth's msgid, character for character (tests/accounts/test_allauth_wording.py checks).
"""

# ruff: noqa: E501  (allauth's msgids, verbatim)
from django.utils.translation import gettext_noop

ALLAUTH_MSGIDS = [
    gettext_noop("Use authenticator app or code"),
    gettext_noop("You cannot add an email address to an account protected by two-factor authentication."),
    gettext_noop("You cannot deactivate two-factor authentication."),
    gettext_noop("You cannot generate recovery codes without having two-factor authentication enabled."),
    gettext_noop("You cannot activate two-factor authentication until you have verified your email address."),
    gettext_noop("TOTP Authenticator"),
    gettext_noop("Your account has no password set up."),
    gettext_noop("Please reauthenticate to safeguard your account."),
    gettext_noop("Password Reset"),
    gettext_noop("Verified"),
    gettext_noop("Change Password"),
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we'll send you an email allowing you to reset it."
    ),
    gettext_noop("Reset My Password"),
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    gettext_noop(
        'The password reset link was invalid, possibly because it has already been used.  Please request a <a href="%(passwd_reset_url)s">new password reset</a>.'
    ),
    gettext_noop("Your password is now changed."),
    gettext_noop("Set Password"),
    gettext_noop("Two-Factor Authentication"),
    gettext_noop(
        "Your account is protected by two-factor authentication. Please enter an authenticator code:"
    ),
    gettext_noop("A new set of Two-Factor Authentication recovery codes has been generated."),
    gettext_noop("Authentication using an authenticator app is active."),
    gettext_noop("An authenticator app is not active."),
    gettext_noop("Enter an authenticator code:"),
    gettext_noop("Deactivate Authenticator App"),
    gettext_noop("You are about to deactivate authenticator app based authentication. Are you sure?"),
    gettext_noop("Authenticator code"),
    gettext_noop("Authenticator app activated."),
    gettext_noop("Authenticator app deactivated."),
    gettext_noop("Sign In"),
    gettext_noop("Sign Out"),
    gettext_noop("Sign Up"),
]
