from django.urls import path

from guichet.scripts.views import library, runner, tree_editor

app_name = "scripts"

urlpatterns = [
    path("", library.script_list, name="list"),
    path("new/", library.script_edit, name="new"),
    path("import/", library.script_import, name="import"),
    path("<int:pk>/", library.script_detail, name="detail"),
    path("<int:pk>/edit/", library.script_edit, name="edit"),
    path("<int:pk>/tree/", tree_editor.tree_edit, name="tree"),
    path("<int:pk>/export/", library.script_export, name="export"),
    path("ticket/<int:pk>/panel", runner.ticket_panel, name="ticket-panel"),
    path("intake/panel", runner.intake_panel, name="intake-panel"),
    path("portal/panel", runner.portal_panel, name="portal-panel"),
    path("runs/start/", runner.start, name="start"),
    path("runs/<int:pk>/", runner.run_page, name="run"),
    path("runs/<int:pk>/step/", runner.step, name="step"),
]
