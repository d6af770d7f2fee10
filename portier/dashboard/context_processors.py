from django.conf import settings


def portier(request):
    user = getattr(request, "user", None)
    return {
        "invite_address": settings.PORTIER_INVITE_ADDRESS,
        "is_company_admin": bool(user and user.is_authenticated and user.is_company_admin),
        "works_front_desk": bool(
            user and user.is_authenticated and (user.is_company_admin or user.is_reception)
        ),
    }
