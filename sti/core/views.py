from django.core.paginator import Paginator
from django.shortcuts import render

from sti.accounts.access import editor_required
from sti.core.models import AuditEntry


@editor_required
def audit_log(request):
    entries = AuditEntry.objects.select_related("actor")
    object_type = request.GET.get("type", "").strip()
    object_id = request.GET.get("id", "").strip()
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    types = (
        AuditEntry.objects.values_list("object_type", flat=True).distinct().order_by("object_type")
    )
    return render(
        request, "core/audit_log.html", {"page": page, "types": types, "selected_type": object_type}
    )
