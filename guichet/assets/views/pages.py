"""The staff's asset screens: the list (filters, saved views, bulk changes), an asset's page,
its files, and the forms that create and edit assets."""

from guichet.assets.views import (
    asset_files,
    asset_forms,
    asset_page,
    list_bulk,
    list_page,
    list_views,
)

urlpatterns = [
    *list_page.urlpatterns,
    *list_bulk.urlpatterns,
    *list_views.urlpatterns,
    *asset_forms.urlpatterns,
    *asset_page.urlpatterns,
    *asset_files.urlpatterns,
]
