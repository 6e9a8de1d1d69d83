from django.shortcuts import render

from sti.accounts.access import editor_required
from sti.portal import health, worklist
from sti.portal.figures import key_figures


def home(request):
    return render(request, "portal/home.html", {"figures": key_figures(request.user)})


@editor_required
def editor_worklist(request):
    queues = worklist.queues_for(request.user)
    return render(
        request,
        "portal/worklist.html",
        {
            "queues": queues,
            "waiting": sum(queue["count"] for queue in queues),
            "tools": worklist.tools(),
        },
    )


@editor_required
def system_status(request):
    checks = health.all_checks()
    return render(
        request, "portal/status.html", {"checks": checks, "worst": health.worst_state(checks)}
    )
