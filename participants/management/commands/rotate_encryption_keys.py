"""``manage.py rotate_encryption_keys``: rewrite encrypted values and files with the newest key."""

from django.core.management.base import BaseCommand

from participants.privacy.files import rotate_encrypted_files
from participants.privacy.keys import rotate_encryption_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt passport numbers, dates of birth and the files that print them (visa "
        "letters) with the first key of "
        "FIELD_ENCRYPTION_KEYS. Rotate by putting a new key in front, running this, then "
        "removing the old key."
    )

    def handle(self, *args, **options):
        count = rotate_encryption_keys()
        files = rotate_encrypted_files()
        self.stdout.write(
            f"Re-encrypted {count} registration(s) and {files} file(s) with the newest key."
        )
