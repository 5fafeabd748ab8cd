"""The cataloguing interface for archivists (Django admin at /admin/).

Tree changes go through `hierarchy`: a new description is created by `hierarchy.create` (so its
path and reference code are right), a change of parent or identifier by `hierarchy.move`, a change
of access rule by `hierarchy.set_access`. Language tags are normalized and scripts detected on save.
Archivists and administrators (the `role` of the user) may edit everything here.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import transaction

from qoima.catalogue import dates as date_parsing
from qoima.catalogue import hierarchy, languages
from qoima.catalogue.models import (
    AUTHORITY_TEXT_ELEMENTS,
    DESCRIPTION_TEXT_ELEMENTS,
    REPOSITORY_TEXT_ELEMENTS,
    AgentLink,
    Authority,
    AuthorityName,
    AuthorityRelation,
    AuthorityText,
    Description,
    DescriptionDate,
    DescriptionText,
    Repository,
    RepositoryText,
    Term,
    TermLabel,
)

CATALOGUE_ROLES = {"archivist", "admin"}


class ArchivistPermissions:
    """Archivists (and administrators) may view, add, change and delete catalogue records."""

    def _archivist(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and (user.is_superuser or getattr(user, "role", "") in CATALOGUE_ROLES)

    def has_module_permission(self, request):
        return self._archivist(request)

    def has_view_permission(self, request, obj=None):
        return self._archivist(request)

    def has_add_permission(self, request, *args):
        return self._archivist(request)

    def has_change_permission(self, request, obj=None):
        return self._archivist(request)

    def has_delete_permission(self, request, obj=None):
        return self._archivist(request)


def _value_form(elements: list[str]) -> type[forms.ModelForm]:
    class ValueForm(forms.ModelForm):
        element = forms.ChoiceField(choices=[(e, e.replace("_", " ")) for e in elements])

        def clean(self):
            data = super().clean()
            value = languages.nfc(data.get("value") or "").strip()
            if value and data.get("lang"):
                try:
                    data["lang"], data["script"] = languages.resolve(data["lang"], value, data.get("script") or "")
                except languages.LanguageTagError as e:
                    self.add_error("lang", str(e))
            data["value"] = value
            return data

    return ValueForm


class ValueInline(ArchivistPermissions, admin.TabularInline):
    extra = 0
    fields = ["element", "position", "lang", "script", "value", "is_original", "method", "translator"]


class DescriptionTextInline(ValueInline):
    model = DescriptionText
    form = _value_form(["title", *DESCRIPTION_TEXT_ELEMENTS])


class DateForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        expression = languages.nfc(data.get("expression") or "").strip()
        data["expression"] = expression
        if expression and not data.get("start") and not data.get("end"):
            data["start"], data["end"] = date_parsing.normalize(expression)
        if data.get("lang"):
            try:
                data["lang"] = languages.normalize_tag(data["lang"])
            except languages.LanguageTagError as e:
                self.add_error("lang", str(e))
        return data


class DescriptionDateInline(ArchivistPermissions, admin.TabularInline):
    model = DescriptionDate
    form = DateForm
    extra = 0
    fields = ["event_type", "expression", "lang", "start", "end", "position"]


class AgentLinkInline(ArchivistPermissions, admin.TabularInline):
    model = AgentLink
    extra = 0
    autocomplete_fields = ["authority"]


class DescriptionForm(forms.ModelForm):
    level = forms.CharField(help_text="fonds, subfonds, collection, series, subseries, file, item, part — or a custom level")

    class Meta:
        model = Description
        fields = "__all__"

    def clean(self):
        data = super().clean()
        if not data.get("parent") and not data.get("repository"):
            raise forms.ValidationError("A top-level description needs a repository.")
        if self.instance.pk and data.get("parent"):
            parent = data["parent"]
            if parent.pk == self.instance.pk or parent.path.startswith(self.instance.path):
                self.add_error("parent", "A description cannot be moved under itself or its own descendants.")
        parent, identifier = data.get("parent"), data.get("identifier") or ""
        repository = parent.repository if parent else data.get("repository")
        if identifier or not self.instance.pk:
            ref = hierarchy.build_ref(repository, parent, identifier)
            if ref and Description.objects.filter(ref=ref).exclude(pk=self.instance.pk).exists():
                self.add_error("identifier", f"The reference code {ref} is already taken.")
        if data.get("access_status") == "embargo" and not data.get("access_until"):
            self.add_error("access_until", "An embargo needs an end date.")
        return data


@admin.register(Description)
class DescriptionAdmin(ArchivistPermissions, admin.ModelAdmin):
    form = DescriptionForm
    list_display = ["ref", "level", "title", "effective_access", "modified"]
    list_filter = ["level", "effective_access", "repository"]
    search_fields = ["ref", "title", "identifier", "texts__value"]
    ordering = ["path"]
    list_per_page = 50
    show_full_result_count = False
    autocomplete_fields = ["parent", "repository", "terms"]
    readonly_fields = ["ref", "title", "effective_access", "effective_until", "effective_reason", "created", "modified"]
    inlines = [DescriptionTextInline, DescriptionDateInline, AgentLinkInline]
    fieldsets = [
        (None, {"fields": ["ref", "title", "repository", "parent", "identifier", "level"]}),
        ("Material", {"fields": ["original_lang", "languages", "scripts", "has_digital_objects"]}),
        ("Access", {"fields": ["access_status", "access_until", "access_reason",
                               "effective_access", "effective_until", "effective_reason"]}),
        ("Access points", {"fields": ["terms"]}),
        ("Control", {"classes": ["collapse"], "fields": [
            "publication_status", "description_status", "level_of_detail", "description_identifier",
            "institution_identifier", "source", "legacy_id", "created", "modified"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        qs, dupes = super().get_search_results(request, queryset, search_term)
        return qs.distinct(), False

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        access = (obj.access_status, obj.access_until, obj.access_reason)
        if not change:
            fields = {f: form.cleaned_data[f] for f in form.cleaned_data
                      if f not in {"parent", "repository", "identifier", "level", "terms", "access_status",
                                   "access_until", "access_reason"}}
            created = hierarchy.create(identifier=obj.identifier, level=obj.level, parent=obj.parent,
                                       repository=obj.repository, **fields)
            obj.pk = created.pk
            obj._state.adding = False
            obj.refresh_from_db()
        else:
            old = Description.objects.get(pk=obj.pk)
            moved = old.parent_id != obj.parent_id or old.identifier != obj.identifier or (
                obj.parent_id is None and old.repository_id != obj.repository_id)
            new_parent, new_identifier, new_repository = obj.parent, obj.identifier, obj.repository
            # Tree columns are written by hierarchy.move only; everything else by the form.
            obj.parent_id, obj.repository_id = old.parent_id, old.repository_id
            obj.access_status, obj.access_until, obj.access_reason = (
                old.access_status, old.access_until, old.access_reason)
            obj.identifier = new_identifier
            obj.sort_key = hierarchy.sort_key(new_identifier)
            obj.save()
            if moved:
                try:
                    hierarchy.move(obj, new_parent, repository=new_repository)
                except hierarchy.HierarchyError as e:
                    transaction.set_rollback(True)
                    messages.error(request, str(e))
                    return
            obj.refresh_from_db()
        if access != (obj.access_status, obj.access_until, obj.access_reason):
            hierarchy.set_access(obj, *access)
            obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        d = form.instance
        d._after_text_change("title")
        hierarchy.refresh_dates(d)


class AuthorityNameInline(ArchivistPermissions, admin.TabularInline):
    model = AuthorityName
    extra = 0
    fields = ["form", "value", "lang", "script", "scheme", "is_original"]

    class form(forms.ModelForm):  # noqa: N801 - Django's attribute name
        def clean(self):
            data = super().clean()
            value = languages.nfc(data.get("value") or "").strip()
            data["value"] = value
            if value and data.get("lang"):
                try:
                    data["lang"], data["script"] = languages.resolve(data["lang"], value, data.get("script") or "")
                except languages.LanguageTagError as e:
                    self.add_error("lang", str(e))
            return data


class AuthorityTextInline(ValueInline):
    model = AuthorityText
    form = _value_form(AUTHORITY_TEXT_ELEMENTS)


class AuthorityRelationInline(ArchivistPermissions, admin.TabularInline):
    model = AuthorityRelation
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target"]
    fields = ["target", "relation_type", "dates", "description"]


@admin.register(Authority)
class AuthorityAdmin(ArchivistPermissions, admin.ModelAdmin):
    list_display = ["name", "kind", "identifier", "dates_of_existence"]
    list_filter = ["kind"]
    search_fields = ["name", "identifier", "names__value"]
    autocomplete_fields = ["terms"]
    inlines = [AuthorityNameInline, AuthorityTextInline, AuthorityRelationInline]

    def get_search_results(self, request, queryset, search_term):
        qs, dupes = super().get_search_results(request, queryset, search_term)
        return qs.distinct(), False


class RepositoryTextInline(ValueInline):
    model = RepositoryText
    form = _value_form(REPOSITORY_TEXT_ELEMENTS)


@admin.register(Repository)
class RepositoryAdmin(ArchivistPermissions, admin.ModelAdmin):
    list_display = ["code", "name", "country_code", "is_partner"]
    search_fields = ["code", "name", "texts__value"]
    inlines = [RepositoryTextInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance._after_text_change("authorized_name")


class TermLabelInline(ArchivistPermissions, admin.TabularInline):
    model = TermLabel
    extra = 0


@admin.register(Term)
class TermAdmin(ArchivistPermissions, admin.ModelAdmin):
    list_display = ["label", "taxonomy", "code"]
    list_filter = ["taxonomy"]
    search_fields = ["label", "labels__value"]
    inlines = [TermLabelInline]
