"""Suspensions in the admin, for moderators: who is suspended and until when (filtered by
active, expired and lifted), a page to suspend someone by account, e-mail address or IP
address, lifting, and the comment list's "Suspend the authors…" action.

Nothing here writes a suspension itself: every change goes through
``comments.services.suspensions``, and who may do it is ``user_may_moderate``. A suspension's
state is worked out from the clock when the page is drawn; nothing is written when one runs
out.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments import rules
from comments.admin.moderators import EVERYWHERE, ModeratorsOnly, is_confirmed, selection
from comments.forms import MODERATION_NOTE_MAX_LENGTH, SuspendForm, SuspensionAddForm
from comments.models import Comment, Suspension
from comments.selectors.suspensions import normal_email
from comments.services import ip_hash, user_may_moderate
from comments.services.suspensions import (
    Person,
    SuspensionRefused,
    person_of_comment,
    suspension_create,
    suspension_lift,
)

# A confirmation page lists this many people or suspensions at most, then says how many more.
SHOWN_MAX = 100


class StateFilter(admin.SimpleListFilter):
    """Active, expired or lifted, as of now."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return Suspension.State.choices

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        match self.value():
            case Suspension.State.ACTIVE:
                return queryset.active()
            case Suspension.State.EXPIRED:
                return queryset.expired()
            case Suspension.State.LIFTED:
                return queryset.lifted()
        return queryset


def _when(moment) -> str:
    return date_format(localtime(moment), "SHORT_DATETIME_FORMAT")


def _who(user) -> str:
    return user.public_name if user is not None else str(_("Former member"))


def state_words(suspension: Suspension) -> str:
    """The state for the list: "Active until 3 December 2026 at 14:05", "Active, for
    good", "Expired on …", "Lifted on … by Mo"."""
    match suspension.state_at(timezone.now()):
        case Suspension.State.LIFTED:
            return _("Lifted on %(when)s by %(who)s") % {
                "when": rules.suspension_end_words(suspension.lifted_at),
                "who": _who(suspension.lifted_by),
            }
        case Suspension.State.EXPIRED:
            return _("Expired on %(when)s") % {
                "when": rules.suspension_end_words(suspension.ends_at)
            }
    if suspension.ends_at is None:
        return str(_("Active, for good"))
    return _("Active until %(when)s") % {"when": rules.suspension_end_words(suspension.ends_at)}


def person_words(suspension: Suspension) -> str:
    """Who is suspended, for moderators: the member, or the guest's name and address."""
    if suspension.user is not None:
        return _("%(name)s (member %(username)s)") % {
            "name": suspension.user.public_name,
            "username": suspension.user.username,
        }
    if suspension.user_id is None and suspension.name:
        return _("%(name)s (guest, %(email)s)") % {
            "name": suspension.name,
            "email": suspension.email,
        }
    return _("%(email)s (guest)") % {"email": suspension.email or "—"}


@admin.register(Suspension)
class SuspensionAdmin(ModeratorsOnly, admin.ModelAdmin):
    list_display = ("person", "state", "guideline", "created_at", "created_by")
    list_display_links = ("person",)
    list_filter = (StateFilter, "guideline", "created_at")
    list_select_related = ("user", "guideline", "created_by", "lifted_by")
    search_fields = ("name", "email", "user__username", "user__display_name")
    show_full_result_count = False
    actions = ("lift_suspensions",)
    fields = ("person", "state", "by_address", "guideline", "note", "history", "comments_link")
    readonly_fields = fields

    # Moderators only, by the one rule; the page itself is read-only.

    def has_add_permission(self, request: HttpRequest) -> bool:
        return user_may_moderate(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # "May act on suspensions?" (the actions ask it without an object); never "may edit
        # this one's fields": it is changed only by lifting it.
        return obj is None and user_may_moderate(request.user)

    # Columns and fields

    @admin.display(description=_("who"), ordering="name")
    def person(self, suspension: Suspension) -> str:
        return person_words(suspension)

    @admin.display(description=_("state"), ordering="ends_at")
    def state(self, suspension: Suspension) -> str:
        return state_words(suspension)

    @admin.display(description=_("guest comments from their address"))
    def by_address(self, suspension: Suspension) -> str:
        return _("Refused too") if suspension.ip_hash else _("Not refused")

    @admin.display(description=_("history"))
    def history(self, suspension: Suspension) -> SafeString:
        lines = [
            _("%(when)s: suspended by %(who)s, %(until)s.")
            % {
                "when": _when(suspension.created_at),
                "who": _who(suspension.created_by),
                "until": _("for good")
                if suspension.ends_at is None
                else _("until %(when)s") % {"when": _when(suspension.ends_at)},
            }
        ]
        state = suspension.state_at(timezone.now())
        if state == Suspension.State.LIFTED:
            lifted = _("%(when)s: lifted by %(who)s.") % {
                "when": _when(suspension.lifted_at),
                "who": _who(suspension.lifted_by),
            }
            if suspension.lift_note:
                lifted += " " + _("Note: %(note)s") % {"note": suspension.lift_note}
            lines.append(lifted)
        elif state == Suspension.State.EXPIRED:
            lines.append(_("%(when)s: ran out.") % {"when": _when(suspension.ends_at)})
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((li,) for li in lines))
        )

    @admin.display(description=_("their comments"))
    def comments_link(self, suspension: Suspension) -> SafeString:
        term = suspension.user.username if suspension.user is not None else suspension.email
        url = reverse("admin:comments_comment_changelist") + "?" + urlencode({"q": term})
        return format_html('<a href="{}">{}</a>', url, _("Find their comments"))

    # Suspending someone: a page of its own rather than a model form, so the service decides.

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = SuspensionAddForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            data = form.cleaned_data
            user = data.get("user")
            address = data["ip_address"] or ""
            person = Person(
                user=user,
                email=normal_email(user.email if user is not None else data["email"]),
                name=user.public_name if user is not None else "",
                ip_hash=ip_hash(address),
            )
            try:
                done = suspension_create(
                    person=person,
                    moderator=request.user,
                    **{**form.suspension(), "by_address": bool(address)},
                )
            except SuspensionRefused as refused:
                form.add_error(None, refused.message)
            else:
                self.message_user(request, done.summary(person))
                return HttpResponseRedirect(reverse("admin:comments_suspension_changelist"))
        return self._page(
            request, "admin/comments/suspension/add_form.html", _("Suspend someone"), form=form
        )

    def _page(self, request: HttpRequest, template: str, title: str, **extra) -> TemplateResponse:
        context = {**self.admin_site.each_context(request), "title": title, "opts": self.opts}
        request.current_app = self.admin_site.name
        return TemplateResponse(request, template, {**context, **extra})

    # Lifting

    @admin.action(
        description=_("Lift…"),
        description_plural=_("Lift the selected suspensions…"),
        permissions=["change"],
        location=EVERYWHERE,
    )
    def lift_suspensions(self, request: HttpRequest, queryset: QuerySet):
        note = request.POST.get("lift_note", "").strip()
        if is_confirmed(request) and len(note) <= MODERATION_NOTE_MAX_LENGTH:
            lifted = 0
            for suspension in queryset.select_related("user"):
                try:
                    suspension_lift(suspension=suspension, moderator=request.user, note=note)
                except SuspensionRefused as refused:
                    who = person_words(suspension)
                    self.message_user(request, f"{who}: {refused.message}", messages.ERROR)
                else:
                    lifted += 1
            if lifted:
                said = ngettext(
                    "%(count)d suspension lifted.", "%(count)d suspensions lifted.", lifted
                )
                self.message_user(request, said % {"count": lifted}, messages.SUCCESS)
            return None
        rows = list(queryset.select_related("user", "guideline", "lifted_by")[:SHOWN_MAX])
        return self._page(
            request,
            "admin/comments/suspension/lift_confirmation.html",
            _("Lift suspensions"),
            rows=[(s, person_words(s), state_words(s)) for s in rows],
            total=queryset.count(),
            note=note,
            too_long=len(note) > MODERATION_NOTE_MAX_LENGTH,
            **selection(request, "lift_suspensions"),
        )


# --- The comment list's action ----------------------------------------------------------


@admin.action(
    description=_("Suspend the author…"),
    description_plural=_("Suspend the authors…"),
    permissions=["change"],
    location=EVERYWHERE,
)
def suspend_authors(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet):
    """Suspend the people who wrote the selected comments, each once, with one length,
    guideline and note; refusals (already suspended, a moderator) are named one by one."""
    people: dict[str, Person] = {}
    nobody = 0
    for comment in queryset.select_related("user").order_by("-created_at", "-pk"):
        person = person_of_comment(comment)
        if person is None:
            nobody += 1
        else:
            people.setdefault(person.key, person)
    form = SuspendForm(request.POST if is_confirmed(request) else None)
    if form.is_valid():
        for person in people.values():
            try:
                wanted = form.suspension()
                # Each person's own address, where their comment had one.
                wanted["by_address"] = form.cleaned_data["by_address"] and bool(person.ip_hash)
                done = suspension_create(person=person, moderator=request.user, **wanted)
            except SuspensionRefused as refused:
                modeladmin.message_user(request, refused.message, messages.ERROR)
            else:
                modeladmin.message_user(request, done.summary(person), messages.SUCCESS)
        return None
    form.fields["by_address"].label = _(
        "Also refuse guest comments from the addresses the selected comments were sent from"
    )
    rows = list(people.values())[:SHOWN_MAX]
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Suspend the authors"),
        "opts": Comment._meta,
        "rows": rows,
        "more": max(0, len(people) - len(rows)),
        "nobody": nobody,
        "form": form,
        **selection(request, "suspend_authors"),
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/comments/comment/suspend_confirmation.html", context)
