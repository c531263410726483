"""/api/greenhouse/: the Greenhouse Assessment Partner endpoints (see api.greenhouse). Give
Greenhouse these four URLs and an API key of the organization (scope invite)."""

from django.urls import path

from api import greenhouse

urlpatterns = [
    path("list_tests", greenhouse.ListTestsApi.as_view(), name="greenhouse-list-tests"),
    path("send_test", greenhouse.SendTestApi.as_view(), name="greenhouse-send-test"),
    path("test_status", greenhouse.PartnerStatusApi.as_view(), name="greenhouse-test-status"),
    path("response_error", greenhouse.ResponseErrorApi.as_view(), name="greenhouse-response-error"),
]
