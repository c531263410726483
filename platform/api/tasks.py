"""The API's Celery tasks, where Celery's autodiscovery looks (`<app>.tasks`): webhooks."""

from api.webhooks.tasks import deliver_webhook, settle_invitations, sweep_webhooks

__all__ = ["deliver_webhook", "settle_invitations", "sweep_webhooks"]
