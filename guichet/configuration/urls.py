from django.urls import path

from guichet.configuration import views

app_name = "configuration"
urlpatterns = [
    path("priority-matrix/", views.priority_matrix, name="priority-matrix"),
    path("categories/", views.categories, name="categories"),
    path("categories/<int:pk>/", views.categories, name="category-edit"),
]
