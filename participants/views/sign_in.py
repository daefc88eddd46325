"""Sign-in pages of our own around allauth's: the back office's login, and the password pages
that an address proven only by an invitation link may not use."""

from urllib.parse import urlencode

from allauth.account import views as allauth_views
from allauth.account.utils import has_verified_email
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from .. import link_sign_in, queries


@require_http_methods(["GET", "HEAD", "POST"])
def admin_login(request):
    """The back office has no login form of its own: the site's sign-in, with its rate limits.

    A POST here signs nobody in; it is sent to the site's sign-in like a GET.
    """
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_staff:
            return redirect(next_url)
        # Sending a signed-in non-staff account to the sign-in page would loop back here.
        messages.error(request, "Your account has no access to the back office.")
        return redirect(queries.landing_url(request.user))
    return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


def _password_refusal(request):
    """The refusal page when this session may not set or change the password, else None.

    A password would keep the account for whoever set it; only someone who has proven the
    address (an emailed code, or an account made by an administrator) may set one.
    """
    if link_sign_in.scope(request) is not None:
        reason = "link"
    elif request.user.is_authenticated and not has_verified_email(request.user):
        reason = "unverified"
    else:
        return None
    code_url = (
        f"{reverse('account_request_login_code')}?{urlencode({'next': request.get_full_path()})}"
    )
    return render(
        request,
        "account/password_refused.html",
        {"reason": reason, "code_url": code_url},
        status=403,
    )


def password_set(request, *args, **kwargs):
    return _password_refusal(request) or allauth_views.password_set(request, *args, **kwargs)


def password_change(request, *args, **kwargs):
    return _password_refusal(request) or allauth_views.password_change(request, *args, **kwargs)
