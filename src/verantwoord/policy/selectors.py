"""Reads of the policy area."""

from __future__ import annotations

from django.db.models import QuerySet

from verantwoord.core.models import Organisation
from verantwoord.policy.models import PolicyVersion, TextBlock, VersionState

OPEN_STATES = (VersionState.DRAFT, VersionState.IN_REVIEW)


def policy_versions(*, organisation: Organisation) -> QuerySet[PolicyVersion]:
    """All versions, newest first."""
    return PolicyVersion.objects.filter(organisation=organisation).order_by("-number")


def policy_version(*, organisation: Organisation, number: int) -> PolicyVersion | None:
    return PolicyVersion.objects.filter(organisation=organisation, number=number).first()


def latest_version(*, organisation: Organisation) -> PolicyVersion | None:
    return policy_versions(organisation=organisation).first()


def open_version(*, organisation: Organisation) -> PolicyVersion | None:
    """The version being written or reviewed (there is at most one)."""
    return policy_versions(organisation=organisation).filter(state__in=OPEN_STATES).first()


def adopted_version(*, organisation: Organisation) -> PolicyVersion | None:
    """The policy in force: the adopted version (older adopted versions are superseded)."""
    return policy_versions(organisation=organisation).filter(state=VersionState.ADOPTED).first()


def text_blocks(*, version: PolicyVersion, language: str | None = None) -> QuerySet[TextBlock]:
    blocks = TextBlock.objects.filter(version=version)
    if language is not None:
        blocks = blocks.filter(language=language)
    return blocks.order_by("section", "key", "language")
