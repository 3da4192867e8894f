from django.urls import path

from . import views

urlpatterns = [
    path("post/<str:kind>/<int:pk>/", views.post, name="comment-post"),
    path("<int:pk>/edit/", views.edit, name="comment-edit"),
    path("<int:pk>/delete/", views.delete, name="comment-delete"),
    path("<int:pk>/flag/", views.flag, name="comment-flag"),
    path("<int:pk>/like/", views.like, name="comment-like"),
    path("<int:pk>/moderate/", views.moderate, name="comment-moderate"),
]
