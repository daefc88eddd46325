"""django-import-export resource for the outbox's admin export: bodies redacted like on screen.

Exports what an organiser may read in the admin and nothing more: message bodies pass
through ``redaction.redact``, attachments are named but not included, and every cell a
spreadsheet could run as a formula is neutralised like every other export.
"""

from import_export import fields, resources

from participants.exports import neutralise_dataset

from .models import Message
from .redaction import redact


class MessageResource(resources.ModelResource):
    meeting = fields.Field(attribute="meeting__slug", column_name="meeting")
    body_text = fields.Field(column_name="body_text")
    body_html = fields.Field(column_name="body_html")

    class Meta:
        model = Message
        fields = (
            "id", "meeting", "recipient", "subject", "kind", "status", "attempts", "last_error",
            "created_at", "sent_at", "next_attempt_at", "body_text", "body_html",
        )  # fmt: skip
        export_order = fields

    def dehydrate_body_text(self, message: Message) -> str:
        return redact(message.body_text)

    def dehydrate_body_html(self, message: Message) -> str:
        return redact(message.body_html)

    def export(self, queryset=None, **kwargs):
        if queryset is not None and hasattr(queryset, "select_related"):
            queryset = queryset.select_related("meeting")
        dataset = super().export(queryset=queryset, **kwargs)
        neutralise_dataset(dataset)
        return dataset
