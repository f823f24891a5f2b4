"""What the support desk's forms share: several files in one field, and the
module choices (each installed module, plus the platform as a whole)."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from core.modules import installed_modules


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files; each is checked by the service (support.attachments)."""

    widget = MultipleFileInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def attachments_field() -> MultipleFileField:
    megabytes = settings.SUPPORT_ATTACHMENT_MAX_BYTES // (1024 * 1024)
    return MultipleFileField(
        label=_("Attachments"),
        help_text=_(
            "Up to %(count)d files of at most %(size)d MB each: PDF, PNG, JPEG, TXT, CSV, "
            "XLSX or DOCX."
        )
        % {"count": settings.SUPPORT_ATTACHMENTS_PER_MESSAGE, "size": megabytes},
    )


def module_field_choices() -> list[tuple[str, Any]]:
    return [("platform", _("The platform in general"))] + [
        (module.code, module.label_text or module.code) for module in installed_modules()
    ]
