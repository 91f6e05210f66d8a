"""API URLs of the assessments app, under /api/v1/ (kebab-case, plural nouns, no trailing slash)."""

from django.urls import URLPattern, URLResolver, path

from verantwoord.assessments import api

ONE = "organisations/<slug:slug>/assessments/<int:assessment_id>"

urlpatterns: list[URLPattern | URLResolver] = [
    path("assessment-templates", api.TemplatesAPI.as_view(), name="assessment-templates"),
    path("organisations/<slug:slug>/assessments", api.AssessmentListAPI.as_view(), name="assessment-list"),
    path(ONE, api.AssessmentDetailAPI.as_view(), name="assessment-detail"),
    path(f"{ONE}/answers", api.AnswersAPI.as_view(), name="assessment-answers"),
]
