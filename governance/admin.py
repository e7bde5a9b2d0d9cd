from django.contrib import admin

from governance.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name_da", "name_en", "abbreviation", "kind", "appointed_through", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name_da", "name_en", "abbreviation", "code"]
    list_select_related = ["appointed_through"]
    autocomplete_fields = ["appointed_through"]
    ordering = ["name_da"]
