"""The interviewer's URLs, one list per topic module (each owns its views)."""

from web.interviewer import (
    api_keys,
    assessments,
    audit,
    authoring,
    bank,
    home,
    members,
    reports,
    signed_report,
    similarity,
    webhooks,
)

app_name = "interviewer"  # web.security adds the CSP to every page of this namespace

urlpatterns = [
    *home.urlpatterns,
    *members.urlpatterns,
    *bank.urlpatterns,
    *authoring.urlpatterns,
    *assessments.urlpatterns,
    *reports.urlpatterns,
    *signed_report.urlpatterns,
    *similarity.urlpatterns,
    *audit.urlpatterns,
    *api_keys.urlpatterns,
    *webhooks.urlpatterns,
]
