"""The regency's side of the desk, mounted at /help/ on each regency's site, in
the "support" namespace (which a suspended regency's admins can still reach)."""

from django.urls import path

from support.views import regency as views

app_name = "support"

urlpatterns = [
    path("", views.HelpHomeView.as_view(), name="home"),
    path("articles/suggest/", views.ArticleSuggestView.as_view(), name="article_suggest"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article_detail"),
    path("tickets/", views.TicketListView.as_view(), name="ticket_list"),
    path("tickets/new/", views.TicketCreateView.as_view(), name="ticket_create"),
    path("tickets/<int:pk>/", views.TicketDetailView.as_view(), name="ticket_detail"),
    path("tickets/<int:pk>/reply/", views.TicketReplyView.as_view(), name="ticket_reply"),
    path("tickets/<int:pk>/rate/", views.TicketRateView.as_view(), name="ticket_rate"),
    path("tickets/<int:pk>/confirm/", views.TicketConfirmView.as_view(), name="ticket_confirm"),
    path(
        "tickets/<int:pk>/files/<int:attachment_id>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
]
