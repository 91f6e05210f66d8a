"""Staff page URLs of the register (Dutch paths, under /beheer/<slug>/algoritmes/)."""

from django.urls import URLPattern, URLResolver, path

from verantwoord.register.views import staff

app_name = "register-staff"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", staff.AlgorithmListView.as_view(), name="list"),
    path("nieuw", staff.AlgorithmCreateView.as_view(), name="create"),
    path("<int:algorithm_id>", staff.AlgorithmDetailView.as_view(), name="detail"),
    path("<int:algorithm_id>/bewerken", staff.AlgorithmEditView.as_view(), name="edit"),
    path("<int:algorithm_id>/stap", staff.AlgorithmTransitionView.as_view(), name="transition"),
    path("<int:algorithm_id>/archief", staff.AlgorithmArchiveView.as_view(), name="archive"),
    path("<int:algorithm_id>/versies", staff.AlgorithmVersionDiffView.as_view(), name="versions"),
]
