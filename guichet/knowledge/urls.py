from django.urls import path

from guichet.knowledge.views import articles, faq, files, history, tickets, transfer, votes

app_name = "knowledge"

urlpatterns = [
    path("", articles.article_index, name="list"),
    path("new/", articles.article_new, name="new"),
    path("<int:pk>/", articles.article_detail, name="detail"),
    path("<int:pk>/edit/", articles.article_edit, name="edit"),
    path("<int:pk>/status/", articles.article_status, name="status"),
    path("<int:pk>/history/", history.article_history, name="history"),
    path("<int:pk>/compare/", history.article_compare, name="compare"),
    path("<int:pk>/files/", files.upload, name="upload"),
    path("<int:pk>/files/<int:att>/", files.download, name="file"),
    path("<int:pk>/vote/", votes.vote, name="vote"),
    path("faq/", faq.faq, name="faq"),
    path("faq/<int:pk>/", faq.faq_article, name="faq-article"),
    path("ticket/<int:pk>/panel", tickets.ticket_panel, name="ticket-panel"),
    path("ticket/<int:pk>/link", tickets.ticket_link, name="ticket-link"),
    path("ticket/<int:pk>/draft", tickets.ticket_draft, name="ticket-draft"),
]

# Import and export of the whole base as Markdown files (administrators).
urlpatterns += transfer.urlpatterns
