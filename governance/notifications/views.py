"""The inbox page: list, open (marks read and goes to the matter), mark all read."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import selectors, services
from .text import notification_text

PAGE_SIZE = 25


@login_required
def inbox(request):
    entries = selectors.inbox(user=request.user)
    if request.GET.get("unread"):
        entries = entries.filter(read_at__isnull=True)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.text = notification_text(entry)
    return render(request, "governance/inbox.html", {"page": page, "unread_only": bool(request.GET.get("unread"))})


@login_required
@require_POST
def open_notification(request, notification_id):
    entry = get_object_or_404(selectors.inbox(user=request.user), pk=notification_id)
    services.mark_read(user=request.user, notification_id=entry.pk)
    return redirect("case-detail", case_id=entry.case_id)


@login_required
@require_POST
def mark_all_read(request):
    services.mark_all_read(user=request.user)
    return redirect("inbox")


def unread_notifications(request):
    """Context processor: the bell's count on every page (one indexed COUNT, capped)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unread = selectors.unread_count(user=user)
    return {"unread_notifications": min(unread, selectors.UNREAD_CAP),
            "unread_notifications_capped": unread > selectors.UNREAD_CAP}
