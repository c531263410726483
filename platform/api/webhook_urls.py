"""The webhooks routes under /api/v1/ (included by api.urls)."""

from django.urls import path

from api import views_webhooks as views

urlpatterns = [
    path("webhooks", views.WebhookListCreateApi.as_view(), name="webhook-list"),
    path(
        "webhooks/callback-secret",
        views.CallbackSecretApi.as_view(),
        name="webhook-callback-secret",
    ),
    path("webhooks/<int:webhook_id>", views.WebhookDetailApi.as_view(), name="webhook-detail"),
    path(
        "webhooks/<int:webhook_id>/deliveries",
        views.WebhookDeliveryListApi.as_view(),
        name="webhook-deliveries",
    ),
    path(
        "webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/redeliver",
        views.WebhookRedeliverApi.as_view(),
        name="webhook-redeliver",
    ),
]
