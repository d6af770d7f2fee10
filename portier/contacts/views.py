from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from portier.companies.tenancy import member_required
from portier.contacts.models import Contact
from portier.visits.models import Appointment


@member_required
def contact_list(request):
    contacts = Contact.objects.for_host(request.user)
    q = request.GET.get("q", "").replace("\x00", "").strip()  # PostgreSQL cannot compare NUL
    if q:
        contacts = contacts.filter(Q(name__icontains=q) | Q(email__icontains=q))
    page = Paginator(contacts, 50).get_page(request.GET.get("page"))
    return render(request, "contacts/list.html", {"page": page, "q": q})


@member_required
def contact_detail(request, pk):
    contact = get_object_or_404(Contact.objects.for_host(request.user), pk=pk)
    appointments = (
        Appointment.objects.visible_to(request.user)
        .filter(guests__email=contact.email)
        .select_related("location", "host")
        .order_by("-starts_at")[:200]
    )
    return render(
        request, "contacts/detail.html", {"contact": contact, "appointments": appointments}
    )
