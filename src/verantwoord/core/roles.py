"""The roles a person can hold in an organisation."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # Dutch terms of art kept where municipalities use them: beheerder = functional administrator,
    # FG = functionaris gegevensbescherming (data protection officer).
    BEHEERDER = "beheerder", _("Functional administrator (beheerder)")
    ALGORITHM_OWNER = "algorithm_owner", _("Algorithm owner")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer (FG)")
    CISO = "ciso", _("CISO")
    ETHICS_MEMBER = "ethics_member", _("Ethics committee member")
    AUDITOR = "auditor", _("Auditor")
    STAFF = "staff", _("Staff member")
