"""The owner's API keys page: the organization's keys for hiring systems (name, prefix, scope,
created, last used, revoked), a new key (shown this once, never stored in clear), revoking."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import URLPattern, path

from accounts.api_keys import ApiKeyError, api_key_create, api_key_revoke
from accounts.models import ApiKey
from web.interviewer.access import member_required, organization_of, scoped_or_404

SCOPE_HELP = {
    ApiKey.Scope.READ: "read assessments, invitations, reports and submissions",
    ApiKey.Scope.INVITE: "read, and invite candidates (revoke, extend), submit code",
    ApiKey.Scope.ADMIN: "all of that, and register webhooks",
}


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What uses it, e.g. “Greenhouse” or “our ATS (staging)”.",
    )
    scope = forms.ChoiceField(
        label="Access",
        choices=[(scope.value, f"{scope.label}: {SCOPE_HELP[scope]}") for scope in ApiKey.Scope],
        initial=ApiKey.Scope.INVITE,
        widget=forms.RadioSelect,
    )


@member_required(owner=True)
def api_keys(request: HttpRequest) -> HttpResponse:
    organization = organization_of(request)
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            key, raw = api_key_create(
                organization=organization,
                name=form.cleaned_data["name"],
                scopes=[form.cleaned_data["scope"]],
                actor=request.user,
            )
        except ApiKeyError as error:
            form.add_error("name", str(error))
        else:
            # Rendered, not redirected: the key must not be kept anywhere to show it later.
            context = {"key": key, "raw": raw, "base_url": request.build_absolute_uri("/")}
            return render(request, "interviewer/api_keys_created.html", context)
    context: dict[str, Any] = {
        "keys": ApiKey.objects.filter(organization=organization).select_related("created_by"),
        "form": form,
    }
    return render(request, "interviewer/api_keys.html", context)


@member_required(owner=True)
def api_key_revoke_view(request: HttpRequest, api_key_id: int) -> HttpResponse:
    key = scoped_or_404(
        ApiKey.objects.select_related("organization"), organization_of(request), pk=api_key_id
    )
    # Checked after the scoped lookup: another organization's key is a 404 whatever the method.
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    was_active = key.is_active
    api_key_revoke(key=key, actor=request.user)
    if was_active:
        messages.success(request, f"Revoked “{key.name}” (tj_{key.prefix}_…): it no longer works.")
    return redirect("interviewer:api-keys")


urlpatterns: list[URLPattern] = [
    path("app/api-keys/", api_keys, name="api-keys"),
    path("app/api-keys/<int:api_key_id>/revoke", api_key_revoke_view, name="api-key-revoke"),
]
