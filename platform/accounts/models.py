"""Organizations (the companies that use TensorJudge), their members with a role each, and the
audit trail of what members changed and viewed.

Tenancy: everything an interviewer can reach belongs to one organization, and every query of
the interviewer's pages is scoped to the organization of the signed-in member (see
web.interviewer.access). A user belongs to at most one organization.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Organization(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's place in an organization. What each role may do is decided by the methods
    below, never by comparing role strings elsewhere."""

    class Role(models.TextChoices):
        OWNER = "owner"  # everything, including members
        AUTHOR = "author"  # exercises, assessments, invitations, reports
        REVIEWER = "reviewer"  # reads the bank and the reports, grades short answers

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} ({self.role} of {self.organization})"

    @property
    def can_manage_members(self) -> bool:
        return self.role == self.Role.OWNER

    @property
    def can_author(self) -> bool:
        """Create and edit exercises, build assessments, invite candidates."""
        return self.role in (self.Role.OWNER, self.Role.AUTHOR)

    @property
    def can_review(self) -> bool:
        """Read reports and grade short answers (every role can)."""
        return True


class AuditEvent(models.Model):
    """One thing a member did: changed an exercise or an assessment, invited, viewed a report."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=60)  # "exercise.publish", "report.view", ...
    target_type = models.CharField(max_length=40)  # "exercise", "assessment", "invitation"
    target_id = models.CharField(max_length=100)
    target_label = models.CharField(max_length=300)
    detail = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organization", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target_label}"


class ApiKey(models.Model):
    """A hiring system's key to the REST API, for one organization, with scopes.

    The key itself (`tj_<prefix>_<secret>`) is shown once at creation; only its SHA-256 is kept.
    Each key acts through its own service account (`user`), which owns what the key creates
    (submissions) and is never a member: it cannot sign in to the pages."""

    class Scope(models.TextChoices):
        READ = "read"  # assessments, invitations, reports, submissions
        INVITE = "invite"  # + create, revoke, extend invitations; submit code
        ADMIN = "admin"  # + webhooks

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="api_keys"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_key"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, unique=True)  # shown in lists, part of the key
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organization", "-created_at"]

    def __str__(self) -> str:
        return f"{self.name} (tj_{self.prefix}_…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: str) -> bool:
        """Whether the key may do what `scope` covers (admin > invite > read)."""
        order = [self.Scope.READ, self.Scope.INVITE, self.Scope.ADMIN]
        granted = {order.index(s) for s in self.scopes if s in order}
        return bool(granted) and max(granted) >= order.index(self.Scope(scope))
