from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    SHARED_SERVICE = "shared_service", _("Shared-service organisation")
    OTHER = "other", _("Other government organisation")


class Organisation(models.Model):
    """A municipality or other body; every domain record belongs to exactly one."""

    name = models.CharField(
        _("name"),
        max_length=200,
        unique=True,
        help_text=_("The name as used in the national algorithm register, e.g. 'Gemeente Utrecht'."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.MUNICIPALITY
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo_url = models.URLField(_("logo URL"), blank=True)
    house_style_css_url = models.URLField(
        _("house-style CSS URL"),
        blank=True,
        help_text=_(
            "Optional stylesheet with the organisation's house style; must be served from this site."
        ),
    )
    require_two_factor = models.BooleanField(
        _("require two-factor authentication"),
        default=True,
        help_text=_("Members must confirm their login with a one-time code from an authenticator app."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name
