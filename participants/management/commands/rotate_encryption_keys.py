"""``manage.py rotate_encryption_keys``: rewrite every encrypted value with the newest key."""

from django.core.management.base import BaseCommand

from participants.privacy.keys import rotate_encryption_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt passport numbers and dates of birth with the first key of "
        "FIELD_ENCRYPTION_KEYS. Rotate by putting a new key in front, running this, then "
        "removing the old key."
    )

    def handle(self, *args, **options):
        count = rotate_encryption_keys()
        self.stdout.write(f"Re-encrypted {count} registration(s) with the newest key.")
