"""Placeholder: screens declared here are added to assets/urls.py."""

urlpatterns: list = []
