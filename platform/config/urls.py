"""URL routes. The web platform (API, pages) arrives in later work; nothing is served yet."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
