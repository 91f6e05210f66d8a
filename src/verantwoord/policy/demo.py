"""Demo AI policy for Gemeente Voorbeeldstad: version 1 adopted by the board some months ago, version 2 a draft
with edited texts. Runs after the other areas' demos (app order), so the live blocks show their data."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from verantwoord.core.models import Organisation, User
from verantwoord.policy import services
from verantwoord.policy.models import DecisionBody, PolicyVersion, TextBlock

# The demo's data are all made when it loads, so version 1 is reviewed and adopted that day: a frozen snapshot
# of an earlier date would show none of them.
DECISION_REFERENCE = "B&W-besluit 2026/0417"

DRAFT_TEXTS = {
    ("vision.why", "nl"): (
        "Wij gebruiken AI alleen als het inwoners of de organisatie echt helpt, en als het ook zonder AI niet beter "
        "kan. Een systeem moet een duidelijk doel hebben. Wij kiezen voor het eenvoudigste middel dat werkt.\n\n"
        "Nieuw in deze versie: elk voorstel voor een AI-systeem begint met een korte notitie van de eigenaar. Daarin "
        "staat welk probleem het oplost en waarom een eenvoudiger oplossing niet volstaat.\n"
    ),
    ("vision.why", "en"): (
        "We use AI only when it truly helps residents or the organisation, and when it cannot be done better "
        "without AI. A system must have a clear purpose. We choose the simplest means that works.\n\n"
        "New in this version: every proposal for an AI system starts with a short note by the owner. It says which "
        "problem it solves and why a simpler solution is not enough.\n"
    ),
    ("participation.fill_in", "nl"): (
        "In 2026 hielden wij een informatieavond over de chatbot op de website en een digitaal vragenuur over de "
        "controle van bijstandsaanvragen. Inwoners kunnen vragen over algoritmes stellen via het contactformulier; "
        "het team AI beantwoordt die binnen tien werkdagen.\n"
    ),
    ("participation.fill_in", "en"): (
        "In 2026 we held an information evening on the website chatbot and a digital Q&A on the checks of "
        "welfare applications. Residents can ask questions about algorithms through the contact form; the AI team "
        "answers within ten working days.\n"
    ),
}


def load_demo_policy(organisation: Organisation, users: dict[str, User]) -> dict[str, Any]:
    if PolicyVersion.objects.filter(organisation=organisation).exists():
        return {"policy_versions": 0}
    beheerder = users.get("beheerder")
    first = services.policy_version_start(actor=beheerder, organisation=organisation, reason="Demo")
    first = services.policy_version_submit(actor=beheerder, version=first)
    services.policy_version_adopt(
        actor=beheerder,
        version=first,
        decision_body=DecisionBody.BOARD,
        decision_date=timezone.localdate(),
        decision_reference=DECISION_REFERENCE,
    )
    second = services.policy_version_start(actor=beheerder, organisation=organisation, reason="Demo")
    for (key, language), text in DRAFT_TEXTS.items():
        block = TextBlock.objects.get(version=second, key=key, language=language)
        services.text_block_save(actor=beheerder, block=block, markdown=text, base_revision=block.revision)
    return {"policy_versions": 2}
