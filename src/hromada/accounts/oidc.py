"""OpenID Connect sign-in: a national e-ID provider asserts a verified resident."""

from __future__ import annotations

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from hromada.accounts.models import User
from hromada.accounts.services import identity_verify


def full_name_from_claims(claims: dict) -> str:
    if claims.get("name"):
        return claims["name"]
    parts = [claims.get("family_name"), claims.get("given_name"), claims.get("middle_name")]
    return " ".join(part for part in parts if part)


class VerifiedResidentBackend(OIDCAuthenticationBackend):
    """Finds the resident by the provider's subject, then by e-mail; creates one if new."""

    def filter_users_by_claims(self, claims):
        subject = claims.get("sub", "")
        by_subject = User.objects.filter(
            identity_provider=settings.OIDC_PROVIDER_NAME, identity_subject=subject
        )
        if subject and by_subject.exists():
            return by_subject
        email = (claims.get("email") or "").lower()
        # Linking to an existing account by e-mail is safe only if the provider verified it.
        if email and claims.get("email_verified") is True:
            return User.objects.filter(email=email)
        return User.objects.none()

    def create_user(self, claims):
        user = User.objects.create_user(
            email=(claims.get("email") or f"{claims['sub']}@oidc.invalid").lower(),
            full_name=full_name_from_claims(claims),
        )
        return identity_verify(
            user=user, provider=settings.OIDC_PROVIDER_NAME, subject=claims["sub"]
        )

    def update_user(self, user, claims):
        if not user.identity_verified:
            identity_verify(user=user, provider=settings.OIDC_PROVIDER_NAME, subject=claims["sub"])
        return user
