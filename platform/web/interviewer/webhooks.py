"""The owner's webhooks page: the organization's endpoints (register one after its test ping,
delete, turn a disabled one back on), each endpoint's delivery log with status codes and a
redeliver button, and the secret that signs invitations' callback URLs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import URLPattern, path

from api.models import WebhookEndpoint
from api.webhooks.delivery import delivery_redeliver
from api.webhooks.events import EventType
from api.webhooks.selectors import delivery_get, delivery_list, endpoint_list
from api.webhooks.services import WebhookError, endpoint_create, endpoint_delete, endpoint_enable
from api.webhooks.signing import callback_secret
from web.interviewer.access import member_required, organization_of, scoped_or_404

LOG_ROWS = 100


class WebhookForm(forms.Form):
    url = forms.URLField(
        label="URL",
        max_length=1000,
        assume_scheme="https",
        help_text="It gets a signed test ping now, and must answer 2xx.",
    )
    events = forms.MultipleChoiceField(
        label="Events",
        choices=EventType.choices,
        initial=[EventType.INVITATION_SUBMITTED, EventType.INVITATION_GRADED],
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(label="Description", max_length=200, required=False)


def _endpoint(request: HttpRequest, webhook_id: int) -> WebhookEndpoint:
    return scoped_or_404(
        WebhookEndpoint.objects.select_related("organization"),
        organization_of(request),
        pk=webhook_id,
    )


def _post_only(request: HttpRequest) -> HttpResponse | None:
    # Checked after the scoped lookup: another organization's endpoint is a 404 whatever the
    # method.
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


@member_required(owner=True)
def webhooks(request: HttpRequest) -> HttpResponse:
    organization = organization_of(request)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = endpoint_create(
                organization=organization, actor=request.user, **form.cleaned_data
            )
        except WebhookError as error:
            form.add_error("url", str(error))
        else:
            # Rendered, not redirected: the secret is shown this once.
            return render(request, "interviewer/webhooks_created.html", {"endpoint": endpoint})
    context: dict[str, Any] = {
        "endpoints": endpoint_list(organization=organization),
        "form": form,
        "callback_secret": callback_secret(organization.id),
    }
    return render(request, "interviewer/webhooks.html", context)


@member_required(owner=True)
def webhook_detail(request: HttpRequest, webhook_id: int) -> HttpResponse:
    endpoint = _endpoint(request, webhook_id)
    deliveries = list(delivery_list(endpoint=endpoint)[:LOG_ROWS])
    context = {"endpoint": endpoint, "deliveries": deliveries, "rows": LOG_ROWS}
    return render(request, "interviewer/webhooks_endpoint.html", context)


@member_required(owner=True)
def webhook_delete(request: HttpRequest, webhook_id: int) -> HttpResponse:
    endpoint = _endpoint(request, webhook_id)
    if refused := _post_only(request):
        return refused
    endpoint_delete(endpoint=endpoint, actor=request.user)
    messages.success(request, f"Deleted the endpoint {endpoint.url} and its delivery log.")
    return redirect("interviewer:webhooks")


@member_required(owner=True)
def webhook_enable(request: HttpRequest, webhook_id: int) -> HttpResponse:
    endpoint = _endpoint(request, webhook_id)
    if refused := _post_only(request):
        return refused
    try:
        endpoint_enable(endpoint=endpoint, actor=request.user)
    except WebhookError as error:
        messages.error(request, f"Nothing changed: {error}.")
    else:
        messages.success(request, f"{endpoint.url} gets events again from now on.")
    return redirect("interviewer:webhook", webhook_id=endpoint.id)


@member_required(owner=True)
def webhook_redeliver(request: HttpRequest, webhook_id: int, delivery_id: int) -> HttpResponse:
    endpoint = _endpoint(request, webhook_id)
    delivery = delivery_get(endpoint=endpoint, delivery_id=delivery_id)
    if delivery is None:
        raise Http404("no such delivery")
    if refused := _post_only(request):
        return refused
    delivery = delivery_redeliver(delivery=delivery)
    if delivery.last_error:
        messages.error(
            request, f"Delivery #{delivery.sequence} failed again: {delivery.last_error}."
        )
    else:
        messages.success(
            request, f"Delivery #{delivery.sequence} answered HTTP {delivery.last_status_code}."
        )
    return redirect("interviewer:webhook", webhook_id=endpoint.id)


urlpatterns: list[URLPattern] = [
    path("app/webhooks/", webhooks, name="webhooks"),
    path("app/webhooks/<int:webhook_id>/", webhook_detail, name="webhook"),
    path("app/webhooks/<int:webhook_id>/delete", webhook_delete, name="webhook-delete"),
    path("app/webhooks/<int:webhook_id>/enable", webhook_enable, name="webhook-enable"),
    path(
        "app/webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/redeliver",
        webhook_redeliver,
        name="webhook-redeliver",
    ),
]
