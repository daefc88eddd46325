"""django-allauth adapter: no open sign-up, allauth's own emails go through the outbox, and
each person lands on their own meeting's pages after signing in."""

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from django.template.loader import render_to_string

from notifications import outbox

from . import link_sign_in, queries

# The site's name where no one meeting names the email (as in the site's header).
SITE_NAME = "EGM Desk"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts are made when an invitation is accepted, never by open sign-up.
        return False

    def login(self, request, user) -> None:
        super().login(request, user)
        # Every sign-in through allauth (emailed code, password) proves more than an
        # invitation link, so a scope a link left in this session ends here; the link's own
        # sign-in records its scope after this returns.
        link_sign_in.lift(request)

    def get_login_redirect_url(self, request) -> str:
        # A ``next`` page (e.g. a bookmarked organiser page) wins over this; allauth sees to it.
        return queries.landing_url(request.user)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Branded with the meeting the address belongs to (the site's name otherwise), in the
        # layout of the meeting's own emails; never with the host name the request came to.
        context = self._mail_context(email, context)
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        ) or render_to_string(
            "account/email/layout.html", {"subject": message.subject, "body": message.body}
        )
        outbox.queue(
            recipient=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            kind=f"account.{template_prefix.rsplit('/', 1)[-1]}",
            # Each login code or reset link is a distinct email.
            idempotency_key=f"account:{template_prefix}:{uuid.uuid4()}",
        )

    def _mail_context(self, email: str, context: dict) -> dict:
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        meeting = queries.meeting_of_address(email)
        return {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            "brand_meeting": meeting,
            "brand_name": meeting.title if meeting else SITE_NAME,
            **context,
        }
