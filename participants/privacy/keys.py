"""Key rotation for the fields encrypted at rest.

``FIELD_ENCRYPTION_KEYS`` lists Fernet keys newest first: values are written with the first
and read with any. Rotating is: put a new key in front, run ``rotate_encryption_keys`` (which
rewrites every encrypted value with the new key), then drop the old key.
"""

from django.db import transaction

from ..fields import EncryptedTextField
from ..models import Registration

BATCH = 500


def encrypted_field_names(model) -> list[str]:
    return [field.name for field in model._meta.fields if isinstance(field, EncryptedTextField)]


def rotate_encryption_keys(*, batch_size: int = BATCH) -> int:
    """Re-encrypt every encrypted value with the newest key; returns how many rows.

    Side effects: each ``Registration`` holding an encrypted value is written again (read
    with whichever key opens it, written with the first key), in batches, each in its own
    transaction. The history is not touched: it never holds encrypted values. Running it
    twice is harmless.
    """
    names = encrypted_field_names(Registration)
    rows = Registration.objects.only("pk", *names).order_by("pk")
    done = 0
    last_pk = 0
    while True:
        batch = list(rows.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            return done
        with transaction.atomic():
            Registration.objects.bulk_update(batch, names)
        done += len(batch)
        last_pk = batch[-1].pk
