"""Co-authors on a post's admin page: an inline of further bylines, each person picked by an
autocomplete that offers only who may have a byline (``blog.selectors.byline_candidates``),
each with a number for the order. Checked and saved through ``blog.services``
(``blog.forms.PostCoauthorFormSet``); whoever may change the post may change its bylines.
"""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from blog.forms import PostCoauthorForm, PostCoauthorFormSet
from blog.models import MAX_COAUTHORS, Post, PostCoauthor
from blog.selectors import byline_candidates, post_coauthors_prefetch

AUTOCOMPLETE_URL_NAME = "blog_post_bylines_autocomplete"


class BylineAutocomplete(AutocompleteSelect):
    """Django's autocomplete widget, asking our view rather than the admin site's (which
    would need the right to view user accounts, which editors do not have)."""

    def get_url(self) -> str:
        return reverse(f"{self.admin_site.name}:{AUTOCOMPLETE_URL_NAME}")


class BylineAutocompleteView(AutocompleteJsonView):
    """People who may have a byline whose name, username or e-mail address contains the
    term, by username, 20 at a time; for staff who may add or change posts."""

    post_admin: admin.ModelAdmin = None

    def process_request(self, request: HttpRequest) -> tuple:
        return request.GET.get("term", "").strip(), None, PostCoauthor._meta.get_field("user"), "id"

    def has_perm(self, request: HttpRequest, obj=None) -> bool:
        return self.post_admin.has_add_permission(request) or self.post_admin.has_change_permission(
            request
        )

    def get_paginator(self, *args, **kwargs) -> Paginator:
        return Paginator(*args, **kwargs)

    def get_queryset(self) -> QuerySet[User]:
        found = byline_candidates()
        for word in self.term.split()[:5]:
            found = found.filter(
                Q(username__icontains=word)
                | Q(display_name__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
        return found


def coauthor_urls(post_admin: admin.ModelAdmin) -> list[URLPattern]:
    """The autocomplete's address, under the post admin's."""
    view = BylineAutocompleteView.as_view(admin_site=post_admin.admin_site, post_admin=post_admin)
    return [
        path(
            "bylines/autocomplete/",
            post_admin.admin_site.admin_view(view),
            name=AUTOCOMPLETE_URL_NAME,
        )
    ]


class BylinesChangeList(ChangeList):
    """The list of posts with every post's co-authors in one query, for its bylines column;
    the other pages of a post (change, history) load them only where they show them."""

    def get_queryset(self, request: HttpRequest, *args, **kwargs) -> QuerySet[Post]:
        return (
            super()
            .get_queryset(request, *args, **kwargs)
            .prefetch_related(post_coauthors_prefetch())
        )


class PostCoauthorInline(admin.TabularInline):
    """Further bylines after the lead author, in the order of their numbers."""

    model = PostCoauthor
    form = PostCoauthorForm
    formset = PostCoauthorFormSet
    fields = ("user", "position")
    extra = 1
    max_num = MAX_COAUTHORS
    verbose_name = _("co-author")
    verbose_name_plural = _("co-authors (bylines after the lead author)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[PostCoauthor]:
        return super().get_queryset(request).select_related("user")

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "user":
            kwargs["widget"] = BylineAutocomplete(db_field, self.admin_site)
            # Anyone may be looked up; who may have a byline is the service's rule, which
            # says so in words (post_coauthors_check) instead of "not a valid choice".
            kwargs["queryset"] = User.objects.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request: HttpRequest, obj: Post | None = None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"default_lead": request.user})

    # The bylines are part of the post: whoever may change it may change them; being a
    # co-author gives no right over the post (docs/decisions.md, "Co-authors").

    def _may_edit_post(self, request: HttpRequest, obj: Post | None) -> bool:
        post_admin = self.admin_site.get_model_admin(Post)
        if obj is None:
            return post_admin.has_add_permission(request)
        return post_admin.has_change_permission(request, obj)

    def has_view_permission(self, request: HttpRequest, obj: Post | None = None) -> bool:
        return self.admin_site.get_model_admin(Post).has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Post | None = None) -> bool:
        return self._may_edit_post(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Post | None = None) -> bool:
        return self._may_edit_post(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Post | None = None) -> bool:
        return self._may_edit_post(request, obj)
