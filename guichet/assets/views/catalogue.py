"""The software catalogue and what hangs on it: software, the dictionary, licences,
contracts and suppliers. Each screen lives in a catalogue_* module; their urlpatterns are
gathered here for assets/urls.py."""

from guichet.assets.views import (
    catalogue_contracts,
    catalogue_dictionary,
    catalogue_licences,
    catalogue_software,
    catalogue_suppliers,
)

urlpatterns = [
    *catalogue_software.urlpatterns,
    *catalogue_dictionary.urlpatterns,
    *catalogue_licences.urlpatterns,
    *catalogue_contracts.urlpatterns,
    *catalogue_suppliers.urlpatterns,
]
