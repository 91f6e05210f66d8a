"""Writes of the register: algorithms, their links, the publication workflow. Every write is audited."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from verantwoord.core import selectors as core_selectors
from verantwoord.core.audit import audit_record, field_changes, snapshot
from verantwoord.core.models import Organisation, User
from verantwoord.core.permissions import Permission
from verantwoord.register import search
from verantwoord.register.choices import LinkGroup, PublicationState
from verantwoord.register.fields import EDITABLE_FIELDS
from verantwoord.register.gates import in_use_blockers
from verantwoord.register.models import Algorithm, AlgorithmLink, Publication
from verantwoord.register.standard import standard
from verantwoord.register.standard_format import algorithm_record
from verantwoord.register.text import visible_length, visible_text
from verantwoord.register.validation import record_problems
from verantwoord.register.workflow import REQUIRES_COMPLETE_RECORD, transition_permission

AUDITED_FIELDS = (*EDITABLE_FIELDS, "publication_state", "archived_at")
# A review date is planning, not a change of what the register publishes: it must not send the entry back to draft.
WORKFLOW_NEUTRAL_FIELDS = frozenset({"ai_act_risk_class", "next_review_date"})
Links = Mapping[str, Sequence[Mapping[str, str]]]


def _check_data(data: Mapping[str, Any]) -> None:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in sorted(unknown)})


def _links_snapshot(algorithm: Algorithm) -> dict[str, list[list[str]]]:
    grouped: dict[str, list[list[str]]] = {}
    for item in AlgorithmLink.objects.filter(algorithm=algorithm).order_by("group", "position", "id"):
        grouped.setdefault(item.group, []).append([item.title, item.link])
    return grouped


def _replace_links(algorithm: Algorithm, links: Links) -> None:
    for group, items in links.items():
        if group not in LinkGroup.values:
            raise ValidationError({group: _("Unknown list of links.")})
        AlgorithmLink.objects.filter(algorithm=algorithm, group=group).delete()
        rows = []
        for position, item in enumerate(items):
            title, link = (item.get("title") or "").strip(), (item.get("link") or "").strip()
            if not title and not link:
                continue
            rows.append(
                AlgorithmLink(
                    algorithm=algorithm, group=group, position=position, title=title or link, link=link
                )
            )
        for row in rows:
            row.full_clean(exclude=["algorithm"])
        AlgorithmLink.objects.bulk_create(rows)


def _limit_messages(key: str, algorithm: Algorithm) -> set[str]:
    """The standard's length messages for `key`: these never stop a save, only a publication."""
    spec = standard()
    try:
        field = spec.field(key)
    except KeyError:
        return set()
    if field.type != "text" or not field.max_length:
        return set()
    value = str(algorithm_record(algorithm).get(key) or "")
    return {
        _("At most %(limit)s characters (without HTML); now %(length)s.")
        % {"limit": field.max_length, "length": visible_length(value)}
    }


def _validate(algorithm: Algorithm) -> None:
    """Model validation plus the standard's format checks (not the required-for-publication ones)."""
    errors: dict[str, list[str]] = {}
    try:
        algorithm.full_clean(exclude=["organisation", "owner", "accountable_manager"], validate_unique=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    for key, messages in record_problems(algorithm_record(algorithm), for_publication=False).items():
        messages = [message for message in messages if message not in _limit_messages(key, algorithm)]
        if not messages:
            continue  # over-long texts are kept (real records exceed limits); publication checks report them
        errors.setdefault(key if key != "category" else "themes", []).extend(messages)
    if algorithm.source_id and (
        Algorithm.objects.filter(organisation=algorithm.organisation, source_id=algorithm.source_id)
        .exclude(pk=algorithm.pk)
        .exists()
    ):
        errors.setdefault("source_id", []).append(
            _("Another algorithm of this organisation has this source ID.")
        )
    if algorithm.lars and Algorithm.objects.filter(lars=algorithm.lars).exclude(pk=algorithm.pk).exists():
        errors.setdefault("lars", []).append(_("Another algorithm has this algorithm ID."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def algorithm_create(
    *,
    actor: User | None,
    organisation: Organisation,
    data: Mapping[str, Any],
    links: Links | None = None,
    reason: str = "",
) -> Algorithm:
    _check_data(data)
    algorithm = Algorithm(organisation=organisation)
    for name, value in data.items():
        setattr(algorithm, name, value)
    if actor is not None and algorithm.owner is None:
        algorithm.owner = actor  # whoever registers an algorithm owns it until someone else is named
    if not algorithm.contact_email and organisation.contact_email:
        algorithm.contact_email = organisation.contact_email
    _validate(algorithm)
    algorithm.save()
    if links:
        _replace_links(algorithm, links)
    audit_record(
        actor=actor,
        action="algorithm.create",
        instance=algorithm,
        organisation=organisation,
        changes=field_changes(
            {}, snapshot(algorithm, AUDITED_FIELDS) | {"links": _links_snapshot(algorithm)}
        ),
        reason=reason,
    )
    return algorithm


@transaction.atomic
def algorithm_update(
    *,
    actor: User | None,
    algorithm: Algorithm,
    data: Mapping[str, Any],
    links: Links | None = None,
    reason: str = "",
) -> Algorithm:
    """Change an algorithm. A change to an algorithm past draft puts it back in draft: the published version
    stays public, and the change needs review and approval again before it is published."""
    _check_data(data)
    algorithm = Algorithm.objects.select_for_update().select_related("organisation").get(pk=algorithm.pk)
    before = snapshot(algorithm, AUDITED_FIELDS) | {"links": _links_snapshot(algorithm)}
    for name, value in data.items():
        setattr(algorithm, name, value)
    _validate(algorithm)
    if before["status"] != "in_use" and algorithm.status == "in_use":
        _check_gates(algorithm)
    if links is not None:
        _replace_links(algorithm, links)
    after_fields = snapshot(algorithm, AUDITED_FIELDS) | {"links": _links_snapshot(algorithm)}
    changes = field_changes(before, after_fields)
    if not changes:
        return algorithm
    # Facts set by other areas' own reviewed processes (the AI Act classification) do not send the record back
    # through review; they reach the public page with the next publication.
    reviewed_change = bool(set(changes) - WORKFLOW_NEUTRAL_FIELDS)
    if reviewed_change and algorithm.publication_state not in (
        PublicationState.DRAFT,
        PublicationState.WITHDRAWN,
    ):
        algorithm.publication_state = PublicationState.DRAFT
        changes["publication_state"] = [before["publication_state"], PublicationState.DRAFT.value]
    algorithm.save()
    audit_record(
        actor=actor,
        action="algorithm.update",
        instance=algorithm,
        organisation=algorithm.organisation,
        changes=changes,
        reason=reason,
    )
    return algorithm


@transaction.atomic
def algorithm_archive(
    *, actor: User | None, algorithm: Algorithm, archived: bool = True, reason: str = ""
) -> Algorithm:
    """Archive (hide from the staff list) or restore. A published algorithm must be withdrawn first."""
    algorithm = Algorithm.objects.select_for_update().select_related("organisation").get(pk=algorithm.pk)
    # Also after an edit put it back in draft: what counts is whether a version is still public.
    still_public = Publication.objects.filter(
        algorithm=algorithm, is_current=True, withdrawn_at__isnull=True
    ).exists()
    if archived and still_public:
        raise ValidationError(_("Withdraw the algorithm from the public register before archiving it."))
    if archived == (algorithm.archived_at is not None):
        return algorithm
    before = algorithm.archived_at
    algorithm.archived_at = timezone.now() if archived else None
    algorithm.save(update_fields=["archived_at", "updated_at"])
    audit_record(
        actor=actor,
        action="algorithm.archive" if archived else "algorithm.restore",
        instance=algorithm,
        organisation=algorithm.organisation,
        changes={
            "archived_at": [
                before.isoformat() if before else None,
                algorithm.archived_at.isoformat() if algorithm.archived_at else None,
            ]
        },
        reason=reason,
    )
    return algorithm


def _check_gates(algorithm: Algorithm) -> None:
    blockers = in_use_blockers(algorithm)
    if blockers:
        raise ValidationError({"status": blockers})


def _search_document(record: Mapping[str, Any]) -> str:
    parts = [
        str(record.get(key) or "")
        for key in ("name", "organization", "description_short", "goal", "tags", "provider", "lawful_basis")
    ]
    parts.extend(record.get("category") or [])
    return visible_text(" ".join(parts))


def _publish(
    *,
    actor: User | None,
    algorithm: Algorithm,
    published_at: datetime.datetime | None = None,
    publication_dt: str | None = None,
) -> Publication:
    record = algorithm_record(algorithm)
    now = published_at or timezone.now()
    last = Publication.objects.filter(algorithm=algorithm).aggregate(last=Max("version"))["last"] or 0
    Publication.objects.filter(algorithm=algorithm, is_current=True).update(is_current=False)
    record["publication_dt"] = publication_dt or now.isoformat()
    spec = standard()
    themes = [theme.code for label in record["category"] if (theme := spec.theme_by_label(label))]
    publication = Publication.objects.create(
        algorithm=algorithm,
        organisation=algorithm.organisation,
        version=last + 1,
        published_at=now,
        published_by=actor,
        content=record,
        is_current=True,
        name=algorithm.name,
        status=algorithm.status,
        publication_category=algorithm.publication_category,
        themes="|" + "|".join(themes) + "|" if themes else "",
        ai_act_risk_class=algorithm.ai_act_risk_class,
        search_document=_search_document(record),
    )
    search.index_publication(publication)
    return publication


@transaction.atomic
def algorithm_transition(
    *, actor: User | None, algorithm: Algorithm, to_state: str, reason: str = ""
) -> Algorithm:
    """Move an algorithm through the publication workflow (see workflow.TRANSITIONS).

    `actor=None` (the system: import, demo) may make any allowed step; a person needs the step's permission.
    """
    algorithm = Algorithm.objects.select_for_update().select_related("organisation").get(pk=algorithm.pk)
    from_state = algorithm.publication_state
    permission = transition_permission(from_state, to_state) if to_state in PublicationState.values else None
    if permission is None:
        raise ValidationError(
            _("An algorithm cannot go from %(from)s to %(to)s.")
            % {"from": PublicationState(from_state).label, "to": to_state}
        )
    if actor is not None and not core_selectors.user_has_permission(
        user=actor, organisation=algorithm.organisation, permission=permission
    ):
        raise ValidationError(_("Your role does not allow this step."))
    if algorithm.archived_at is not None:
        raise ValidationError(_("Restore the algorithm from the archive first."))
    if PublicationState(to_state) in REQUIRES_COMPLETE_RECORD:
        problems = record_problems(algorithm_record(algorithm), for_publication=True)
        if problems:
            spec = standard()
            raise ValidationError(
                {
                    key: [
                        f"{spec.field(key).title(translation.get_language() or 'nl')}: {m}" for m in messages
                    ]
                    for key, messages in problems.items()
                }
            )
    if to_state in (PublicationState.APPROVED, PublicationState.PUBLISHED):
        _check_gates(algorithm)
    changes: dict[str, Any] = {"publication_state": [from_state, to_state]}
    if to_state == PublicationState.PUBLISHED:
        publication = _publish(actor=actor, algorithm=algorithm)
        changes["publication_version"] = [None, publication.version]
    elif to_state == PublicationState.WITHDRAWN:
        withdrawn = list(Publication.objects.filter(algorithm=algorithm, withdrawn_at__isnull=True))
        Publication.objects.filter(pk__in=[p.pk for p in withdrawn]).update(withdrawn_at=timezone.now())
        for publication in withdrawn:
            publication.refresh_from_db()
            search.index_publication(publication)
    algorithm.publication_state = to_state
    algorithm.save(update_fields=["publication_state", "updated_at"])
    audit_record(
        actor=actor,
        action=f"algorithm.{to_state}",
        instance=algorithm,
        organisation=algorithm.organisation,
        changes=changes,
        reason=reason,
    )
    return algorithm


@transaction.atomic
def algorithm_publish_as_imported(
    *,
    actor: User | None,
    algorithm: Algorithm,
    reason: str,
    published_at: datetime.datetime | None = None,
    publication_dt: str | None = None,
) -> Publication:
    """Publish a record that is already published elsewhere (the national register) exactly as imported.

    The completeness checks of our own workflow are not applied: the source's publication is authoritative, and
    withholding it would hide a public record. Only the system (import, demo) or an importer may do this; the
    audit record says so. `published_at`/`publication_dt` keep the source's publication date (and its text as
    written), so exporting an import gives back the same file.
    """
    algorithm = Algorithm.objects.select_for_update().select_related("organisation").get(pk=algorithm.pk)
    if actor is not None and not core_selectors.user_has_permission(
        user=actor, organisation=algorithm.organisation, permission=Permission.IMPORT_REGISTER
    ):
        raise ValidationError(_("Your role does not allow this step."))
    from_state = algorithm.publication_state
    publication = _publish(
        actor=actor, algorithm=algorithm, published_at=published_at, publication_dt=publication_dt
    )
    algorithm.publication_state = PublicationState.PUBLISHED
    algorithm.save(update_fields=["publication_state", "updated_at"])
    audit_record(
        actor=actor,
        action="algorithm.published_as_imported",
        instance=algorithm,
        organisation=algorithm.organisation,
        changes={
            "publication_state": [from_state, "published"],
            "publication_version": [None, publication.version],
        },
        reason=reason,
    )
    return publication
