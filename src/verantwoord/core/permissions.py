"""Who may do what, per organisation: one table that views, the API, the docs and the tests all read.

docs/permissions.md is generated from this table (`verantwoord permissions --markdown`) and a test keeps them equal.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from verantwoord.core.roles import Role


class Permission(StrEnum):
    VIEW_INTERNAL = "view_internal"
    VIEW_MEMBERS = "view_members"
    VIEW_HISTORY = "view_history"
    VIEW_AUDIT_TRAIL = "view_audit_trail"
    CHANGE_ORGANISATION = "change_organisation"
    MANAGE_MEMBERS = "manage_members"
    # Register
    EDIT_ALGORITHM = "edit_algorithm"
    APPROVE_ALGORITHM = "approve_algorithm"
    PUBLISH_ALGORITHM = "publish_algorithm"
    IMPORT_REGISTER = "import_register"
    # Decision log
    VIEW_DECISION_LOG = "view_decision_log"
    VIEW_DECISION_PERSONAL_DATA = "view_decision_personal_data"
    APPEND_DECISIONS = "append_decisions"
    MANAGE_DECISION_LOG = "manage_decision_log"
    ERASE_DECISION_DATA = "erase_decision_data"
    # Bias and quality monitoring
    VIEW_MONITORING = "view_monitoring"
    MANAGE_MONITORING = "manage_monitoring"
    # The AI policy document
    VIEW_POLICY = "view_policy"
    EDIT_POLICY = "edit_policy"
    ADOPT_POLICY = "adopt_policy"
    # Assessments (pre-scan, DPIA, IAMA/FRIA, ethics review)
    VIEW_ASSESSMENTS = "view_assessments"
    EDIT_ASSESSMENTS = "edit_assessments"
    COMMENT_ON_ASSESSMENTS = "comment_on_assessments"
    ADVISE_ASSESSMENT = "advise_assessment"
    DECIDE_ASSESSMENT = "decide_assessment"
    OVERRIDE_ASSESSMENT_GATE = "override_assessment_gate"
    # Annual review of the AI policy and of each algorithm
    VIEW_REVIEWS = "view_reviews"
    RECORD_REVIEWS = "record_reviews"


ALL_STAFF_ROLES = frozenset(Role)
# The auditor reads everything and changes nothing: it appears in every VIEW_* row and in no other.
GRANTS: dict[Permission, frozenset[Role]] = {
    Permission.VIEW_INTERNAL: ALL_STAFF_ROLES,
    Permission.VIEW_MEMBERS: ALL_STAFF_ROLES,
    Permission.VIEW_HISTORY: ALL_STAFF_ROLES,
    Permission.VIEW_AUDIT_TRAIL: frozenset({Role.BEHEERDER, Role.AUDITOR, Role.PRIVACY_OFFICER, Role.CISO}),
    Permission.CHANGE_ORGANISATION: frozenset({Role.BEHEERDER}),
    Permission.MANAGE_MEMBERS: frozenset({Role.BEHEERDER}),
    # The owner prepares; the beheerder approves and publishes.
    Permission.EDIT_ALGORITHM: frozenset({Role.BEHEERDER, Role.ALGORITHM_OWNER}),
    Permission.APPROVE_ALGORITHM: frozenset({Role.BEHEERDER}),
    Permission.PUBLISH_ALGORITHM: frozenset({Role.BEHEERDER}),
    Permission.IMPORT_REGISTER: frozenset({Role.BEHEERDER}),
    # The decision log: who oversees AI decisions reads them; personal data (pseudonym, inputs, explanation)
    # only those who handle a resident's case or check the processing; every such view is audited.
    Permission.VIEW_DECISION_LOG: frozenset(
        {Role.BEHEERDER, Role.AUDITOR, Role.ALGORITHM_OWNER, Role.PRIVACY_OFFICER, Role.CISO}
    ),
    Permission.VIEW_DECISION_PERSONAL_DATA: frozenset(
        {Role.AUDITOR, Role.ALGORITHM_OWNER, Role.PRIVACY_OFFICER}
    ),
    Permission.APPEND_DECISIONS: frozenset({Role.BEHEERDER}),
    Permission.MANAGE_DECISION_LOG: frozenset({Role.BEHEERDER}),
    Permission.ERASE_DECISION_DATA: frozenset({Role.BEHEERDER, Role.PRIVACY_OFFICER}),
    # Bias monitoring shows aggregates only (small groups suppressed); the ethics committee reads them too.
    Permission.VIEW_MONITORING: frozenset(
        {Role.BEHEERDER, Role.AUDITOR, Role.ALGORITHM_OWNER, Role.PRIVACY_OFFICER, Role.ETHICS_MEMBER}
    ),
    Permission.MANAGE_MONITORING: frozenset({Role.BEHEERDER, Role.ALGORITHM_OWNER}),
    # The AI policy: the beheerder writes it and records the board's adoption; those who advise on or check
    # the use of AI read it (the adopted version is public anyway).
    Permission.VIEW_POLICY: frozenset(
        {
            Role.BEHEERDER,
            Role.AUDITOR,
            Role.ALGORITHM_OWNER,
            Role.PRIVACY_OFFICER,
            Role.CISO,
            Role.ETHICS_MEMBER,
        }
    ),
    Permission.EDIT_POLICY: frozenset({Role.BEHEERDER}),
    Permission.ADOPT_POLICY: frozenset({Role.BEHEERDER}),
    # Assessments: the project side fills them in; the FG and the ethics committee advise; the accountable
    # manager (an owner or beheerder, or the person named on the algorithm) decides.
    Permission.VIEW_ASSESSMENTS: frozenset(
        {
            Role.BEHEERDER,
            Role.AUDITOR,
            Role.ALGORITHM_OWNER,
            Role.PRIVACY_OFFICER,
            Role.CISO,
            Role.ETHICS_MEMBER,
        }
    ),
    Permission.EDIT_ASSESSMENTS: frozenset(
        {Role.BEHEERDER, Role.ALGORITHM_OWNER, Role.PRIVACY_OFFICER, Role.CISO}
    ),
    Permission.COMMENT_ON_ASSESSMENTS: frozenset(
        {Role.BEHEERDER, Role.ALGORITHM_OWNER, Role.PRIVACY_OFFICER, Role.CISO, Role.ETHICS_MEMBER}
    ),
    Permission.ADVISE_ASSESSMENT: frozenset({Role.PRIVACY_OFFICER, Role.ETHICS_MEMBER}),
    Permission.DECIDE_ASSESSMENT: frozenset({Role.BEHEERDER, Role.ALGORITHM_OWNER}),
    Permission.OVERRIDE_ASSESSMENT_GATE: frozenset({Role.BEHEERDER}),
    # Reviews are read by everyone who reads the register internally; the beheerder records any review, an
    # algorithm owner only those of the algorithms they own (the service checks the ownership).
    Permission.VIEW_REVIEWS: ALL_STAFF_ROLES,
    Permission.RECORD_REVIEWS: frozenset({Role.BEHEERDER, Role.ALGORITHM_OWNER}),
}

DESCRIPTIONS: dict[Permission, Promise] = {
    Permission.VIEW_INTERNAL: _("Read the organisation's internal pages"),
    Permission.VIEW_MEMBERS: _("See who holds which role"),
    Permission.VIEW_HISTORY: _("See the change history of a record"),
    Permission.VIEW_AUDIT_TRAIL: _("Read the organisation's whole audit trail"),
    Permission.CHANGE_ORGANISATION: _("Change the organisation's settings"),
    Permission.MANAGE_MEMBERS: _("Add people and grant or revoke roles"),
    Permission.EDIT_ALGORITHM: _("Create, edit and archive algorithms and submit them for review"),
    Permission.APPROVE_ALGORITHM: _("Approve an algorithm for publication or return it"),
    Permission.PUBLISH_ALGORITHM: _("Publish and withdraw algorithms in the public register"),
    Permission.IMPORT_REGISTER: _("Import algorithms into the register"),
    Permission.VIEW_DECISION_LOG: _("Read the decision log, its checkpoints and proofs"),
    Permission.VIEW_DECISION_PERSONAL_DATA: _(
        "See the personal data in the decision log and search by citizen service number (audited)"
    ),
    Permission.APPEND_DECISIONS: _("Upload decisions to the log (AI systems use an algorithm's API key)"),
    Permission.MANAGE_DECISION_LOG: _(
        "Manage the decision log: API keys, signing keys, checkpoints and retention periods"
    ),
    Permission.ERASE_DECISION_DATA: _(
        "Erase a resident's personal data from the decision log (GDPR art. 17)"
    ),
    Permission.VIEW_MONITORING: _(
        "See bias and quality checks, their results and findings (aggregates only)"
    ),
    Permission.MANAGE_MONITORING: _("Configure and run bias checks, and handle their findings"),
    Permission.VIEW_POLICY: _("Read the AI policy document, its versions and drafts"),
    Permission.EDIT_POLICY: _(
        "Write the AI policy document: start a version, edit texts, submit it for review"
    ),
    Permission.ADOPT_POLICY: _(
        "Record the adoption of the AI policy with the decision date and reference, or return it to draft"
    ),
    Permission.VIEW_ASSESSMENTS: _(
        "Read assessments (pre-scan, DPIA, IAMA, ethics review), advice and decisions"
    ),
    Permission.EDIT_ASSESSMENTS: _("Start and fill in assessments and submit them for review"),
    Permission.COMMENT_ON_ASSESSMENTS: _("Comment on the questions of an assessment"),
    Permission.ADVISE_ASSESSMENT: _(
        "Advise on a submitted assessment (the FG on a DPIA, the ethics committee on an ethics review or IAMA)"
    ),
    Permission.DECIDE_ASSESSMENT: _("Decide on an assessment as accountable manager, or return it"),
    Permission.OVERRIDE_ASSESSMENT_GATE: _(
        "Let an algorithm be in use without a required approved assessment, with a justification (audited)"
    ),
    Permission.VIEW_REVIEWS: _("Read the annual reviews of the AI policy and of the algorithms"),
    Permission.RECORD_REVIEWS: _(
        "Record an annual review (the beheerder any review; an algorithm owner those of their own algorithms)"
    ),
}


def roles_granting(permission: Permission) -> frozenset[Role]:
    return GRANTS[permission]


def roles_allow(roles: set[str] | frozenset[str], permission: Permission) -> bool:
    return bool(GRANTS[permission] & {Role(role) for role in roles})
