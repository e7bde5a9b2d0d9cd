from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApplicantType(models.TextChoices):
    CLINICIAN = "clinician", _("Clinician")
    RESEARCHER = "researcher", _("Researcher")
    COMPANY = "company", _("Company")
    HOSPITAL_PHARMACY = "hospital_pharmacy", _("Hospital pharmacy")
    PATIENT_ORGANISATION = "patient_organisation", _("Patient organisation")
    OTHER = "other", _("Other")


class Language(models.TextChoices):
    DANISH = "da", _("Danish")
    ENGLISH = "en", _("English")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email, password, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: applicant, secretariat staff or an appointed member.

    The email address is the login. Roles are not stored here: see ``accounts.roles``.
    """

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    organisation = models.CharField(
        _("organisation"), max_length=200, blank=True, help_text=_("Hospital, university, company or other.")
    )
    applicant_type = models.CharField(_("I am a"), max_length=32, choices=ApplicantType.choices, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=Language.choices,
        default=Language.DANISH,
        help_text=_("Emails and pages are shown in this language."),
    )
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("May sign in to the administration (the secretariat).")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick instead of deleting, so that history is kept.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name.split() or [self.email])[0]
