"""Staff pages of the AI policy document under /beheer/<slug>/ai-beleid: the versions, one version (its next steps
and a preview), editing the text blocks per language (autosave per block with htmx; a plain form POST without
JavaScript), submit, return, adopt, a new version, and the differences between two versions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from verantwoord.core.access import OrganisationView, acting_user
from verantwoord.core.permission_matrix import Endpoint
from verantwoord.core.permissions import Permission
from verantwoord.core.submission import submit
from verantwoord.policy import selectors, services
from verantwoord.policy.builder import build_document, is_frozen
from verantwoord.policy.diff import diff_versions
from verantwoord.policy.exports.html import render_document_body
from verantwoord.policy.forms import AdoptForm, ReturnForm
from verantwoord.policy.models import Language, PolicyVersion, TextBlock, VersionState
from verantwoord.policy.sections import LANGUAGES, document_template
from verantwoord.policy.workflow import EDITABLE_STATES, next_steps


def _language() -> str:
    language = get_language() or "nl"
    return language if language in LANGUAGES else "nl"


def _posted_revision(request: HttpRequest, block: TextBlock) -> int:
    """The revision the form was read at; -1 (never current) when missing or garbled, so it cannot overwrite."""
    try:
        return int(request.POST.get(f"rev-{block.pk}", ""))
    except ValueError:
        return -1


class PolicyView(OrganisationView):
    permission = Permission.VIEW_POLICY

    def page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        return render(
            self.request, template, self.base_context(language=_language(), **context), status=status
        )

    def get_version(self, number: int) -> PolicyVersion:
        version = selectors.policy_version(organisation=self.organisation, number=number)
        if version is None:
            raise Http404
        return version

    def version_url(self, version: PolicyVersion) -> str:
        return reverse(
            "policy:version", kwargs={"slug": self.organisation.slug, "policy_version": version.number}
        )

    def document_language(self) -> str:
        """The language of the document shown: `?language=en`, else the page's."""
        requested = self.request.GET.get("language", "")
        return requested if requested in LANGUAGES else _language()


class OverviewView(PolicyView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        versions = list(selectors.policy_versions(organisation=self.organisation))
        return self.page(
            "policy/overview.html",
            versions=versions,
            open_version=selectors.open_version(organisation=self.organisation),
            adopted=selectors.adopted_version(organisation=self.organisation),
        )


class StartView(PolicyView):
    """Start the first version from the templates, or the next one from the last version."""

    permission = Permission.EDIT_POLICY
    write_permission = Permission.EDIT_POLICY
    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        try:
            version = services.policy_version_start(
                actor=acting_user(request), organisation=self.organisation
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(reverse("policy:overview", kwargs={"slug": slug}))
        if version.previous is None:
            messages.success(request, _("Version 1 has been started from the templates."))
        else:
            messages.success(
                request,
                _("Version %(number)d has been started from version %(previous)d.")
                % {"number": version.number, "previous": version.previous.number},
            )
        return HttpResponseRedirect(self.version_url(version))


class VersionView(PolicyView):
    """One version: its state and decision, the steps that can be taken now, and the document as a preview."""

    def context(self, version: PolicyVersion, **extra: Any) -> dict[str, Any]:
        language = self.document_language()
        document = build_document(version, language)
        steps = next_steps(version.state)
        return {
            "version": version,
            "frozen": is_frozen(version),
            "editable": version.state in EDITABLE_STATES,
            "document": document,
            "document_body": render_document_body(document),
            "document_language": language,
            "languages": Language.choices,
            "can_submit": VersionState.IN_REVIEW in steps and self.can(Permission.EDIT_POLICY),
            "can_return": VersionState.DRAFT in steps
            and (self.can(Permission.EDIT_POLICY) or self.can(Permission.ADOPT_POLICY)),
            "can_adopt": VersionState.ADOPTED in steps and self.can(Permission.ADOPT_POLICY),
            "return_form": extra.pop("return_form", None) or ReturnForm(),
            "fill_in_count": sum(
                1
                for section in document.sections
                for part in section.parts
                if getattr(part, "fill_in", False)
            ),
            **extra,
        }

    def get(self, request: HttpRequest, slug: str, policy_version: int) -> HttpResponse:
        version = self.get_version(policy_version)
        return self.page("policy/version.html", **self.context(version))


class EditView(PolicyView):
    """The text blocks of a draft in one language, per section. Each field autosaves (htmx); the Save button
    posts them all, each with the revision it started from."""

    permission = Permission.EDIT_POLICY
    write_permission = Permission.EDIT_POLICY

    def _render(
        self,
        version: PolicyVersion,
        language: str,
        *,
        typed: dict[int, str] | None = None,
        conflicts: dict[int, TextBlock] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        template = document_template()
        blocks = {block.key: block for block in selectors.text_blocks(version=version, language=language)}
        sections: list[dict[str, Any]] = []
        for section in template.sections:
            items: list[dict[str, Any]] = []
            for block_template in section.blocks:
                block = blocks.pop(block_template.key, None)
                if block is not None:
                    items.append(
                        self._item(
                            block, block_template.label[language], block_template.fill_in, typed, conflicts
                        )
                    )
            sections.append({"number": section.number, "title": section.title[language], "items": items})
        # Blocks of keys the current templates no longer have stay editable at the end of their section.
        for block in blocks.values():
            sections[block.section]["items"].append(self._item(block, block.key, False, typed, conflicts))
        return self.page(
            "policy/edit.html",
            status=status,
            version=version,
            editable=version.state in EDITABLE_STATES,
            edit_language=language,
            edit_language_label=Language(language).label,
            other_language=next(code for code in LANGUAGES if code != language),
            sections=sections,
            conflicts=conflicts or {},
        )

    @staticmethod
    def _item(
        block: TextBlock,
        label: str,
        fill_in: bool,
        typed: dict[int, str] | None,
        conflicts: dict[int, TextBlock] | None,
    ) -> dict[str, Any]:
        conflict = (conflicts or {}).get(block.pk)
        return {
            "block": block,
            "label": label,
            "fill_in": fill_in,
            # What the person typed stays in the field; the revision is the newest, so saving again replaces.
            "value": (typed or {}).get(block.pk, block.markdown),
            "conflict": conflict is not None,
            "conflict_by": conflict.updated_by.get_full_name() if conflict and conflict.updated_by else "",
        }

    def get(self, request: HttpRequest, slug: str, policy_version: int, language: str) -> HttpResponse:
        if language not in LANGUAGES:
            raise Http404
        return self._render(self.get_version(policy_version), language)

    def post(self, request: HttpRequest, slug: str, policy_version: int, language: str) -> HttpResponse:
        if language not in LANGUAGES:
            raise Http404
        version = self.get_version(policy_version)
        posted = [
            block
            for block in selectors.text_blocks(version=version, language=language)
            if f"text-{block.pk}" in request.POST
        ]
        # Everything typed is read first, so a refusal shows it all again instead of dropping it.
        typed = {block.pk: request.POST[f"text-{block.pk}"] for block in posted}
        conflicts: dict[int, TextBlock] = {}
        for block in posted:
            try:
                services.text_block_save(
                    actor=acting_user(request),
                    block=block,
                    markdown=typed[block.pk],
                    base_revision=_posted_revision(request, block),
                    replaces_own=True,
                )
            except services.EditConflictError as conflict:
                conflicts[block.pk] = conflict.block
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return self._render(version, language, typed=typed, conflicts=conflicts, status=400)
        if conflicts:
            messages.error(
                request,
                _(
                    "Some texts were not saved: someone else changed them while you were working. Check them below."
                ),
            )
            return self._render(version, language, typed=typed, conflicts=conflicts, status=409)
        messages.success(request, _("The texts have been saved."))
        return HttpResponseRedirect(
            reverse(
                "policy:edit",
                kwargs={"slug": slug, "policy_version": version.number, "language": language},
            )
        )


class BlockView(PolicyView):
    """Autosave of one text block (htmx): answers with a status line and the new revision."""

    permission = Permission.EDIT_POLICY
    write_permission = Permission.EDIT_POLICY
    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str, policy_version: int, block_id: int) -> HttpResponse:
        version = self.get_version(policy_version)
        block = selectors.text_blocks(version=version).filter(pk=block_id).first()
        if block is None:
            raise Http404
        context: dict[str, Any] = {"block": block}
        try:
            saved = services.text_block_save(
                actor=acting_user(request),
                block=block,
                markdown=request.POST.get(f"text-{block.pk}", ""),
                base_revision=_posted_revision(request, block),
            )
        except services.EditConflictError as conflict:
            updated_by = conflict.block.updated_by
            context.update(
                conflict=True,
                revision=conflict.block.revision,
                by=updated_by.get_full_name() if updated_by else "",
            )
            status = 409
        except ValidationError as error:
            context.update(error=" ".join(error.messages))
            status = 400
        else:
            context.update(saved=True, revision=saved.revision)
            status = 200
        if request.headers.get("HX-Request") == "true":
            # htmx swaps only 2xx answers by default; the status line carries the outcome.
            return render(request, "policy/includes/block_status.html", context)
        if context.get("saved"):
            messages.success(request, _("The text has been saved."))
        else:
            messages.error(
                request, _("The text was not saved: someone else changed it, or it can no longer change.")
            )
        edit_url = reverse(
            "policy:edit", kwargs={"slug": slug, "policy_version": version.number, "language": block.language}
        )
        return (
            HttpResponseRedirect(f"{edit_url}#block-{block.pk}")
            if status == 200
            else HttpResponseRedirect(edit_url)
        )


class SubmitView(PolicyView):
    permission = Permission.EDIT_POLICY
    write_permission = Permission.EDIT_POLICY
    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str, policy_version: int) -> HttpResponse:
        version = self.get_version(policy_version)
        try:
            services.policy_version_submit(actor=acting_user(request), version=version)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The version has been submitted for review. Its live data are now fixed as of today."),
            )
        return HttpResponseRedirect(self.version_url(version))


class ReturnView(VersionView):
    permission = Permission.EDIT_POLICY
    write_permission = Permission.EDIT_POLICY
    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str, policy_version: int) -> HttpResponse:
        version = self.get_version(policy_version)
        form = ReturnForm(request.POST)
        return submit(
            request,
            form,
            lambda data: services.policy_version_return(
                actor=acting_user(request), version=version, reason=data["reason"]
            ),
            done=_("The version is a draft again."),
            then=self.version_url(version),
            otherwise=lambda: self.page("policy/version.html", **self.context(version, return_form=form)),
        )


class AdoptView(PolicyView):
    permission = Permission.ADOPT_POLICY
    write_permission = Permission.ADOPT_POLICY

    def _render(self, version: PolicyVersion, form: AdoptForm, status: int = 200) -> HttpResponse:
        return self.page(
            "policy/adopt.html",
            status=status,
            version=version,
            form=form,
            awaiting=version.state == VersionState.IN_REVIEW,
        )

    def get(self, request: HttpRequest, slug: str, policy_version: int) -> HttpResponse:
        return self._render(self.get_version(policy_version), AdoptForm())

    def post(self, request: HttpRequest, slug: str, policy_version: int) -> HttpResponse:
        version = self.get_version(policy_version)
        form = AdoptForm(request.POST)
        return submit(
            request,
            form,
            lambda data: services.policy_version_adopt(
                actor=acting_user(request),
                version=version,
                decision_body=data["decision_body"],
                decision_date=data["decision_date"],
                decision_reference=data["decision_reference"],
            ),
            done=_("The adoption has been recorded. This version is now the policy in force."),
            then=self.version_url(version),
            otherwise=lambda: self._render(version, form),
        )


class DiffView(PolicyView):
    """What changed between this version and another (default: the one before it)."""

    def get(self, request: HttpRequest, slug: str, policy_version: int) -> HttpResponse:
        version = self.get_version(policy_version)
        versions = list(selectors.policy_versions(organisation=self.organisation))
        others = [other for other in versions if other.number != version.number]
        try:
            other_number = int(request.GET.get("met", ""))
        except ValueError:
            other_number = version.previous.number if version.previous is not None else 0
        other = next((candidate for candidate in others if candidate.number == other_number), None)
        language = self.document_language()
        sections = []
        if other is not None:
            older, newer = (other, version) if other.number < version.number else (version, other)
            sections = diff_versions(older, newer, language)
        else:
            older, newer = None, version
        return self.page(
            "policy/diff.html",
            version=version,
            others=others,
            older=older,
            newer=newer,
            sections=sections,
            changed=sum(1 for section in sections for part in section.parts if part.changed),
            document_language=language,
            languages=Language.choices,
        )


VERSION = ("slug", "policy_version")

STAFF_ENDPOINTS: list[Endpoint] = [
    Endpoint("AI policy: versions", "page", "GET", "policy:overview", Permission.VIEW_POLICY),
    Endpoint("AI policy: start a version", "page", "POST", "policy:start", Permission.EDIT_POLICY),
    Endpoint("AI policy: one version", "page", "GET", "policy:version", Permission.VIEW_POLICY, VERSION),
    Endpoint(
        "AI policy: edit texts",
        "page",
        "GET",
        "policy:edit",
        Permission.EDIT_POLICY,
        (*VERSION, "language"),
    ),
    Endpoint(
        "AI policy: save texts",
        "page",
        "POST",
        "policy:edit",
        Permission.EDIT_POLICY,
        (*VERSION, "language"),
    ),
    Endpoint(
        "AI policy: save one text (autosave)",
        "page",
        "POST",
        "policy:block",
        Permission.EDIT_POLICY,
        (*VERSION, "block_id"),
    ),
    Endpoint(
        "AI policy: submit for review", "page", "POST", "policy:submit", Permission.EDIT_POLICY, VERSION
    ),
    Endpoint("AI policy: return to draft", "page", "POST", "policy:return", Permission.EDIT_POLICY, VERSION),
    Endpoint("AI policy: adoption (form)", "page", "GET", "policy:adopt", Permission.ADOPT_POLICY, VERSION),
    Endpoint(
        "AI policy: record the adoption", "page", "POST", "policy:adopt", Permission.ADOPT_POLICY, VERSION
    ),
    Endpoint("AI policy: differences", "page", "GET", "policy:diff", Permission.VIEW_POLICY, VERSION),
]
