"""API URLs of the register, under /api/v1/ (kebab-case, plural nouns, no trailing slash)."""

from django.urls import URLPattern, URLResolver, path

from verantwoord.register import api

PUBLIC_ALGORITHM = "organisations/<slug:slug>/algorithms/<int:algorithm_id>"
STAFF_ALGORITHMS = "organisations/<slug:slug>/register/algorithms"
STAFF_ALGORITHM = f"{STAFF_ALGORITHMS}/<int:algorithm_id>"

urlpatterns: list[URLPattern | URLResolver] = [
    # Public: the published register, no authentication.
    path("algorithms", api.PublicAlgorithmListAPI.as_view(), name="register-algorithm-list"),
    path("exports/algorithms.csv", api.CSVExportAPI.as_view(), name="register-export-csv"),
    path("exports/algorithms.json", api.JSONExportAPI.as_view(), name="register-export-json"),
    path(
        "organisations/<slug:slug>/algorithms",
        api.PublicOrganisationAlgorithmListAPI.as_view(),
        name="register-organisation-algorithm-list",
    ),
    path(
        PUBLIC_ALGORITHM,
        api.PublicAlgorithmDetailAPI.as_view(),
        name="register-organisation-algorithm-detail",
    ),
    path(
        f"{PUBLIC_ALGORITHM}/versions",
        api.PublicAlgorithmVersionListAPI.as_view(),
        name="register-organisation-algorithm-version-list",
    ),
    path(
        f"{PUBLIC_ALGORITHM}/versions/<int:version>",
        api.PublicAlgorithmVersionDetailAPI.as_view(),
        name="register-organisation-algorithm-version-detail",
    ),
    # Staff: an organisation's own register, with internal fields.
    path(STAFF_ALGORITHMS, api.StaffAlgorithmListAPI.as_view(), name="register-staff-algorithm-list"),
    path(STAFF_ALGORITHM, api.StaffAlgorithmDetailAPI.as_view(), name="register-staff-algorithm-detail"),
    path(
        f"{STAFF_ALGORITHM}/transitions",
        api.StaffAlgorithmTransitionAPI.as_view(),
        name="register-staff-algorithm-transitions",
    ),
    path(
        f"{STAFF_ALGORITHM}/problems",
        api.StaffAlgorithmProblemsAPI.as_view(),
        name="register-staff-algorithm-problems",
    ),
    path(
        f"{STAFF_ALGORITHM}/publications",
        api.StaffAlgorithmPublicationListAPI.as_view(),
        name="register-staff-algorithm-publications",
    ),
]
