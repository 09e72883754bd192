from django.conf import settings

from hromada.core.selectors import unread_notification_count


def hromada(request):
    user = getattr(request, "user", None)
    unread = unread_notification_count(user=user) if user and user.is_authenticated else 0
    return {
        "hromada_name": settings.HROMADA_NAME,
        "demo_mode": settings.DEMO_MODE,
        "unread_notifications": unread,
    }
