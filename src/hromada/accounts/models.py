from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True)
        user = self.create_user(email, password, **fields)
        RoleAssignment.objects.get_or_create(user=user, role=Role.ADMINISTRATOR, organisation=None)
        return user


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: a resident, or staff with one or more roles."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the back office"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    identity_verified_at = models.DateTimeField(_("identity verified"), null=True, blank=True)
    identity_provider = models.CharField(_("verified by"), max_length=100, blank=True)
    identity_subject = models.CharField(
        _("identity provider's subject"), max_length=200, blank=True
    )
    preferred_language = models.CharField(
        _("language"), max_length=5, choices=[("uk", "Українська"), ("en", "English")], default="uk"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["identity_provider", "identity_subject"],
                condition=~Q(identity_subject=""),
                name="user_unique_identity",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def identity_verified(self) -> bool:
        return self.identity_verified_at is not None


class Role(models.TextChoices):
    STAFF = "staff", _("Staff of an organisation")
    COORDINATOR = "coordinator", _("Plan coordinator")
    CONTROLLER = "controller", _("Controller")
    REVIEWER = "reviewer", _("Independent reviewer")
    ADMINISTRATOR = "administrator", _("Administrator")


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation"], name="role_assignment_unique"
            ),
            # Staff always belong to an organisation: the object-level rule depends on it.
            models.CheckConstraint(
                condition=~Q(role="staff") | Q(organisation__isnull=False),
                name="staff_role_needs_organisation",
            ),
        ]

    def __str__(self) -> str:
        suffix = f" — {self.organisation}" if self.organisation_id else ""
        return f"{self.user}: {self.get_role_display()}{suffix}"
