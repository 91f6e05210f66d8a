"""The algorithm's fields as people edit them, in the order the pages show them: the standard's public fields
first, then the internal ones. Forms, services and the API use these lists, so a new field is added once."""

PUBLIC_FIELDS = (
    "name",
    "description_short",
    "themes",
    "status",
    "begin_date",
    "end_date",
    "contact_email",
    "website",
    "publication_category",
    "url",
    "goal",
    "proportionality",
    "human_intervention",
    "risks",
    "lawful_basis",
    "process_index_url",
    "impacttoetsen",
    "source_data",
    "methods_and_models",
    "provider",
    "publiccode",
    "tags",
    "source_id",
    "lars",
)
INTERNAL_FIELDS = (
    "owner",
    "accountable_manager",
    "department",
    "lifecycle_phase",
    "kind",
    "sourcing",
    "supplier_name",
    "personal_data",
    "special_categories",
    "automated_decisions",
    "groups_affected",
    "effect_on_people",
    "next_review_date",
    "internal_notes",
)
# Set by imports and by other areas, not on the form.
SYSTEM_FIELDS = ("lang", "standard_version", "ai_act_risk_class")
EDITABLE_FIELDS = (*PUBLIC_FIELDS, *INTERNAL_FIELDS, *SYSTEM_FIELDS)
