"""Writes of an attempt: invite, start the clock, save drafts and answers, submit, finish.

Every write re-reads the invitation under a row lock and checks that it still accepts work, so
a save or a submit that races the deadline or a "Finish" in another tab is refused, never half
taken. Errors are `AttemptError`s whose message is written for the candidate.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from api.webhooks import hooks
from api.webhooks.events import EventType
from assessments.models import Answer, AssessmentItem, Draft, Invitation
from bank.question_files import CHOICE_KINDS
from submissions.models import Submission
from submissions.services import SubmissionRejected, submission_create

MAX_ANSWER_CHARS = 10_000


class AttemptError(ValueError):
    """A candidate's action that cannot be taken; the message says why, for the candidate."""


class AttemptClosed(AttemptError):
    """The attempt takes no more work (not started, finished, or past its deadline)."""


class CodeTooLarge(AttemptError):
    """The code is over settings.MAX_SOURCE_BYTES."""


class SubmissionLimitReached(AttemptError):
    """The assessment's submissions per exercise are used up (runs of the public tests stay)."""


class RateLimited(AttemptError):
    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


def invitation_settle(*, invitation: Invitation) -> Invitation:
    """Bring the stored status up to the clock: an unused link past its expiry becomes EXPIRED,
    a started attempt past its deadline becomes SUBMITTED ("the time ran out"). Idempotent."""
    now = timezone.now()
    if invitation.link_expired(now):
        if Invitation.objects.filter(id=invitation.id, status=Invitation.Status.INVITED).update(
            status=Invitation.Status.EXPIRED
        ):
            hooks.invitation_event(
                invitation_id=invitation.id, event_type=EventType.INVITATION_EXPIRED
            )
    elif invitation.status == Invitation.Status.STARTED and invitation.time_is_up(now):
        if Invitation.objects.filter(id=invitation.id, status=Invitation.Status.STARTED).update(
            status=Invitation.Status.SUBMITTED,
            finished_at=invitation.deadline,
            finish_reason="the time ran out",
        ):
            hooks.invitation_event(
                invitation_id=invitation.id, event_type=EventType.INVITATION_SUBMITTED
            )
    else:
        return invitation
    invitation.refresh_from_db()
    return invitation


def invitations_settle_due(*, limit: int = 500) -> int:
    """Settle the invitations whose link expired or whose time ran out while nobody looked
    (Celery beat runs this, so that hiring systems hear of it); returns how many changed."""
    now = timezone.now()
    due = Invitation.objects.filter(
        Q(status=Invitation.Status.INVITED, expires_at__lte=now)
        | Q(status=Invitation.Status.STARTED, deadline__lte=now)
    ).order_by("expires_at")[:limit]
    settled = 0
    for invitation in due:
        before = invitation.status
        settled += invitation_settle(invitation=invitation).status != before
    return settled


def attempt_start(*, invitation: Invitation) -> Invitation:
    """Start the clock: the deadline is the first start + the assessment's duration + the
    candidate's extra time. Starting again (another tab, another browser) changes nothing."""
    invitation = invitation_settle(invitation=invitation)
    if invitation.status == Invitation.Status.INVITED:
        with transaction.atomic():
            if _start_clock(invitation.id):
                hooks.invitation_event(
                    invitation_id=invitation.id, event_type=EventType.INVITATION_STARTED
                )
        invitation.refresh_from_db()
    if invitation.status != Invitation.Status.STARTED:
        raise AttemptClosed(closed_reason(invitation))
    return invitation


def _start_clock(invitation_id: object) -> bool:
    # The row is locked while the deadline is computed, so that extra time granted at the same
    # instant is either in it or refused (the interviewer's change is a guarded UPDATE on INVITED).
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("assessment")
        .get(id=invitation_id)
    )
    if invitation.status == Invitation.Status.INVITED:
        now = timezone.now()
        # The extra time is an accommodation granted to this candidate, part of their clock.
        duration = timedelta(
            minutes=invitation.assessment.duration_minutes + invitation.extra_minutes
        )
        started = Invitation.objects.filter(
            id=invitation.id, status=Invitation.Status.INVITED
        ).update(status=Invitation.Status.STARTED, started_at=now, deadline=now + duration)
        return started == 1
    return False


def attempt_finish(*, invitation: Invitation) -> Invitation:
    """End the attempt at the candidate's request; nothing more is accepted after it."""
    invitation = invitation_settle(invitation=invitation)
    if Invitation.objects.filter(id=invitation.id, status=Invitation.Status.STARTED).update(
        status=Invitation.Status.SUBMITTED,
        finished_at=timezone.now(),
        finish_reason="finished by the candidate",
    ):
        hooks.invitation_event(
            invitation_id=invitation.id, event_type=EventType.INVITATION_SUBMITTED
        )
    invitation.refresh_from_db()
    return invitation


def closed_reason(invitation: Invitation) -> str:
    """Why the attempt takes no work, in the candidate's words."""
    if invitation.status == Invitation.Status.REVOKED:
        return "This invitation was withdrawn by the company that sent it."
    if invitation.status == Invitation.Status.EXPIRED:
        return f"This invitation expired on {invitation.expires_at:%Y-%m-%d %H:%M} UTC."
    if invitation.status == Invitation.Status.INVITED:
        return "The assessment has not been started yet."
    if invitation.finish_reason == "the time ran out" or (
        invitation.deadline and invitation.time_is_up(timezone.now())
    ):
        return (
            f"The time is up: the deadline was {invitation.deadline:%H:%M:%S} UTC. "
            "Nothing more is accepted; what you saved and submitted before it is kept."
        )
    return "You have finished this assessment: nothing more is accepted."


def _open_attempt(invitation: Invitation) -> Invitation:
    """The invitation locked for this transaction, if it accepts work now; else AttemptClosed."""
    locked = Invitation.objects.select_for_update().get(id=invitation.id)
    if not locked.accepts_work(timezone.now()):
        raise AttemptClosed(closed_reason(invitation_settle(invitation=locked)))
    return locked


def _check_code_size(code: str) -> None:
    size = len(code.encode("utf-8", "surrogatepass"))
    if size > settings.MAX_SOURCE_BYTES:
        raise CodeTooLarge(
            f"Your code is {size} bytes; the limit is {settings.MAX_SOURCE_BYTES} bytes (256 KB)."
        )


@transaction.atomic
def draft_save(*, invitation: Invitation, item: AssessmentItem, code: str) -> Draft:
    """Keep the editor's content for an exercise (the last save wins)."""
    _open_attempt(invitation)
    if not item.is_exercise:
        raise AttemptError("Only an exercise has code to save.")
    _check_code_size(code)
    return _keep_draft(invitation, item, code)


def _keep_draft(invitation: Invitation, item: AssessmentItem, code: str) -> Draft:
    draft, _ = Draft.objects.update_or_create(
        invitation=invitation, item=item, defaults={"code": code, "saved_at": timezone.now()}
    )
    return draft


@transaction.atomic
def answer_save(
    *,
    invitation: Invitation,
    item: AssessmentItem,
    choices: list[int] | None = None,
    text: str | None = None,
) -> Answer:
    """Keep the candidate's answer to a question, checked against the version shown."""
    _open_attempt(invitation)
    version = item.pinned_question_version
    if version is None:
        raise AttemptError("This step is not a question.")
    if version.kind in CHOICE_KINDS:
        if text is not None or choices is None:
            raise AttemptError("This question takes choices, not text.")
        count = len(version.choices.get("en", []))
        valid = all(isinstance(c, int) and not isinstance(c, bool) for c in choices)
        if not valid or any(not 0 <= c < count for c in choices):
            raise AttemptError(f"Choices must be numbers from 0 to {count - 1}.")
        if version.kind == "single" and len(choices) > 1:
            raise AttemptError("This question takes one choice.")
        fields = {"choices": sorted(set(choices)), "text": ""}
    else:
        if choices is not None or text is None:
            raise AttemptError("This question takes a written answer.")
        if len(text) > MAX_ANSWER_CHARS:
            raise AttemptError(
                f"Your answer is {len(text)} characters; the limit is {MAX_ANSWER_CHARS}."
            )
        fields = {"choices": [], "text": text}
    answer, _ = Answer.objects.update_or_create(
        invitation=invitation,
        item=item,
        defaults={**fields, "question_version": version, "saved_at": timezone.now()},
    )
    return answer


def submissions_made(invitation: Invitation, item: AssessmentItem, *, suite: str) -> int:
    """How many submissions of `suite` the candidate has made on the step's exercise."""
    return Submission.objects.filter(
        regrade_of__isnull=True,  # re-grades are the platform's, not the candidate's
        owner=invitation.candidate,
        exercise_version__exercise_id=item.exercise_id,
        suite=suite,
    ).count()


@transaction.atomic
def attempt_submit(
    *, invitation: Invitation, item: AssessmentItem, code: str, suite: str
) -> Submission:
    """Grade the candidate's code (public tests for Run, the hidden suite for Submit) through
    the same intake and queue as the API; the code is kept as the draft too.

    At most settings.SUBMISSIONS_PER_MINUTE per attempt: the invitation row is locked, so two
    concurrent submits are counted one after the other."""
    _open_attempt(invitation)
    if item.exercise is None:
        raise AttemptError("Only an exercise can be run or submitted.")
    _check_code_size(code)
    limit = settings.SUBMISSIONS_PER_MINUTE
    window_start = timezone.now() - timedelta(minutes=1)
    recent = list(
        Submission.objects.filter(
            owner=invitation.candidate, created_at__gte=window_start, regrade_of__isnull=True
        )
        .order_by("created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(recent) >= limit:
        wait_s = max(1, int((recent[0] - window_start).total_seconds()) + 1)
        raise RateLimited(
            f"You have run or submitted {limit} times in the last minute. "
            f"Take a breath: you can send again in {wait_s} s (your code is saved).",
            retry_after_s=wait_s,
        )
    allowed = invitation.assessment.max_submissions
    if suite == Submission.Suite.HIDDEN and allowed is not None:
        used = submissions_made(invitation, item, suite=Submission.Suite.HIDDEN)
        if used >= allowed:
            raise SubmissionLimitReached(
                f"You have used all {allowed} submissions of this exercise. "
                "Your best graded submission counts; you can still run the public tests."
            )
    _keep_draft(invitation, item, code)
    try:
        return submission_create(
            owner=invitation.candidate,
            exercise=item.exercise,
            version=item.pinned_exercise_version,
            code=code,
            suite=suite,
        )
    except SubmissionRejected as exc:
        raise AttemptError(str(exc)[:1].upper() + str(exc)[1:] + ".") from exc
