"""Pages of the assessments app (Dutch paths; English under /en/)."""

from django.urls import URLPattern, URLResolver, path

from verantwoord.assessments import public, views

app_name = "assessments"
BASE = "beheer/<slug:slug>/toetsen"
ONE = f"{BASE}/<int:assessment_id>"

urlpatterns: list[URLPattern | URLResolver] = [
    path(BASE, views.OverviewView.as_view(), name="overview"),
    path(f"{BASE}/beleid", views.PolicyView.as_view(), name="policy"),
    path(f"{BASE}/algoritme/<int:algorithm_id>", views.AlgorithmView.as_view(), name="algorithm"),
    path(f"{BASE}/algoritme/<int:algorithm_id>/uitzondering", views.OverrideView.as_view(), name="override"),
    path(ONE, views.DetailView.as_view(), name="detail"),
    path(f"{ONE}/onderdeel/<slug:section_id>", views.SectionView.as_view(), name="section"),
    path(f"{ONE}/antwoord/<slug:question_id>", views.AnswerView.as_view(), name="answer"),
    path(f"{ONE}/opmerking", views.CommentView.as_view(), name="comment"),
    path(f"{ONE}/bijlage/<int:attachment_id>", views.AttachmentView.as_view(), name="attachment"),
    path(f"{ONE}/indienen", views.SubmitView.as_view(), name="submit"),
    path(f"{ONE}/advies", views.AdviseView.as_view(), name="advise"),
    path(f"{ONE}/besluit", views.DecideView.as_view(), name="decide"),
    path(f"{ONE}/nieuwe-versie", views.NewVersionView.as_view(), name="new-version"),
    path(f"{ONE}/afdrukken", views.PrintView.as_view(), name="print"),
    path(f"{ONE}/export.pdf", views.ExportView.as_view(), {"file_format": "pdf"}, name="export-pdf"),
    path(f"{ONE}/export.docx", views.ExportView.as_view(), {"file_format": "docx"}, name="export-docx"),
    path(f"{ONE}/samenvatting", views.SummaryView.as_view(), name="summary"),
    path(
        "register/<slug:slug>/<int:algorithm_id>/toetsen/<int:summary_id>",
        public.public_summary,
        name="public-summary",
    ),
]
