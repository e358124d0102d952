"""The admin's "Import from WordPress" form: the export, a zip of the uploads folder if
wanted, and whether to store nothing.

It checks only what it can at once (size, emptiness, that it looks like XML); whether it is
a WordPress export is the importer's business (``wordpress.wxr.WXRError``), answered on the
progress page.
"""

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from wordpress.uploads_zip import UploadsZipError, check_uploads_zip

# What the first bytes of a file that is not XML often are, to say what it is instead.
_NOT_XML = (
    (b"PK\x03\x04", _("a zip archive")),
    (b"\x1f\x8b", _("a gzip archive")),
    (b"%PDF", _("a PDF")),
)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


class WordPressImportForm(forms.Form):
    export = forms.FileField(
        label=_("WordPress export"),
        help_text=_("The .xml file WordPress makes under Tools → Export (choose “All content”)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )
    uploads = forms.FileField(
        label=_("Uploads folder, zipped (optional)"),
        required=False,
        help_text=_(
            "WordPress’s wp-content/uploads folder as a .zip, for the pictures posts use. "
            "Without it, posts come in without their pictures."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    is_dry_run = forms.BooleanField(
        label=_("Dry run"),
        required=False,
        help_text=_("Read the whole export and report what an import would do, storing nothing."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["export"].help_text += " " + _(
            "At most %(size)s; import a larger one with “manage.py import_wordpress”."
        ) % {"size": filesizeformat(settings.UPLOAD_MAX_BYTES)}

    def clean_export(self) -> UploadedFile:
        export = self.cleaned_data["export"]
        _refuse_too_large(export)
        export.seek(0)
        start = export.read(512)
        export.seek(0)
        for bom in _BOMS:
            start = start.removeprefix(bom)
        if not start.lstrip().startswith(b"<"):
            kind = next((name for magic, name in _NOT_XML if start.startswith(magic)), None)
            raise forms.ValidationError(_not_xml_message(kind))
        return export

    def clean_uploads(self) -> UploadedFile | None:
        uploads = self.cleaned_data["uploads"]
        if uploads:
            _refuse_too_large(uploads)
            try:
                check_uploads_zip(uploads)
            except UploadsZipError as error:
                raise forms.ValidationError(error.message) from None
            uploads.seek(0)
        return uploads


def _refuse_too_large(file: UploadedFile) -> None:
    if file.size > settings.UPLOAD_MAX_BYTES:
        raise forms.ValidationError(
            _(
                "This file is %(size)s; the admin takes files of up to %(limit)s. Please "
                "import with “manage.py import_wordpress” instead."
            ),
            params={
                "size": filesizeformat(file.size),
                "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
            },
        )


def _not_xml_message(kind: str | None) -> str:
    if kind is None:
        return _(
            "This file is not XML, so it is not a WordPress export. Please choose the .xml "
            "file WordPress’s Tools → Export made."
        )
    return _(
        "This file is %(kind)s, not XML, so it is not a WordPress export. Please choose the "
        ".xml file WordPress’s Tools → Export made (unpacked, if you zipped it)."
    ) % {"kind": kind}


class WordPressExportForm(forms.Form):
    """What goes into an export made in the admin: commenters' e-mail addresses only when
    asked for, as with ``manage.py export_wordpress --with-emails``."""

    download = forms.CharField(widget=forms.HiddenInput, initial="1")
    with_emails = forms.BooleanField(
        label=_("Include commenters’ e-mail addresses"),
        required=False,
        help_text=_(
            "Only for moving the site to a place you trust with them: the file then holds "
            "the address of everyone who commented."
        ),
    )
