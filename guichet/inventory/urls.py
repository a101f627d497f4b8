from guichet.inventory import views
from guichet.inventory.screens import agents, conflicts, keys, rules

app_name = "inventory"
urlpatterns = (
    views.urlpatterns
    + agents.urlpatterns
    + conflicts.urlpatterns
    + rules.urlpatterns
    + keys.urlpatterns
)
