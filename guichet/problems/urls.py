from guichet.problems.views import changes, pages, panel

app_name = "problems"
urlpatterns = pages.urlpatterns + changes.urlpatterns + panel.urlpatterns
