"""The document a version builds: all sections 0-9 in order in both languages, text and live parts placed by their
order, live figures equal to the database, the snapshot frozen at review (figures as of the version's date), the
fill-in blocks that give way to an area's live block, the checklist annex, the JSON form and the templates' checks."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

import pytest
from django.utils import timezone, translation

from verantwoord.core.models import Membership, Organisation, User
from verantwoord.core.roles import Role
from verantwoord.policy import checklist, live_blocks, services
from verantwoord.policy.builder import build_document, document_json
from verantwoord.policy.checklist import CheckOutcome, ComplianceCheck, Severity
from verantwoord.policy.document import LivePart, RenderedDocument, TextPart
from verantwoord.policy.live_blocks import LiveBlock, LiveContent, Table
from verantwoord.policy.models import PolicyVersion
from verantwoord.policy.sections import document_template, parse_template, unwrap

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def live(document: RenderedDocument, key: str) -> LivePart:
    return next(p for s in document.sections for p in s.parts if isinstance(p, LivePart) and p.key == key)


def roles_table(document: RenderedDocument) -> dict[str, str]:
    """Role label → the people named in the roles block."""
    return {row[0]: row[1] for row in live(document, "core.roles").content.tables[0].rows}


def test_all_sections_in_order_in_both_languages(organisation: Organisation) -> None:
    version = services.policy_version_start(actor=None, organisation=organisation)
    template = document_template()
    for language in ("nl", "en"):
        document = build_document(version, language)
        assert [section.number for section in document.sections] == list(range(10))
        assert [section.title for section in document.sections] == [
            s.title[language] for s in template.sections
        ]
        for section in document.sections:
            assert any(isinstance(part, TextPart) for part in section.parts), section.number
        assert (
            document.title == template.title[language] and document.organisation_name == "Gemeente Testdorp"
        )
        assert (document.version_number, document.as_of, document.adopted_on) == (
            1,
            timezone.localdate(),
            None,
        )
    dutch = build_document(version, "nl")
    assert dutch.sections[1].title == "Visie en doelen" and dutch.status == "Concept"
    # The commitments are all there.
    commitments = next(p for p in dutch.sections[9].parts if isinstance(p, TextPart)).markdown
    for words in (
        "Beleid vastgesteld",
        "Register ingevoerd",
        "DPIA",
        "Training",
        "Inwoners betrokken",
        "Jaarlijkse",
    ):
        assert words in commitments


def test_live_parts_sit_between_the_texts_by_their_order(organisation: Organisation) -> None:
    document = build_document(services.policy_version_start(actor=None, organisation=organisation), "en")
    governance = [part.key for part in document.sections[2].parts if isinstance(part, TextPart | LivePart)]
    assert governance.index("governance.responsibility") < governance.index("core.roles")
    assert governance.index("core.roles") < governance.index("governance.decisions")


def test_the_roles_block_shows_the_people_in_the_database(
    organisation: Organisation, member_of: Callable[..., User]
) -> None:
    member_of(organisation, Role.PRIVACY_OFFICER, full_name="Fleur Gegevens")
    member_of(organisation, Role.ETHICS_MEMBER, full_name="Eva Ethiek")
    member_of(organisation, Role.ETHICS_MEMBER, Role.AUDITOR, full_name="Aad Beide")
    member_of(organisation, Role.STAFF, full_name="Mila Medewerker")
    document = build_document(services.policy_version_start(actor=None, organisation=organisation), "en")
    table = roles_table(document)
    for role in (Role.PRIVACY_OFFICER, Role.ETHICS_MEMBER, Role.AUDITOR, Role.BEHEERDER):
        names = sorted(
            Membership.objects.filter(organisation=organisation, role=role).values_list(
                "user__full_name", flat=True
            )
        )
        shown = sorted(table[str(role.label)].split(", ")) if names else []
        assert shown == names, role
    assert table[str(Role.CISO.label)] == "Nobody yet"
    assert str(Role.STAFF.label) not in table
    assert (
        "1 other staff member has access to the internal pages."
        in live(document, "core.roles").content.paragraphs
    )


def test_a_frozen_version_keeps_the_figures_of_its_date(
    organisation: Organisation, member_of: Callable[..., User]
) -> None:
    member_of(organisation, Role.PRIVACY_OFFICER, full_name="Fleur Gegevens")
    version = services.policy_version_start(actor=None, organisation=organisation)
    reviewed_at = timezone.now() - datetime.timedelta(days=3)
    version = services.policy_version_submit(actor=None, version=version, at=reviewed_at)
    assert version.as_of == timezone.localdate(reviewed_at)
    member_of(organisation, Role.CISO, full_name="Chris Sikkema")
    Membership.objects.filter(organisation=organisation, role=Role.PRIVACY_OFFICER).delete()

    frozen = build_document(PolicyVersion.objects.get(pk=version.pk), "en")
    assert frozen.as_of == version.as_of
    # Both roles were granted after the moment the version was reviewed at, so neither is in its snapshot.
    assert roles_table(frozen)[str(Role.PRIVACY_OFFICER.label)] == "Nobody yet"
    assert roles_table(frozen)[str(Role.CISO.label)] == "Nobody yet"
    assert frozen.status == "In review"

    # The same data today, in a draft of the same organisation, show the change.
    services.policy_version_return(actor=None, version=version, reason="Check the roles")
    draft = build_document(PolicyVersion.objects.get(pk=version.pk), "en")
    assert roles_table(draft)[str(Role.CISO.label)] == "Chris Sikkema"
    assert roles_table(draft)[str(Role.PRIVACY_OFFICER.label)] == "Nobody yet"


def test_a_frozen_version_renders_from_its_snapshot_after_the_data_change(
    organisation: Organisation, member_of: Callable[..., User]
) -> None:
    member_of(organisation, Role.PRIVACY_OFFICER, full_name="Fleur Gegevens")
    version = services.policy_version_submit(
        actor=None, version=services.policy_version_start(actor=None, organisation=organisation)
    )
    Membership.objects.filter(organisation=organisation, role=Role.PRIVACY_OFFICER).delete()
    member_of(organisation, Role.CISO, full_name="Chris Sikkema")
    document = build_document(PolicyVersion.objects.get(pk=version.pk), "en")
    assert roles_table(document)[str(Role.PRIVACY_OFFICER.label)] == "Fleur Gegevens"
    assert roles_table(document)[str(Role.CISO.label)] == "Nobody yet"
    dutch = build_document(PolicyVersion.objects.get(pk=version.pk), "nl")
    assert live(dutch, "core.roles").title == "De mensen in elke rol"


def test_a_draft_shows_the_data_as_of_the_moment_asked(
    organisation: Organisation, member_of: Callable[..., User]
) -> None:
    version = services.policy_version_start(actor=None, organisation=organisation)
    before = timezone.now()
    member_of(organisation, Role.CISO, full_name="Chris Sikkema")
    assert roles_table(build_document(version, "en", at=before))[str(Role.CISO.label)] == "Nobody yet"
    assert roles_table(build_document(version, "en"))[str(Role.CISO.label)] == "Chris Sikkema"


@pytest.fixture
def supplier_block() -> Iterator[LiveBlock]:
    """An area that fills section 7 with real data (registered for this test only)."""

    def build(organisation: Organisation, at: datetime.datetime) -> LiveContent:
        return LiveContent(tables=[Table("Suppliers", ["Supplier", "Clauses"], [["Acme", "MCC-AI"]])])

    block = LiveBlock("suppliers.requirements", 7, "Supplier requirements", build, order=60)
    live_blocks.register_live_block(block)
    yield block
    del live_blocks._blocks[block.key]


def test_a_fill_in_block_gives_way_to_the_live_block_of_its_area(organisation: Organisation) -> None:
    version = services.policy_version_start(actor=None, organisation=organisation)
    before = build_document(version, "en").sections[7]
    fill_in = [p for p in before.parts if isinstance(p, TextPart) and p.fill_in]
    assert [p.key for p in fill_in] == ["suppliers.fill_in"] and "To fill in" in fill_in[0].markdown


def test_the_fill_in_block_is_left_out_once_the_area_exists(
    organisation: Organisation, supplier_block: LiveBlock
) -> None:
    version = services.policy_version_start(actor=None, organisation=organisation)
    section = build_document(version, "en").sections[7]
    keys = [part.key for part in section.parts]
    assert "suppliers.fill_in" not in keys and "suppliers.requirements" in keys
    assert keys.index("suppliers.principles") < keys.index("suppliers.requirements")


@pytest.fixture
def flag() -> Iterator[dict[str, int]]:
    """A check whose outcome the test sets (registered for this test only)."""
    state = {"count": 2}
    check = ComplianceCheck(
        key="zz.test_check",
        title="Test check",
        explanation="Explained.",
        source="Test source",
        severity=Severity.HIGH,
        run=lambda organisation, today: CheckOutcome(count=state["count"]),
        fix_url=lambda organisation: "/",
    )
    checklist.register_check(check)
    yield state
    del checklist._checks[check.key]


def test_the_checklist_annex_is_frozen_with_the_version(
    organisation: Organisation, flag: dict[str, int]
) -> None:
    version = services.policy_version_start(actor=None, organisation=organisation)
    row = next(r for r in build_document(version, "en").checklist if r.title == "Test check")
    assert (row.severity, row.status, row.count, row.source) == ("High", "Open", 2, "Test source")
    version = services.policy_version_submit(actor=None, version=version)
    flag["count"] = 0
    frozen = next(r for r in build_document(version, "en").checklist if r.title == "Test check")
    assert (frozen.status, frozen.count) == ("Open", 2)
    dutch = next(r for r in build_document(version, "nl").checklist if r.title == "Test check")
    assert dutch.severity == "Hoog"


def test_the_json_form_has_every_part(organisation: Organisation) -> None:
    version = services.policy_version_start(actor=None, organisation=organisation)
    data = document_json(build_document(version, "en"))
    assert [section["number"] for section in data["sections"]] == list(range(10))
    roles = next(p for p in data["sections"][2]["parts"] if p["key"] == "core.roles")
    assert roles["kind"] == "live" and roles["tables"][0]["headers"] == ["Role", "People", "Task"]
    assert data["sections"][0]["parts"][0]["markdown"].startswith("Gemeente Testdorp uses algorithms")


def test_template_texts_are_unwrapped_to_one_line_per_paragraph() -> None:
    assert unwrap("One\nparagraph.\n\n# Head\n\n- item\n  goes on\n- next\n1. first\n> quote\n> more\n") == (
        "One paragraph.\n\n# Head\n\n- item goes on\n- next\n1. first\n> quote more"
    )
    text = document_template().block("vision.why")
    assert text is not None and "\n" not in text.text["en"]


def test_the_templates_are_checked() -> None:
    template = document_template()
    assert all(block.text["nl"].strip() and block.text["en"].strip() for block in template.blocks())
    assert {block.key for block in template.blocks() if block.fill_in} == {
        "participation.fill_in",
        "suppliers.fill_in",
        "commitments.training_fill_in",
    }
    with pytest.raises(ValueError, match="expected numbers 0-9"):
        parse_template({"version": "x", "title": {"nl": "a", "en": "b"}, "sections": []})
    with pytest.raises(ValueError, match=r"sections\[0\].*blocks\[0\].*text"):
        parse_template(
            {
                "version": "x",
                "title": {"nl": "a", "en": "b"},
                "sections": [
                    {
                        "number": 0,
                        "title": {"nl": "a", "en": "b"},
                        "blocks": [
                            {"key": "k", "label": {"nl": "a", "en": "b"}, "text": {"nl": "only Dutch"}}
                        ],
                    }
                ],
            }
        )


def test_the_adoptions_block_lists_the_earlier_versions(organisation: Organisation) -> None:
    first = services.policy_version_submit(
        actor=None, version=services.policy_version_start(actor=None, organisation=organisation)
    )
    first = services.policy_version_adopt(
        actor=None,
        version=first,
        decision_body="board",
        decision_date=datetime.date(2026, 3, 10),
        decision_reference="B&W 2026/12",
    )
    # Frozen at review, before its own adoption: the first version is the first.
    assert live(build_document(first, "en"), "policy.adoptions").content.paragraphs == [
        "This is the first AI policy of Gemeente Testdorp: no earlier version was adopted."
    ]
    second = services.policy_version_start(actor=None, organisation=organisation)
    table = live(build_document(second, "en"), "policy.adoptions").content.tables[0]
    assert table.rows == [["1", "March 10, 2026", "Municipal executive (college van B&W)", "B&W 2026/12"]]
