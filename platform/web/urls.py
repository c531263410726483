"""The candidate's URLs. Only `/a/<token>` carries the token; everything after it works from
the session (see web.session)."""

from django.urls import path

from web import endpoints, views

app_name = "candidate"  # web.security adds the CSP to every page of this namespace

urlpatterns = [
    path("a/<str:token>", views.open_invitation, name="open"),
    path("attempt/", views.home, name="home"),
    path("attempt/start", views.start, name="start"),
    path("attempt/finish", views.finish, name="finish"),
    path("attempt/steps/<int:number>", views.step, name="step"),
    path("attempt/steps/<int:number>/draft", endpoints.save_draft, name="draft"),
    path("attempt/steps/<int:number>/answer", endpoints.save_answer, name="answer"),
    path("attempt/steps/<int:number>/submissions", endpoints.submissions, name="submissions"),
    path("attempt/submissions/<uuid:submission_id>", endpoints.submission, name="submission"),
    path("attempt/submissions/<uuid:submission_id>/events", endpoints.events, name="events"),
]
