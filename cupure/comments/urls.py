from django.urls import path

from . import views

# A comment's own actions, each at <pk>/<action>/, served by the view of that name and named comment-<action>.
ACTIONS = ("edit", "delete", "flag", "like", "moderate")

urlpatterns = [
    path("post/<str:kind>/<int:pk>/", views.post, name="comment-post"),
    *(path(f"<int:pk>/{action}/", getattr(views, action), name=f"comment-{action}") for action in ACTIONS),
]
