"""A post's discussion schedule (``comments.modes``), edited on the post's own admin page:
one row per change ("from 1 December, 09:00: closed"). blog's admin shows the inline
without knowing comments (``blog.admin.post_inline_add``).

Whoever may change the post may change its schedule. Saving goes through
``comments.services.modes.post_schedule_save``, which checks the schedule as a whole and
moves the post's versions, so readers see the new mode at their next request.
"""

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from blog.admin import post_inline_add
from blog.models import Post
from blog.rules import post_may_edit
from comments.models import ModeChange
from comments.services.modes import post_schedule_save, schedule_check


class ModeChangeForm(forms.ModelForm):
    class Meta:
        model = ModeChange
        fields = ("starts_at", "mode", "slow_minutes")

    # The schedule is checked whole, as it will be once saved (the formset's ``clean``), and
    # each row by ``ModeChange.clean``: a row compared with the stored rows alone would
    # clash with one being moved away from its time in the same save.
    def validate_unique(self) -> None:
        pass

    def validate_constraints(self) -> None:
        pass


class ModeChangeFormSet(BaseInlineFormSet):
    """The post's changes, checked together and saved through the service."""

    def clean(self) -> None:
        super().clean()
        kept = [
            form.instance
            for form in self.forms
            if form.has_changed() or form.instance.pk is not None
            if form.is_valid() and not self._should_delete_form(form)
        ]
        schedule_check(kept)

    def validate_unique(self) -> None:
        pass  # see ``clean``: Django's own check misses "from the start" and words it badly

    def save(self, commit: bool = True) -> list[ModeChange]:
        saved = super().save(commit=False)
        if commit and (saved or self.deleted_objects):
            post_schedule_save(post=self.instance, saved=saved, deleted=self.deleted_objects)
        return saved


class ModeChangeInline(admin.TabularInline):
    model = ModeChange
    form = ModeChangeForm
    formset = ModeChangeFormSet
    fields = ("starts_at", "mode", "slow_minutes")
    extra = 1
    verbose_name = _("discussion mode change")
    verbose_name_plural = _(
        "Discussion modes: open until the first change, each change until the next"
    )

    # The schedule is part of the post: whoever may change the post may change it.
    def has_view_permission(self, request: HttpRequest, obj: Post | None = None) -> bool:
        return request.user.has_perm("blog.view_post") or self._may_edit(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Post | None = None) -> bool:
        return self._may_edit(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Post | None = None) -> bool:
        return self._may_edit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Post | None = None) -> bool:
        return self._may_edit(request, obj)

    @staticmethod
    def _may_edit(request: HttpRequest, obj: Post | None) -> bool:
        if obj is None:
            return request.user.has_perm("blog.add_post")
        return post_may_edit(request.user, obj)


post_inline_add(ModeChangeInline)
