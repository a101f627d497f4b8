from guichet.assets.views import catalogue, pages, reports, transfer

app_name = "assets"
urlpatterns = pages.urlpatterns + catalogue.urlpatterns + transfer.urlpatterns + reports.urlpatterns
