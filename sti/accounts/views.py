from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sti.accounts.models import ApiToken
from sti.accounts.tokens import create_token


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    """Create and revoke the user's API tokens; a new token is shown once."""
    new_key = None
    if request.method == "POST":
        if "revoke" in request.POST:
            ApiToken.objects.filter(user=request.user, pk=request.POST.get("revoke")).update(
                revoked=True
            )
            messages.success(request, _("Đã thu hồi khóa API."))
            return redirect("accounts:tokens")
        name = request.POST.get("name", "").strip()[:100] or _("Khóa API")
        new_key = create_token(request.user, name)
    user_tokens = ApiToken.objects.filter(user=request.user, revoked=False)
    return render(request, "accounts/tokens.html", {"tokens": user_tokens, "new_key": new_key})
