"""Pieces every app's admin can use.

Django's autocomplete pickers draw the rows already chosen again when a form comes back
with errors, by looking up the submitted values; a value that is no id of the target
(``"abc"``, ``"²"``, a number past the column's range) makes that lookup raise, which is
a 500 for a form that only needed to show its errors. ``ChosenRowsOnlyAdmin`` gives a
ModelAdmin pickers that leave such values out: the form's own validation still reports
them.
"""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db.models import Field


def _is_a_value_of(target: Field, value: object) -> bool:
    try:
        target.run_validators(target.to_python(value))  # the type, then the range
    except ValidationError:
        return False
    return True


class _ChosenRowsOnly:
    """Mixin for an autocomplete widget: only values the target field can hold are looked
    up and drawn as chosen."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        kept = [item for item in value if _is_a_value_of(target, item)]
        return super().optgroups(name, kept, attr)


class ChosenRowsOnlySelect(_ChosenRowsOnly, AutocompleteSelect):
    pass


class ChosenRowsOnlySelectMultiple(_ChosenRowsOnly, AutocompleteSelectMultiple):
    pass


class ChosenRowsOnlyAdmin(admin.ModelAdmin):
    """A ModelAdmin whose ``autocomplete_fields`` pickers ignore values that are no ids."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                ChosenRowsOnlySelect(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                ChosenRowsOnlySelectMultiple(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
