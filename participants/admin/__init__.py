"""Admin for accounts, participants, registrations, session parts and papers.

The passport number appears only on a registration's own page, never in a list.
A participant's status is read-only here: it changes through the services, which keep
its history.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ObjectDoesNotExist, ValidationError

from agenda.admin import SessionAdmin as AgendaSessionAdmin
from agenda.admin.scope import MeetingScopedAdmin, MeetingScopedMixin, register_meeting_lookup
from agenda.models import Session

from .. import organisers, services
from ..models import (
    DeletionRequest,
    Paper,
    PaperVersion,
    Participant,
    Registration,
    ReviewStatus,
    SessionRole,
    StatusChange,
    User,
)
from ..papers import services as papers
from ..programme import services as programme_services
from . import actions as admin_actions
from .importing import ParticipantImportExportMixin


class EmailUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class EmailUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes: dict = {}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Name", {"fields": ["first_name", "last_name"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "usable_password", "password1", "password2"],
            },
        )
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # An administrator made this staff account: its address signs in on the site.
        if obj.is_staff:
            organisers.confirm_staff_address(user=obj)


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = ["changed_at", "from_status", "to_status", "changed_by", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class RegistrationAdminForm(forms.ModelForm):
    """The registration service's rules on dates, for edits in the admin too."""

    class Meta:
        model = Registration
        fields = ("participant", *services.REGISTRATION_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Blank in the database only once deleted at the end of the retention period.
        for name in services.PERSONAL_DATA_FIELDS:
            if name in self.fields:
                self.fields[name].required = True

    def _post_clean(self):
        super()._post_clean()
        # The history names a changed passport number or birth date, never its value.
        self.instance._change_reason = services.personal_data_change_reason(self.instance)

    def clean(self):
        cleaned = super().clean()
        participant = cleaned.get("participant")
        if participant is None:
            try:
                participant = self.instance.participant
            except ObjectDoesNotExist:
                return cleaned
        try:
            services.validate_passport_expiry(
                participant.meeting, cleaned.get("passport_expires_on")
            )
            services.validate_date_of_birth(cleaned.get("date_of_birth"))
        except ValidationError as exc:
            self.add_error(None, exc)
        return cleaned


class RegistrationInline(admin.StackedInline):
    model = Registration
    form = RegistrationAdminForm
    extra = 0
    # Consents are the participant's own answers: shown, never set by an organiser.
    readonly_fields = [
        "consent_listed",
        "consent_publish_papers",
        "completed_at",
        "updated_at",
        "updated_by",
    ]

    def has_add_permission(self, request, obj=None) -> bool:
        # A registration starts through the service (the participant, or "Register on
        # their behalf" on the organiser's page), which also moves the status.
        return False


@admin.register(Participant)
class ParticipantAdmin(ParticipantImportExportMixin, MeetingScopedAdmin):
    actions = [admin_actions.send_invitations, admin_actions.resend_invitations]
    list_display = [
        "family_name",
        "given_name",
        "email",
        "role",
        "status",
        "country_name",
        "funded",
        "meeting",
    ]
    list_display_links = ["family_name", "given_name"]
    list_filter = [
        ("meeting", admin.RelatedOnlyFieldListFilter),
        "role",
        "status",
        "funded",
        "gender",
        "region",
    ]
    list_select_related = ["meeting"]
    search_fields = ["email", "given_name", "family_name", "organisation"]
    autocomplete_fields = ["meeting", "working_group"]
    raw_id_fields = ["user"]
    readonly_fields = [
        "status",
        "status_changed_at",
        "invited_at",
        "responded_at",
        "registered_at",
        "invitations_sent",
        "invitation_expires_at",
        "invitation_used_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["meeting", "role", "status", "funded", "paper_requested"]}),
        (
            "Person",
            {
                "fields": [
                    "honorific",
                    "given_name",
                    "family_name",
                    "email",
                    "organisation",
                    "job_title",
                    "country",
                    "nationality",
                    "gender",
                    "region",
                    "user",
                ]
            },
        ),
        ("Programme", {"fields": ["working_group"]}),
        (
            "Invitation",
            {
                "fields": [
                    "invitations_sent",
                    "invited_at",
                    "invitation_expires_at",
                    "invitation_used_at",
                    "responded_at",
                    "decline_reason",
                    "registered_at",
                    "status_changed_at",
                ]
            },
        ),
        ("Record", {"fields": ["created_at", "updated_at"]}),
    ]
    inlines = [StatusChangeInline, RegistrationInline]

    # The account is linked by accepting the invitation. Organisers may not browse user
    # accounts, so they see the account's email instead of a lookup into a list they
    # cannot open.
    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [
                "account" if field == "user" else field for field in options["fields"]
            ]})
            for name, options in fieldsets
        ]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if request.user.is_superuser else [*fields, "account"]

    @admin.display(description="account")
    def account(self, participant: Participant) -> str:
        return participant.user.email if participant.user_id else "-"

    # The plain "country" column made the admin rebuild the list of every country's name
    # for each row (django-countries' flatchoices), half the page's time.
    @admin.display(description="country", ordering="country")
    def country_name(self, participant: Participant) -> str:
        return participant.country.name

    def save_model(self, request, obj, form, change):
        """A working group changed here goes through the agenda service, which mails the
        person their new and old group's sessions once the agenda is announced."""
        if not change or "working_group" not in form.changed_data:
            return super().save_model(request, obj, form, change)
        new_group = obj.working_group
        obj.working_group_id = form.initial.get("working_group")
        super().save_model(request, obj, form, change)
        programme_services.set_working_group(participant=obj, working_group=new_group)


class RecordAdmin(MeetingScopedAdmin):
    """A record written by the services, never by hand: readable, not added, changed or
    deleted from the admin."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(StatusChange)
class StatusChangeAdmin(RecordAdmin):
    meeting_lookup = "participant__meeting"
    list_display = ["participant", "from_status", "to_status", "changed_at", "changed_by"]
    list_filter = ["to_status", ("participant__meeting", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["participant", "changed_by"]
    search_fields = ["participant__email", "participant__family_name", "note"]
    date_hierarchy = "changed_at"


@admin.register(DeletionRequest)
class DeletionRequestAdmin(RecordAdmin):
    """Read-only: a request is made by the participant and confirmed on the organiser page,
    where confirming anonymises them (``participants.privacy.erasure``)."""

    meeting_lookup = "participant__meeting"
    list_display = ["participant", "requested_at", "confirmed_at", "confirmed_by"]
    list_filter = [("participant__meeting", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["participant", "confirmed_by"]
    date_hierarchy = "requested_at"


@admin.register(Registration)
class RegistrationAdmin(MeetingScopedAdmin):
    meeting_lookup = "participant__meeting"
    # No passport number here: lists are read over shoulders and exported.
    list_display = [
        "participant",
        "nationality",
        "passport_expires_on",
        "consent_listed",
        "completed_at",
    ]
    list_filter = [
        ("participant__meeting", admin.RelatedOnlyFieldListFilter),
        "consent_listed",
        "consent_publish_papers",
    ]
    list_select_related = ["participant"]
    search_fields = ["participant__email", "participant__family_name", "passport_name"]
    date_hierarchy = "completed_at"
    autocomplete_fields = ["participant"]
    readonly_fields = ["consent_listed", "consent_publish_papers", "updated_at", "updated_by"]
    form = RegistrationAdminForm

    def has_add_permission(self, request) -> bool:
        return False  # see RegistrationInline


@admin.register(SessionRole)
class SessionRoleAdmin(MeetingScopedAdmin):
    meeting_lookup = "session__meeting"
    list_display = ["participant", "part", "session", "order"]
    list_filter = ["part", ("session__meeting", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["participant", "session"]
    search_fields = ["participant__family_name", "participant__email", "session__title"]
    autocomplete_fields = ["session", "participant", "paper"]

    # Parts edited here are programme changes: SEQUENCE rises, feeds rebuild, people are told.

    def _sessions(self, roles) -> list:
        from agenda.models import Session

        ids = {role.session_id for role in roles if role.session_id}
        return [
            (session, programme_services.people_in_session(session=session))
            for session in Session.objects.select_related("meeting").filter(pk__in=ids)
        ]

    def _record(self, sessions) -> None:
        for session, before in sessions:
            programme_services.record_parts_edited(session=session, people_before=before)

    def save_model(self, request, obj, form, change):
        old = SessionRole.objects.filter(pk=obj.pk).first() if change else None
        sessions = self._sessions([role for role in (old, obj) if role is not None])
        super().save_model(request, obj, form, change)
        self._record(sessions)

    def delete_model(self, request, obj):
        sessions = self._sessions([obj])
        super().delete_model(request, obj)
        self._record(sessions)

    def delete_queryset(self, request, queryset):
        sessions = self._sessions(list(queryset))
        super().delete_queryset(request, queryset)
        self._record(sessions)


class PaperVersionInline(admin.TabularInline):
    model = PaperVersion
    fk_name = "paper"
    extra = 0
    fields = ["number", "original_name", "size", "page_count", "uploaded_at", "is_late"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class PaperAdminForm(forms.ModelForm):
    """The organisers' part of a paper; publishing follows the review page's rule."""

    class Meta:
        model = Paper
        fields = ["title", "abstract", "review_status", "review_note"]

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("review_status")
        if status == ReviewStatus.PUBLISHED and status != self.initial.get("review_status"):
            try:
                papers.check_may_publish(self.instance)
            except papers.PaperRefused as exc:
                self.add_error("review_status", exc.message)
        return cleaned


@admin.register(Paper)
class PaperAdmin(MeetingScopedAdmin):
    """Consent to publish is the author's alone: shown here, never edited. A review status
    or note changed here goes through the same service as the review page (and its email)."""

    form = PaperAdminForm
    meeting_lookup = "participant__meeting"
    list_display = ["title", "participant", "review_status", "consent_publish", "updated_at"]
    list_filter = [
        "review_status",
        "consent_publish",
        ("participant__meeting", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["participant"]
    search_fields = ["title", "participant__family_name", "participant__email"]
    autocomplete_fields = ["participant"]
    fields = [
        "participant",
        "title",
        "abstract",
        "consent_publish",
        "review_status",
        "review_note",
        "current_version",
        "created_at",
        "updated_at",
    ]
    readonly_fields = [
        "participant",
        "consent_publish",
        "current_version",
        "created_at",
        "updated_at",
    ]
    inlines = [PaperVersionInline]

    def has_add_permission(self, request) -> bool:
        return False  # a paper starts with its author's upload

    def save_model(self, request, obj, form, change):
        review = {"review_status", "review_note"} & set(form.changed_data)
        status, note = obj.review_status, obj.review_note
        obj.review_status = form.initial.get("review_status", obj.review_status)
        obj.review_note = form.initial.get("review_note", obj.review_note)
        obj.save(update_fields=["title", "abstract", "updated_at"])
        if review:
            papers.set_review_status(
                paper=obj, review_status=status, note=note, changed_by=request.user
            )
            obj.refresh_from_db()


@admin.register(PaperVersion)
class PaperVersionAdmin(MeetingScopedAdmin):
    meeting_lookup = "paper__participant__meeting"
    list_display = ["paper", "number", "original_name", "size", "page_count", "is_late"]
    list_filter = ["is_late", ("paper__participant__meeting", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["paper"]
    search_fields = ["paper__title", "original_name"]
    date_hierarchy = "uploaded_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class SessionRoleInline(MeetingScopedMixin, admin.TabularInline):
    model = SessionRole
    meeting_lookup = "session__meeting"
    extra = 0
    autocomplete_fields = ["participant", "paper"]


# Foreign keys to these rows are narrowed to one's meetings in every scoped admin form.
register_meeting_lookup(Participant, "meeting")
register_meeting_lookup(Paper, "participant__meeting")
register_meeting_lookup(SessionRole, "session__meeting")

admin.site.unregister(Session)


@admin.register(Session)
class SessionAdmin(AgendaSessionAdmin):
    """The programme's session admin with people's parts inline (they are this app's rows)."""

    inlines = [*AgendaSessionAdmin.inlines, SessionRoleInline]

    def save_formset(self, request, form, formset, change):
        """People's parts edited here count as a programme change (SEQUENCE, mail)."""
        if formset.model is not SessionRole or not formset.has_changed():
            return super().save_formset(request, form, formset, change)
        session = Session.objects.select_related("meeting").get(pk=form.instance.pk)
        before = programme_services.people_in_session(session=session)
        super().save_formset(request, form, formset, change)
        programme_services.record_parts_edited(session=session, people_before=before)
