"""Access helpers shared by pages, the API and search.

Views never call `.objects.get()` on a protected model: they use the model's
`objects.visible_to(user)` or a `get_<thing>_for_user` built on `get_visible_or_404`.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404


def is_editor(user) -> bool:
    return bool(user and user.is_authenticated and user.is_editor)


def get_visible_or_404(queryset_owner, user, **lookup):
    """Fetch one object through `visible_to(user)`; invisible and missing look the same."""
    try:
        return queryset_owner.objects.visible_to(user).get(**lookup)
    except queryset_owner.DoesNotExist as missing:
        raise Http404 from missing


def visible_to_anonymous(obj) -> bool:
    """Whether an anonymous visitor may see `obj` (through its model's `visible_to`)."""
    return type(obj).objects.visible_to(None).filter(pk=obj.pk).exists()


def editor_required(view):
    """Decorator: only editors and administrators; others get 403. An anonymous visitor is
    sent to the login page instead, for this refusal as for any other a page makes
    (`sti.core.middleware.LoginForAnonymousMiddleware`)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_editor(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
