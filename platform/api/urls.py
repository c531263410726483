"""API v1 routes (under /api/v1/): the bank and submissions (issue 5), then the hiring-system
resources (assessments, invitations, reports) and the webhooks (api.webhook_urls)."""

from django.urls import include, path

import api.schema_auth  # noqa: F401  (registers Bearer key authentication in the schema)
from api import views, views_assessments, views_invitations, views_reports

urlpatterns = [
    path("exercises", views.ExerciseListApi.as_view(), name="exercise-list"),
    path("exercises/<slug:slug>", views.ExerciseDetailApi.as_view(), name="exercise-detail"),
    path("questions", views.QuestionListApi.as_view(), name="question-list"),
    path("questions/<slug:slug>", views.QuestionDetailApi.as_view(), name="question-detail"),
    path("submissions", views.SubmissionListCreateApi.as_view(), name="submission-list"),
    path(
        "submissions/<uuid:submission_id>",
        views.SubmissionDetailApi.as_view(),
        name="submission-detail",
    ),
    path(
        "submissions/<uuid:submission_id>/events",
        views.SubmissionEventsApi.as_view(),
        name="submission-events",
    ),
    path("assessments", views_assessments.AssessmentListApi.as_view(), name="assessment-list"),
    path(
        "assessments/<int:assessment_id>",
        views_assessments.AssessmentDetailApi.as_view(),
        name="assessment-detail",
    ),
    path(
        "assessments/<int:assessment_id>/invitations",
        views_invitations.InvitationCreateApi.as_view(),
        name="invitation-create",
    ),
    path(
        "assessments/<int:assessment_id>/invitations/batch",
        views_invitations.InvitationBatchCreateApi.as_view(),
        name="invitation-batch-create",
    ),
    path("invitations", views_invitations.InvitationListApi.as_view(), name="invitation-list"),
    path(
        "invitations/<uuid:invitation_id>",
        views_invitations.InvitationDetailApi.as_view(),
        name="invitation-detail",
    ),
    path(
        "invitations/<uuid:invitation_id>/revoke",
        views_invitations.InvitationRevokeApi.as_view(),
        name="invitation-revoke",
    ),
    path(
        "invitations/<uuid:invitation_id>/extend",
        views_invitations.InvitationExtendApi.as_view(),
        name="invitation-extend",
    ),
    path(
        "invitations/<uuid:invitation_id>/report",
        views_reports.InvitationReportApi.as_view(),
        name="invitation-report",
    ),
    path("", include("api.webhook_urls")),
]
