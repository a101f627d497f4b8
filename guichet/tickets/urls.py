from guichet.tickets.views import detail, dispatch, intake, queue

app_name = "tickets"
urlpatterns = queue.urlpatterns + dispatch.urlpatterns + intake.urlpatterns + detail.urlpatterns
