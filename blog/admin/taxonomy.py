"""Categories and tags in the admin, listed with their post counts."""

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import (
    HttpRequest,
)
from django.utils.translation import gettext_lazy as _

from blog.models import (
    Category,
    Tag,
)


class TaxonomyAdmin(admin.ModelAdmin):
    """Shared by categories and tags: the same fields, listed with their post counts."""

    list_display = ("name", "slug", "post_count")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    # Explicit, because the model's Meta.ordering is dropped once the count groups rows.
    ordering = ("name",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(post_count=Count("posts"))

    @admin.display(description=_("posts"), ordering="post_count")
    def post_count(self, obj: Category | Tag) -> int:
        return obj.post_count


@admin.register(Category)
class CategoryAdmin(TaxonomyAdmin):
    pass


@admin.register(Tag)
class TagAdmin(TaxonomyAdmin):
    pass
