from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portier.companies.tenancy import member_required
from portier.contacts import services
from portier.contacts.forms import ContactForm
from portier.contacts.models import Contact
from portier.lib.forms import run_service
from portier.visits.models import Appointment


@member_required
def contact_list(request):
    contacts = Contact.objects.for_host(request.user)
    q = request.GET.get("q", "").replace("\x00", "").strip()  # PostgreSQL cannot compare NUL
    if q:
        contacts = contacts.filter(Q(name__icontains=q) | Q(email__icontains=q))
    page = Paginator(contacts, 50).get_page(request.GET.get("page"))
    return render(request, "contacts/list.html", {"page": page, "q": q})


def _mine(request, pk) -> Contact:
    """A host's own contacts only: anyone else's (a colleague's, an outsider's) is a 404."""
    return get_object_or_404(Contact.objects.for_host(request.user), pk=pk)


@member_required
def contact_detail(request, pk):
    contact = _mine(request, pk)
    appointments = (
        Appointment.objects.visible_to(request.user)
        .filter(guests__email=contact.email)
        .select_related("location", "host")
        .order_by("-starts_at")[:200]
    )
    return render(
        request, "contacts/detail.html", {"contact": contact, "appointments": appointments}
    )


@member_required
def contact_edit(request, pk):
    contact = _mine(request, pk)
    initial = {"name": contact.name, "email": contact.email}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form, lambda: services.update_contact(contact=contact, **form.cleaned_data)
        )
        if saved:
            messages.success(request, _("Contact saved."))
            return redirect("contacts:detail", contact.pk)
    return render(request, "contacts/edit.html", {"contact": contact, "form": form})


@member_required
@require_POST
def contact_delete(request, pk):
    contact = _mine(request, pk)
    services.delete_contact(contact=contact)
    messages.success(request, _("Contact %(email)s deleted.") % {"email": contact.email})
    return redirect("contacts:list")
