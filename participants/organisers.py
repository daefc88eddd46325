"""Organiser accounts: staff users in the Organisers group, named on the meetings they run."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from .models import User

ORGANISER_GROUP = "Organisers"

# What an organiser may do in the admin, on the rows of their own meetings only
# (the admin scopes every list by Meeting.organisers). Accounts and the creation of
# new meetings stay with administrators.
ORGANISER_PERMISSIONS = {
    "agenda": {
        "meeting": ["view", "change"],
        "deadline": ["view", "add", "change", "delete"],
        "workinggroup": ["view", "add", "change", "delete"],
        "session": ["view", "add", "change", "delete"],
        "rolequota": ["view", "add", "change", "delete"],
        "venue": ["view", "add", "change"],
        "room": ["view", "add", "change"],
    },
    "participants": {
        "participant": ["view", "add", "change"],
        "statuschange": ["view"],
        "deletionrequest": ["view"],
        "registration": ["view", "change"],
        "sessionrole": ["view", "add", "change", "delete"],
        "paper": ["view", "change"],
        "paperversion": ["view"],
    },
    "logistics": {
        "letter": ["view"],
        "lettertemplate": ["view", "change"],
        "embassy": ["view", "add", "change", "delete"],
        "letterrequest": ["view", "change"],
        "letterbatch": ["view"],
        "travelplan": ["view", "add", "change"],
        "hotelblock": ["view", "add", "change"],
        "hotelbooking": ["view", "add", "change", "delete"],
        "informationnote": ["view"],
    },
    "notifications": {
        "message": ["view", "change"],
        "reminderrule": ["view", "add", "change", "delete"],
        "reminderfiring": ["view"],
    },
}


def ensure_organiser_group() -> Group:
    """Create the Organisers group or bring its permissions to the list above."""
    group, _ = Group.objects.get_or_create(name=ORGANISER_GROUP)
    wanted = Q(pk__in=[])
    for app_label, models in ORGANISER_PERMISSIONS.items():
        for model, actions in models.items():
            wanted |= Q(
                content_type__app_label=app_label,
                codename__in=[f"{action}_{model}" for action in actions],
            )
    group.permissions.set(Permission.objects.filter(wanted))
    return group


def confirm_staff_address(*, user: User) -> EmailAddress:
    """Record a staff account's address as verified and primary.

    The administrator (or the ``ensure_organiser`` command) who made the account vouches
    for the address, so the site's sign-in needs no confirmation email for it. Side
    effects: creates or updates the account's allauth ``EmailAddress``; any other address
    of the account stops being primary.
    """
    with transaction.atomic():
        address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
        EmailAddress.objects.filter(user=user, primary=True).exclude(
            pk=getattr(address, "pk", None)
        ).update(primary=False)
        if address is None:
            return EmailAddress.objects.create(
                user=user, email=user.email.lower(), verified=True, primary=True
            )
        if not (address.verified and address.primary):
            address.verified = address.primary = True
            address.save(update_fields=["verified", "primary"])
        return address


def ensure_organiser(
    *, email: str, password: str, meetings=(), superuser: bool = False
) -> tuple[User, bool]:
    """Create the organiser account or keep it; make it staff in the Organisers group.

    Sets the password when it differs, records the address as verified (so the site's
    sign-in accepts it), and adds the account to each meeting's organisers. Returns the
    user and whether it was created.
    """
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if created:
            user = User.objects.create_user(email=email, password=password, is_staff=True)
        changed = []
        if not user.check_password(password):
            user.set_password(password)
            changed.append("password")
        for flag, value in (("is_staff", True), ("is_active", True)):
            if getattr(user, flag) != value:
                setattr(user, flag, value)
                changed.append(flag)
        if superuser and not user.is_superuser:
            user.is_superuser = True
            changed.append("is_superuser")
        if changed:
            user.save(update_fields=changed)
        user.groups.add(ensure_organiser_group())
        confirm_staff_address(user=user)
        for meeting in meetings:
            meeting.organisers.add(user)
    return user, created
