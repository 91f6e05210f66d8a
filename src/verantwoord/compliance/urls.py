"""Staff page URLs of compliance tasks (Dutch paths under /beheer/<slug>/)."""

from django.urls import URLPattern, URLResolver, path

from verantwoord.compliance.views import staff

app_name = "compliance"

urlpatterns: list[URLPattern | URLResolver] = [
    path("taken", staff.TaskOverviewView.as_view(), name="overview"),
    path("taken/<int:task_id>", staff.TaskDetailView.as_view(), name="task"),
    path(
        "taken/<int:task_id>/bewijs/<int:evidence_id>",
        staff.EvidenceDownloadView.as_view(),
        name="evidence-download",
    ),
    path("algoritmes/<int:algorithm_id>/taken", staff.AlgorithmTasksView.as_view(), name="algorithm-tasks"),
]
