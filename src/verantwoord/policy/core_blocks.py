"""The policy app's own live blocks: the people in each role (section 2) and the policy's own adoption history
(section 9). Other areas register theirs in their own AppConfig.ready."""

from __future__ import annotations

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from verantwoord.core.models import Membership, Organisation
from verantwoord.core.roles import Role
from verantwoord.policy.live_blocks import LiveBlock, LiveContent, Table
from verantwoord.policy.models import DecisionBody, PolicyVersion, VersionState

# What each governance role does, as the document says it. Staff members hold no governance task.
ROLE_TASKS = {
    Role.BEHEERDER: gettext_lazy("Keeps the register, assessments and policy documents in order; publishes."),
    Role.ALGORITHM_OWNER: gettext_lazy("Decides on the use of an algorithm and is accountable for it."),
    Role.PRIVACY_OFFICER: gettext_lazy(
        "Advises independently on privacy and on every DPIA (GDPR art. 38-39)."
    ),
    Role.CISO: gettext_lazy("Advises on information security (BIO)."),
    Role.ETHICS_MEMBER: gettext_lazy(
        "Member of the ethics committee: advises on ethical questions and IAMAs."
    ),
    Role.AUDITOR: gettext_lazy("Checks afterwards whether the policy is followed; reads, never changes."),
}


def roles_block(organisation: Organisation, at: datetime.datetime) -> LiveContent:
    """Who held each governance role at ``at``: memberships granted by then (a revoked role is removed from the
    platform, so it no longer shows)."""
    memberships = (
        Membership.objects.filter(organisation=organisation, created_at__lte=at)
        .select_related("user")
        .order_by("user__full_name", "user__username")
    )
    people: dict[str, list[str]] = {role.value: [] for role in ROLE_TASKS}
    staff = 0
    for membership in memberships:
        if membership.role in people:
            people[membership.role].append(membership.user.get_full_name())
        elif membership.role == Role.STAFF:
            staff += 1
    rows = [
        [str(role.label), ", ".join(people[role.value]) or _("Nobody yet"), str(task)]
        for role, task in ROLE_TASKS.items()
    ]
    paragraphs = [
        _("These are the people who hold a role on the platform of %(organisation)s.")
        % {"organisation": organisation.name}
    ]
    if staff:
        paragraphs.append(
            ngettext(
                "%(count)d other staff member has access to the internal pages.",
                "%(count)d other staff members have access to the internal pages.",
                staff,
            )
            % {"count": staff}
        )
    if not people[Role.ETHICS_MEMBER.value]:
        paragraphs.append(_("The ethics committee has no members on the platform yet."))
    return LiveContent(
        paragraphs=paragraphs,
        tables=[Table(_("Roles and the people who hold them"), [_("Role"), _("People"), _("Task")], rows)],
    )


def adoption_history_block(organisation: Organisation, at: datetime.datetime) -> LiveContent:
    """The versions of this policy adopted before ``at``: the commitment 'policy adopted and kept up to date'. A
    version freezes this block when it goes to review, before its own adoption, so the block speaks of the earlier
    versions; the version's own decision is on its cover."""
    versions = PolicyVersion.objects.filter(
        organisation=organisation,
        state__in=[VersionState.ADOPTED, VersionState.SUPERSEDED],
        adopted_at__lte=at,
    ).order_by("number")
    if not versions:
        return LiveContent(
            paragraphs=[
                _("This is the first AI policy of %(organisation)s: no earlier version was adopted.")
                % {"organisation": organisation.name}
            ]
        )
    rows = [
        [
            str(version.number),
            date_format(version.decision_date, "DATE_FORMAT") if version.decision_date else "",
            str(DecisionBody(version.decision_body).label) if version.decision_body else "",
            version.decision_reference,
        ]
        for version in versions
    ]
    return LiveContent(
        tables=[
            Table(
                _("Versions adopted before this one"),
                [_("Version"), _("Decision date"), _("Adopted by"), _("Reference")],
                rows,
            )
        ]
    )


LIVE_BLOCKS = [
    LiveBlock(
        key="core.roles",
        section=2,
        title=gettext_lazy("The people in each role"),
        build=roles_block,
        order=40,
    ),
    LiveBlock(
        key="policy.adoptions",
        section=9,
        title=gettext_lazy("Earlier versions of this policy"),
        build=adoption_history_block,
        order=20,
    ),
]
