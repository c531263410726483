"""Webhooks: an organization's endpoints, the events they subscribe to, and their signed,
ordered, retried deliveries.

events     the event types
signing    the signature of a delivery (and how a receiver checks it)
payloads   the JSON an event carries
services   create and delete endpoints (with the test ping), emit events
hooks      what the assessment and grading services call (after their commit, never failing)
delivery   send one delivery: order per endpoint, backoff, give up and disable
selectors  reads for the API and the pages
tasks      Celery: deliver one, sweep what is due, settle invitations whose time passed
"""
