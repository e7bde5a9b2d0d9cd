"""Demo users for `make run`. Never loaded on a server (load_demo_data refuses with DEBUG off)."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group

from accounts.models import ApplicantType, User
from accounts.roles import SECRETARIAT_GROUP

DEMO_PASSWORD = "atmp-demo-2026"
# Every demo account's address is in this domain (a reserved .example name, so no real inbox).
DEMO_EMAIL_DOMAIN = "atmp-demo.example"
# A fixed TOTP secret so that a person trying the portal can add it to an authenticator app.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

DEMO_USERS: list[dict[str, Any]] = [
    {
        "email": "ansoeger@atmp-demo.example",
        "full_name": "Anne Ansøger",
        "organisation": "Rigshospitalet, Klinisk Immunologisk Afdeling",
        "applicant_type": ApplicantType.CLINICIAN,
        "label": "Applicant",
    },
    {
        "email": "sekretariat@atmp-demo.example",
        "full_name": "Søren Sekretariat",
        "organisation": "Amgros",
        "applicant_type": "",
        "label": "Secretariat (admin; two-factor required)",
        "staff": True,
    },
    {
        "email": "styregruppe@atmp-demo.example",
        "full_name": "Stine Styregruppe",
        "organisation": "Danske Regioner",
        "applicant_type": "",
        "label": "Steering group member",
    },
]


def _ensure_user(spec: dict) -> tuple[User, bool]:
    user = User.objects.filter(email=spec["email"]).first()
    created = user is None
    if user is None:
        user = User.objects.create_user(
            email=spec["email"],
            password=DEMO_PASSWORD,
            full_name=spec["full_name"],
            organisation=spec["organisation"],
            applicant_type=spec["applicant_type"],
            is_staff=spec.get("staff", False),
        )
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user, created


def _ensure_mfa(user: User) -> list[str]:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    recovery = Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).first()
    if recovery is None:
        recovery = RecoveryCodes.activate(user).instance
    return RecoveryCodes(recovery).get_unused_codes()


def load() -> list[str]:
    lines = ["", f"Demo logins (password for all: {DEMO_PASSWORD}, unless changed since):"]
    for spec in DEMO_USERS:
        user, created = _ensure_user(spec)
        lines.append(f"  {spec['label']:<42} {user.email}{'  (new)' if created else ''}")
        if spec.get("staff"):
            user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
            codes = _ensure_mfa(user)
            lines.append(f"    two-factor: TOTP secret {DEMO_TOTP_SECRET} (add it to an authenticator app),")
            lines.append(f"    or one of these unused recovery codes: {', '.join(codes[:3])}")
    return lines
