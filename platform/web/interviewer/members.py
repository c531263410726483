"""Signing in and out, password reset by email (Django's views, our templates), and the
owner's members page: invite a colleague, change a role, remove someone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse_lazy

from accounts.models import Membership
from accounts.selectors import member_list
from accounts.services import (
    MemberError,
    member_invite,
    member_invite_resend,
    member_remove,
    member_role_change,
)
from web.interviewer.access import member_required, organization_of, scoped_or_404


class EmailAuthenticationForm(AuthenticationForm):
    """The sign-in form: the username is the email address, matched whatever its case."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Wrong email or password (the password is case-sensitive).",
    }
    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email")
    role = forms.ChoiceField(
        choices=Membership.Role.choices,
        initial=Membership.Role.AUTHOR,
        help_text="Owners manage members; authors build exercises and assessments; "
        "reviewers read the bank and reports and grade short answers.",
    )


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _member(request: HttpRequest, member_id: int) -> Membership:
    return scoped_or_404(
        Membership.objects.select_related("user", "organization"),
        organization_of(request),
        pk=member_id,
    )


@member_required(owner=True)
def members(request: HttpRequest) -> HttpResponse:
    organization = organization_of(request)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = member_invite(
                organization=organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
                base_url=_base_url(request),
            )
        except MemberError as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request,
                f"Invited {membership.user.email} as {membership.get_role_display().lower()}: "
                "they got an email with a link to set their password.",
            )
            return redirect("interviewer:members")
    context: dict[str, Any] = {
        "members": member_list(organization=organization),
        "form": form,
        "roles": Membership.Role.choices,
    }
    return render(request, "interviewer/members.html", context)


def _post_only(request: HttpRequest) -> HttpResponse | None:
    # Checked after the scoped lookup: another organization's member is a 404 whatever the method.
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


@member_required(owner=True)
def member_role(request: HttpRequest, member_id: int) -> HttpResponse:
    membership = _member(request, member_id)
    if refused := _post_only(request):
        return refused
    try:
        member_role_change(
            membership=membership,
            role=request.POST.get("role", ""),
            changed_by=request.user,
        )
    except MemberError as error:
        messages.error(request, f"The role was not changed: {error}.")
    else:
        messages.success(
            request, f"{membership.user.email} is now {membership.get_role_display().lower()}."
        )
        if membership.user_id == request.user.pk and not membership.can_manage_members:
            return redirect("interviewer:home")  # stepped down: the members page is not theirs
    return redirect("interviewer:members")


@member_required(owner=True)
def member_delete(request: HttpRequest, member_id: int) -> HttpResponse:
    membership = _member(request, member_id)
    if refused := _post_only(request):
        return refused
    try:
        member_remove(membership=membership, removed_by=request.user)
    except MemberError as error:
        messages.error(request, f"Nobody was removed: {error}.")
    else:
        if membership.user_id == request.user.pk:
            return redirect("interviewer:login")  # they left: their session has ended
        messages.success(request, f"{membership.user.email} no longer belongs here.")
    return redirect("interviewer:members")


@member_required(owner=True)
def member_resend(request: HttpRequest, member_id: int) -> HttpResponse:
    membership = _member(request, member_id)
    if refused := _post_only(request):
        return refused
    try:
        member_invite_resend(
            membership=membership,
            invited_by=request.user,
            base_url=_base_url(request),
        )
    except MemberError as error:
        messages.error(request, f"Nothing was sent: {error}.")
    else:
        messages.success(request, f"Sent {membership.user.email} a new link.")
    return redirect("interviewer:members")


_EMAIL = "interviewer/email/member_password_reset_"

urlpatterns: list[URLPattern] = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="interviewer/auth_login.html",
            authentication_form=EmailAuthenticationForm,
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),  # POST only
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="interviewer/auth_password_reset.html",
            email_template_name=f"{_EMAIL}email.txt",
            subject_template_name=f"{_EMAIL}subject.txt",
            success_url=reverse_lazy("interviewer:password-reset-done"),
        ),
        name="password-reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="interviewer/auth_password_reset_done.html"
        ),
        name="password-reset-done",
    ),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="interviewer/auth_password_reset_confirm.html",
            success_url=reverse_lazy("interviewer:password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "accounts/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="interviewer/auth_password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
    path("app/members/", members, name="members"),
    path("app/members/<int:member_id>/role", member_role, name="member-role"),
    path("app/members/<int:member_id>/remove", member_delete, name="member-remove"),
    path("app/members/<int:member_id>/resend", member_resend, name="member-resend"),
]
