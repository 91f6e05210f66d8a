"""Public page URLs of the register (Dutch paths, under /register; English under /en/register)."""

from django.urls import URLPattern, URLResolver, path

from verantwoord.register.views import public

app_name = "register-public"

ALGORITHM = "register/<slug:slug>/<int:algorithm_id>"

urlpatterns: list[URLPattern | URLResolver] = [
    path("register", public.register_list, name="list"),
    path("register/export.csv", public.register_export, {"file_format": "csv"}, name="export-csv"),
    path("register/export.json", public.register_export, {"file_format": "json"}, name="export-json"),
    path("register/<slug:slug>", public.organisation_page, name="organisation"),
    path(
        "register/<slug:slug>/export.csv",
        public.organisation_export,
        {"file_format": "csv"},
        name="organisation-export-csv",
    ),
    path(
        "register/<slug:slug>/export.json",
        public.organisation_export,
        {"file_format": "json"},
        name="organisation-export-json",
    ),
    path(ALGORITHM, public.algorithm_detail, name="detail"),
    path(
        f"{ALGORITHM}/export.csv", public.algorithm_export, {"file_format": "csv"}, name="detail-export-csv"
    ),
    path(
        f"{ALGORITHM}/export.json",
        public.algorithm_export,
        {"file_format": "json"},
        name="detail-export-json",
    ),
    path(f"{ALGORITHM}/versies", public.algorithm_history, name="history"),
    path(f"{ALGORITHM}/versies/<int:version>", public.algorithm_version, name="version"),
]
