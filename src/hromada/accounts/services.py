"""Sign-in, second factor, registration and roles: every write about accounts."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from hromada.accounts.models import Role, RoleAssignment, User
from hromada.accounts.permissions import needs_second_factor
from hromada.core.audit import audit_record


class SigninOutcome(StrEnum):
    SIGNED_IN = "signed_in"
    NEEDS_ENROLMENT = "needs_enrolment"
    REFUSED = "refused"
    THROTTLED = "throttled"


@dataclass(frozen=True)
class SigninResult:
    outcome: SigninOutcome
    user: User | None = None
    device: TOTPDevice | None = None


def _throttle_keys(email: str, client_ip: str) -> list[str]:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return [f"signin-fail:email:{digest}", f"signin-fail:ip:{client_ip}"]


def signin_is_throttled(*, email: str, client_ip: str) -> bool:
    email_key, ip_key = _throttle_keys(email, client_ip)
    counts = cache.get_many([email_key, ip_key])
    # One address may stand for a whole office behind NAT, so it gets a higher limit.
    return (
        counts.get(email_key, 0) >= settings.SIGNIN_MAX_FAILURES
        or counts.get(ip_key, 0) >= settings.SIGNIN_MAX_FAILURES_PER_IP
    )


def _record_failure(email: str, client_ip: str) -> None:
    for key in _throttle_keys(email, client_ip):
        cache.add(key, 0, settings.SIGNIN_LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, settings.SIGNIN_LOCKOUT_SECONDS)


def _clear_failures(email: str, client_ip: str) -> None:
    cache.delete(_throttle_keys(email, client_ip)[0])


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def signin_check(*, request, email: str, password: str, code: str, client_ip: str) -> SigninResult:
    """Check e-mail, password and (for anyone with a role) the TOTP code together, so a
    refusal never tells which of them was wrong."""
    if signin_is_throttled(email=email, client_ip=client_ip):
        return SigninResult(SigninOutcome.THROTTLED)
    user = authenticate(request, username=email.strip().lower(), password=password)
    if user is None:
        _record_failure(email, client_ip)
        return SigninResult(SigninOutcome.REFUSED)
    if not needs_second_factor(user):
        _clear_failures(email, client_ip)
        return SigninResult(SigninOutcome.SIGNED_IN, user=user)
    device = confirmed_device(user)
    if device is None:
        return SigninResult(SigninOutcome.NEEDS_ENROLMENT, user=user)
    if not code.strip() or not device.verify_token(code.strip().replace(" ", "")):
        _record_failure(email, client_ip)
        return SigninResult(SigninOutcome.REFUSED)
    _clear_failures(email, client_ip)
    return SigninResult(SigninOutcome.SIGNED_IN, user=user, device=device)


@transaction.atomic
def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator for ``user`` (the same one until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)
    return device


@transaction.atomic
def totp_enrolment_confirm(*, user: User, device: TOTPDevice, code: str) -> bool:
    if device.user_id != user.pk or not device.verify_token(code.strip().replace(" ", "")):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    audit_record(actor=user, action="account.totp_enrol", target=user, public=False)
    return True


def totp_secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def totp_current_code(device: TOTPDevice) -> str:
    """The code an authenticator app shows now (used only for the labelled demo hint)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@transaction.atomic
def resident_register(*, email: str, full_name: str, password: str) -> User:
    user = User.objects.create_user(email=email, password=password, full_name=full_name)
    audit_record(actor=user, action="account.register", target=user, public=False)
    return user


@transaction.atomic
def identity_verify(*, user: User, provider: str, subject: str) -> User:
    """Mark ``user`` as a verified resident, as asserted by an identity provider."""
    user.identity_verified_at = timezone.now()
    user.identity_provider = provider
    user.identity_subject = subject
    user.save(update_fields=["identity_verified_at", "identity_provider", "identity_subject"])
    audit_record(
        actor=user,
        action="account.identity_verified",
        target=user,
        changes={"provider": [None, provider]},
        public=False,
    )
    return user


@transaction.atomic
def role_grant(*, actor: User | None, user: User, role: Role, organisation=None) -> RoleAssignment:
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user, role=role, organisation=organisation
    )
    audit_record(
        actor=actor,
        action="role.grant",
        target=user,
        changes={"role": [None, role.value], "organisation": [None, str(organisation or "")]},
        public=False,
    )
    return assignment
