"""Two-factor authentication with TOTP (authenticator apps), on top of django-otp."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from verantwoord.core.audit import audit_record
from verantwoord.core.models import User

ISSUER = "Verantwoord"


def has_confirmed_device(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated) and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(user: Any) -> bool:
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


def pending_device(*, user: User) -> TOTPDevice:
    """The unconfirmed device being set up (made on first use; not audited until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def device_secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def provisioning_qr_svg(*, device: TOTPDevice, user: User) -> str:
    """The otpauth:// URI as an inline SVG QR code (no external service, no inline styles)."""
    uri = (
        f"otpauth://totp/{ISSUER}:{user.email}?secret={device_secret_base32(device)}"
        f"&issuer={ISSUER}&digits={device.digits}&period={device.step}"
    )
    qr = segno.make(uri, error="m")
    svg: str = qr.svg_inline(scale=5, title=_("QR code for your authenticator app"))
    return svg


@transaction.atomic
def two_factor_confirm(*, request: HttpRequest, user: User, device: TOTPDevice, token: str) -> None:
    """Confirm a new device with a first code from the app; the session counts as verified after."""
    if not device.verify_token(token.strip().replace(" ", "")):
        raise ValidationError(
            {"token": _("That code is not correct. Check the time on your phone and try again.")}
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action="two_factor.enable", instance=user, organisation=None)
    otp_login(request, device)


def two_factor_verify(*, request: HttpRequest, user: User, token: str) -> None:
    """Check a code against the user's confirmed device and mark the session as verified."""
    cleaned = token.strip().replace(" ", "")
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(cleaned):
            otp_login(request, device)
            return
    raise ValidationError(
        {"token": _("That code is not correct. Check the time on your phone and try again.")}
    )


@transaction.atomic
def two_factor_reset(*, actor: User | None, user: User, reason: str = "") -> int:
    """Remove a person's devices (lost phone); they set up a new one at their next login."""
    deleted: int = TOTPDevice.objects.filter(user=user).delete()[0]
    audit_record(actor=actor, action="two_factor.reset", instance=user, organisation=None, reason=reason)
    return deleted
