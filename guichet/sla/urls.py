from guichet.sla.views import board, config, reports

app_name = "sla"
urlpatterns = [*config.urlpatterns, *reports.urlpatterns, *board.urlpatterns]
