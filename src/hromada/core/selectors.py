from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from hromada.core.models import CalendarDay, Notification, Organisation


def organisations_public() -> QuerySet[Organisation]:
    return Organisation.objects.select_related("parent").order_by("kind", "name")


def organisation_by_key(*, key: str) -> Organisation:
    return Organisation.objects.select_related("parent").get(key=key)


def notifications_for(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_notification_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def calendar_year(*, year: int) -> QuerySet[CalendarDay]:
    return CalendarDay.objects.filter(date__gte=date(year, 1, 1), date__lte=date(year, 12, 31))
