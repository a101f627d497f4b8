from django.urls import path

from guichet.mail.views import (
    admin_mailboxes,
    admin_messages,
    admin_templates,
    links,
    preferences,
)

app_name = "mail"
urlpatterns = [
    path("answer/<str:token>/", links.solution, name="solution"),
    path("rate/<str:token>/", links.satisfaction, name="satisfaction"),
    # Administrators' screens (Configuration tabs).
    path("mailboxes/", admin_mailboxes.mailboxes, name="mailboxes"),
    path("mailboxes/new/", admin_mailboxes.mailbox_form, name="mailbox-new"),
    path("mailboxes/<int:pk>/", admin_mailboxes.mailbox_form, name="mailbox-edit"),
    path("mailboxes/<int:pk>/test/", admin_mailboxes.mailbox_test, name="mailbox-test"),
    path("inbound/", admin_messages.inbound, name="inbound"),
    path("inbound/<int:pk>/", admin_messages.inbound_detail, name="inbound-detail"),
    path("inbound/<int:pk>/retry/", admin_messages.inbound_retry, name="inbound-retry"),
    path("inbound/<int:pk>/discard/", admin_messages.inbound_discard, name="inbound-discard"),
    path("messages/<int:pk>/raw/", admin_messages.raw, name="raw"),
    path("outbound/", admin_messages.outbound_list, name="outbound"),
    path("outbound/<int:pk>/", admin_messages.outbound_detail, name="outbound-detail"),
    path("outbound/<int:pk>/resend/", admin_messages.outbound_resend, name="outbound-resend"),
    path("templates/", admin_templates.templates, name="templates"),
    path(
        "templates/<str:kind>/<str:language>/", admin_templates.template_form, name="template-edit"
    ),
    path(
        "templates/<str:kind>/<str:language>/reset/",
        admin_templates.template_reset,
        name="template-reset",
    ),
    # Everyone's.
    path("preferences/", preferences.preferences, name="preferences"),
]
