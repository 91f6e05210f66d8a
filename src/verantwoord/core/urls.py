"""Page URLs of the core. Paths are Dutch (the default language); English pages live under /en/."""

from django.urls import path

from verantwoord.core.views import account, public, staff

app_name = "core"

urlpatterns = [
    path("", public.home, name="home"),
    path("toegankelijkheid", public.accessibility_statement, name="accessibility"),
    path("account/inloggen", account.LoginView.as_view(), name="login"),
    path("account/uitloggen", account.LogoutView.as_view(), name="logout"),
    path("account/tweestapsverificatie", account.two_factor_verify_view, name="two-factor-verify"),
    path("account/tweestapsverificatie/instellen", account.two_factor_setup, name="two-factor-setup"),
    path("account/wachtwoord-vergeten", account.PasswordResetView.as_view(), name="password-reset"),
    path(
        "account/wachtwoord-vergeten/verstuurd",
        account.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "account/wachtwoord-instellen/<uidb64>/<token>",
        account.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "account/wachtwoord-instellen/klaar",
        account.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("beheer/", staff.staff_home, name="staff-home"),
    path("beheer/<slug:slug>/", staff.DashboardView.as_view(), name="dashboard"),
    path(
        "beheer/<slug:slug>/organisatie",
        staff.OrganisationSettingsView.as_view(),
        name="organisation-settings",
    ),
    path("beheer/<slug:slug>/leden", staff.MemberListView.as_view(), name="members"),
    path("beheer/<slug:slug>/leden/toevoegen", staff.MemberInviteView.as_view(), name="member-invite"),
    path(
        "beheer/<slug:slug>/leden/<int:membership_id>/intrekken",
        staff.MemberRevokeView.as_view(),
        name="member-revoke",
    ),
    path("beheer/<slug:slug>/audittrail", staff.AuditTrailView.as_view(), name="audit-trail"),
    path(
        "beheer/<slug:slug>/geschiedenis/<str:object_type>/<str:object_id>",
        staff.ObjectHistoryView.as_view(),
        name="object-history",
    ),
]
