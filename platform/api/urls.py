from django.urls import path

from api import views

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
]
