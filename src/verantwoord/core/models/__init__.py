from verantwoord.core.models.api_token import APIToken
from verantwoord.core.models.audit import AuditRecord
from verantwoord.core.models.membership import Membership
from verantwoord.core.models.organisation import Organisation, OrganisationKind
from verantwoord.core.models.scheduled_job import ScheduledJob
from verantwoord.core.models.user import User

__all__ = [
    "APIToken",
    "AuditRecord",
    "Membership",
    "Organisation",
    "OrganisationKind",
    "ScheduledJob",
    "User",
]
