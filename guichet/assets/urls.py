from guichet.assets.views import catalogue, pages, reports, ticket_panel, transfer

app_name = "assets"
urlpatterns = (
    pages.urlpatterns
    + catalogue.urlpatterns
    + transfer.urlpatterns
    + reports.urlpatterns
    + ticket_panel.urlpatterns
)
