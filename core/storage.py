"""What storing an upload can fail with, whichever storage holds the uploads: the file
system's OSError, or boto3's errors when the bucket does not answer or refuses."""

from botocore.exceptions import BotoCoreError, ClientError
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)

STORAGE_UNAVAILABLE = "storage_unavailable"


def storage_unavailable(field: str) -> ValidationError:
    """The refusal a service raises for ``field`` when the storage failed: nothing was
    kept, and the person may simply send the file again."""
    return ValidationError(
        {
            field: ValidationError(
                _(
                    "The file could not be stored just now (the file storage did not "
                    "answer). Nothing was saved; please try again in a moment."
                ),
                code=STORAGE_UNAVAILABLE,
            )
        }
    )
