"""Celery tasks of webhooks: thin wrappers that take ids and call the delivery services.

webhooks.deliver             send one delivery (idempotent: the claim decides who sends)
webhooks.sweep               (beat) enqueue the deliveries due: retries, and any whose enqueue
                             was lost
webhooks.settle_invitations  (beat) settle invitations whose link expired or whose time ran
                             out with nobody looking, so that their events go out
"""

from __future__ import annotations

import logging

from celery import shared_task

from api.webhooks.delivery import deliveries_due, delivery_attempt, delivery_enqueue
from assessments.services.attempts import invitations_settle_due

log = logging.getLogger(__name__)


@shared_task(name="webhooks.deliver", acks_late=True, reject_on_worker_lost=True)
def deliver_webhook(delivery_id: int) -> str:
    return delivery_attempt(delivery_id=delivery_id).value


@shared_task(name="webhooks.sweep")
def sweep_webhooks() -> list[int]:
    due = deliveries_due()
    for delivery_id in due:
        delivery_enqueue(delivery_id=delivery_id)
    return due


@shared_task(name="webhooks.settle_invitations")
def settle_invitations() -> int:
    settled = invitations_settle_due()
    if settled:
        log.info("settled %s invitations past their expiry or deadline", settled)
    return settled
