"""The engineers' side of the desk, mounted at /support/ on the console host, in
the "support_console" namespace. Every URL but the inbound-mail webhook needs a
platform engineer with two-factor authentication; tests/support walks this list."""

from django.urls import path

from support.views import console_holidays as holidays
from support.views import console_library as library
from support.views import console_plans as plans
from support.views import console_reports as reports
from support.views import console_tickets as tickets
from support.views.inbound import InboundMailView

app_name = "support_console"

T = "tickets/<int:pk>/"

urlpatterns = [
    path("", tickets.QueueView.as_view(), name="queue"),
    path("views/save/", tickets.SavedViewSaveView.as_view(), name="view_save"),
    path("views/<int:pk>/delete/", tickets.SavedViewDeleteView.as_view(), name="view_delete"),
    path(T, tickets.TicketDetailView.as_view(), name="ticket_detail"),
    path(f"{T}reply/", tickets.TicketReplyView.as_view(), name="ticket_reply"),
    path(f"{T}assign/", tickets.TicketAssignView.as_view(), name="ticket_assign"),
    path(f"{T}classify/", tickets.TicketClassifyView.as_view(), name="ticket_classify"),
    path(f"{T}status/", tickets.TicketTransitionView.as_view(), name="ticket_transition"),
    path(f"{T}merge/", tickets.TicketMergeView.as_view(), name="ticket_merge"),
    path(f"{T}site-visit/", tickets.TicketSiteVisitView.as_view(), name="ticket_site_visit"),
    path(
        f"{T}files/<int:attachment_id>/",
        tickets.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path("canned/", library.CannedReplyListView.as_view(), name="canned_list"),
    path("canned/<int:pk>/", library.CannedReplyEditView.as_view(), name="canned_edit"),
    path("canned/<int:pk>/delete/", library.CannedReplyDeleteView.as_view(), name="canned_delete"),
    path("articles/", library.ArticleListView.as_view(), name="article_list"),
    path("articles/new/", library.ArticleEditView.as_view(), name="article_create"),
    path("articles/<int:pk>/", library.ArticleEditView.as_view(), name="article_edit"),
    path("reports/hours/", reports.HoursReportView.as_view(), name="report_hours"),
    path(
        "reports/service-levels/",
        reports.ServiceLevelReportView.as_view(),
        name="report_service_levels",
    ),
    path("plans/", plans.PlanListView.as_view(), name="plan_list"),
    path("plans/new/", plans.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:pk>/", plans.PlanEditView.as_view(), name="plan_edit"),
    path("plans/<int:pk>/assign/", plans.PlanAssignView.as_view(), name="plan_assign"),
    path("plans/regencies/<slug:slug>/", plans.TenantPlanView.as_view(), name="tenant_plan"),
    path("holidays/", holidays.HolidayListView.as_view(), name="holiday_list"),
    path("holidays/<int:pk>/delete/", holidays.HolidayDeleteView.as_view(), name="holiday_delete"),
    # The mail provider's webhook: authenticated by its shared secret, not a session.
    path("inbound-mail/", InboundMailView.as_view(), name="inbound_mail"),
]
