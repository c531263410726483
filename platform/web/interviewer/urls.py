"""The interviewer's URLs, one list per topic module (each owns its views)."""

from web.interviewer import (
    assessments,
    audit,
    authoring,
    bank,
    home,
    members,
    reports,
    similarity,
)

app_name = "interviewer"  # web.security adds the CSP to every page of this namespace

urlpatterns = [
    *home.urlpatterns,
    *members.urlpatterns,
    *bank.urlpatterns,
    *authoring.urlpatterns,
    *assessments.urlpatterns,
    *reports.urlpatterns,
    *similarity.urlpatterns,
    *audit.urlpatterns,
]
