"""Demo content of the register: about a dozen realistic algorithms of Gemeente Voorbeeldstad, in every state,
some published in several versions; and, once, the real national register (1,530 records, CC0) as their own
organisations, so the public register has real content to search.

Idempotent: demo algorithms are keyed by their source ID; the national records by their algorithm ID (lars).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from verantwoord.core.models import Organisation, User
from verantwoord.register import services
from verantwoord.register.choices import LinkGroup, PublicationState
from verantwoord.register.models import Algorithm

NATIONAL_REGISTER_ENV = "VERANTWOORD_DEMO_NATIONAL_REGISTER"
NATIONAL_REGISTER_FILE_ENV = "VERANTWOORD_NATIONAL_REGISTER_FILE"
DEFAULT_NATIONAL_REGISTER_FILE = (
    Path(settings.BASE_DIR).parent / "shared" / "data" / "algoritmeregister-overzicht.json"
)
REASON = "Demo data"
PUBLISH_STEPS = (PublicationState.READY_FOR_REVIEW, PublicationState.APPROVED, PublicationState.PUBLISHED)


@dataclass(frozen=True)
class DemoAlgorithm:
    source_id: str
    data: dict[str, Any]
    state: PublicationState
    owner: str = "eigenaar"
    links: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    # Changes published as later versions (each one a new version), applied after the first publication.
    later_versions: tuple[dict[str, Any], ...] = ()


CONTACT = "algoritmes@voorbeeldstad.example"
DEMO_ALGORITHMS: tuple[DemoAlgorithm, ...] = (
    DemoAlgorithm(
        "VBS-001",
        {
            "name": "Slimme verkeerslichten Ringweg",
            "description_short": "Verkeerslichten op de Ringweg passen hun groentijden aan op de drukte. Fietsers en bussen wachten zo korter.",
            "themes": ["traffic"],
            "status": "in_use",
            "begin_date": "2021-03",
            "publication_category": "other",
            "goal": "Minder wachttijd en minder uitstoot op kruispunten. Het systeem telt voertuigen met lussen in de weg en kiest de groentijden.",
            "human_intervention": "Verkeerskundigen stellen de regels in en kijken elke week naar de resultaten.",
            "lawful_basis": "Wegenverkeerswet 1994",
            "department": "Mobiliteit",
            "kind": "rule_based",
            "lifecycle_phase": "monitoring",
            "effect_on_people": "none",
            "provider": "Verkeerstechniek Nederland B.V.",
            "sourcing": "supplied",
            "supplier_name": "Verkeerstechniek Nederland B.V.",
        },
        PublicationState.PUBLISHED,
        links={
            LinkGroup.LAWFUL_BASIS: [
                {"title": "Wegenverkeerswet 1994", "link": "https://wetten.overheid.nl/BWBR0006622"}
            ]
        },
        later_versions=(
            {
                "goal": "Minder wachttijd en minder uitstoot op kruispunten. Sinds 2024 krijgen ook hulpdiensten voorrang."
            },
        ),
    ),
    DemoAlgorithm(
        "VBS-002",
        {
            "name": "Risicomodel controle bijstand",
            "description_short": "Een model schat welke bijstandsaanvragen extra controle nodig hebben. Een medewerker beslist altijd zelf.",
            "themes": ["social_security"],
            "status": "in_use",
            "begin_date": "2022-09",
            "publication_category": "high_risk_ai",
            "goal": "Fouten en misbruik eerder vinden, zodat inwoners niet achteraf veel geld moeten terugbetalen.",
            "human_intervention": "Het model geeft alleen een signaal. Een consulent bekijkt elk signaal en beslist of er een controle komt.",
            "risks": "Het model kan groepen inwoners benadelen. We controleren elke maand op bias en laten het model jaarlijks toetsen.",
            "lawful_basis": "Participatiewet, artikel 17 en 53a",
            "impacttoetsen": "Er is een DPIA en een IAMA uitgevoerd.",
            "source_data": "Gegevens uit de aanvraag en uit de Basisregistratie Personen.",
            "methods_and_models": "Een beslisboom (gradient boosting) op 14 kenmerken, getraind op afgehandelde dossiers.",
            "department": "Werk en Inkomen",
            "kind": "machine_learning",
            "lifecycle_phase": "monitoring",
            "personal_data": True,
            "automated_decisions": False,
            "groups_affected": "Aanvragers van bijstand",
            "effect_on_people": "similarly_significant",
            "internal_notes": "Herijking gepland na de biasanalyse van Q3.",
        },
        PublicationState.PUBLISHED,
        links={
            LinkGroup.LAWFUL_BASIS: [
                {"title": "Participatiewet", "link": "https://wetten.overheid.nl/BWBR0015703"}
            ],
            LinkGroup.IMPACT_ASSESSMENTS: [{"title": "DPIA risicomodel bijstand (samenvatting)", "link": ""}],
        },
        later_versions=(
            {
                "human_intervention": "Het model geeft alleen een signaal. Twee consulenten bekijken elk signaal samen."
            },
            {"risks": "We controleren elke maand op bias. In 2025 is het kenmerk 'postcode' verwijderd."},
        ),
    ),
    DemoAlgorithm(
        "VBS-003",
        {
            "name": "Chatbot Gemeentelijke Vragen",
            "description_short": "Een chatbot op de website beantwoordt veelgestelde vragen over afval, paspoorten en parkeren.",
            "themes": ["organisation"],
            "status": "in_use",
            "begin_date": "2024-01",
            "publication_category": "other",
            "goal": "Inwoners snel helpen, ook buiten kantoortijden.",
            "human_intervention": "Bij elke vraag kunt u kiezen voor contact met een medewerker.",
            "department": "Dienstverlening",
            "kind": "gpai_based",
            "lifecycle_phase": "implementation",
            "sourcing": "supplied",
            "supplier_name": "Praatpaal AI",
            "provider": "Praatpaal AI",
        },
        PublicationState.PUBLISHED,
    ),
    DemoAlgorithm(
        "VBS-004",
        {
            "name": "Toewijzing parkeervergunningen",
            "description_short": "Een rekenregel bepaalt of u recht hebt op een parkeervergunning en zet u op de wachtlijst.",
            "themes": ["traffic", "living"],
            "status": "in_use",
            "begin_date": "2019-01",
            "publication_category": "impactful",
            "goal": "Eerlijke verdeling van schaarse vergunningen.",
            "lawful_basis": "Parkeerverordening Voorbeeldstad 2019",
            "department": "Vergunningen",
            "kind": "rule_based",
            "lifecycle_phase": "monitoring",
            "personal_data": True,
            "automated_decisions": True,
            "effect_on_people": "legal",
        },
        PublicationState.APPROVED,
    ),
    DemoAlgorithm(
        "VBS-005",
        {
            "name": "Voorspelling onderhoud riolering",
            "description_short": "Een model voorspelt welke rioolbuizen het eerst vervangen moeten worden.",
            "themes": ["infrastructure", "nature"],
            "status": "in_development",
            "publication_category": "other",
            "department": "Openbare Ruimte",
            "kind": "machine_learning",
            "lifecycle_phase": "development",
        },
        PublicationState.READY_FOR_REVIEW,
    ),
    DemoAlgorithm(
        "VBS-006",
        {
            "name": "Cv-selectie vacatures",
            "description_short": "Een leverancier biedt software aan die sollicitaties rangschikt. We onderzoeken of dit verantwoord kan.",
            "themes": ["work", "organisation"],
            "status": "in_development",
            "publication_category": "high_risk_ai",
            "department": "HR",
            "kind": "machine_learning",
            "lifecycle_phase": "problem_analysis",
            "sourcing": "supplied",
            "supplier_name": "TalentMatch",
            "personal_data": True,
            "effect_on_people": "similarly_significant",
            "groups_affected": "Sollicitanten",
        },
        PublicationState.DRAFT,
        owner="beheerder",
    ),
    DemoAlgorithm(
        "VBS-007",
        {
            "name": "Meldingen openbare ruimte sorteren",
            "description_short": "Meldingen over de openbare ruimte worden automatisch naar het juiste team gestuurd.",
            "themes": ["public_order", "infrastructure"],
            "status": "in_use",
            "begin_date": "2020-06",
            "publication_category": "other",
            "goal": "Meldingen sneller bij het juiste team.",
            "department": "Openbare Ruimte",
            "kind": "machine_learning",
            "lifecycle_phase": "monitoring",
        },
        PublicationState.PUBLISHED,
    ),
    DemoAlgorithm(
        "VBS-008",
        {
            "name": "Berekening hoogte WOZ-waarde",
            "description_short": "Een model schat de waarde van woningen voor de WOZ. Een taxateur controleert de uitkomst.",
            "themes": ["public_finance", "living"],
            "status": "in_use",
            "begin_date": "2018-01",
            "publication_category": "impactful",
            "goal": "Een juiste WOZ-waarde voor elke woning, als basis voor belastingen.",
            "human_intervention": "Een taxateur controleert afwijkende uitkomsten en elke bezwaarzaak.",
            "lawful_basis": "Wet waardering onroerende zaken",
            "department": "Belastingen",
            "kind": "machine_learning",
            "lifecycle_phase": "monitoring",
            "personal_data": True,
            "effect_on_people": "legal",
        },
        PublicationState.PUBLISHED,
        links={
            LinkGroup.LAWFUL_BASIS: [{"title": "Wet WOZ", "link": "https://wetten.overheid.nl/BWBR0007119"}]
        },
    ),
    DemoAlgorithm(
        "VBS-009",
        {
            "name": "Afvalroutes optimaliseren",
            "description_short": "Software plant de routes van de vuilniswagens zo kort mogelijk.",
            "themes": ["nature"],
            "status": "out_of_use",
            "begin_date": "2017-04",
            "end_date": "2023-12",
            "publication_category": "other",
            "department": "Afval",
            "kind": "rule_based",
            "lifecycle_phase": "phasing_out",
        },
        PublicationState.WITHDRAWN,
    ),
    DemoAlgorithm(
        "VBS-010",
        {
            "name": "Vertaalhulp voor brieven",
            "description_short": "Medewerkers kunnen brieven laten vertalen door een taalmodel. Een medewerker controleert de vertaling.",
            "themes": ["organisation", "migration"],
            "status": "in_development",
            "publication_category": "other",
            "department": "Dienstverlening",
            "kind": "gpai_based",
            "lifecycle_phase": "design",
        },
        PublicationState.DRAFT,
    ),
    DemoAlgorithm(
        "VBS-011",
        {
            "name": "Toekenning leerlingenvervoer",
            "description_short": "Een rekenregel bepaalt op basis van afstand en beperking of een kind recht heeft op leerlingenvervoer.",
            "themes": ["education"],
            "status": "in_use",
            "begin_date": "2016-08",
            "publication_category": "impactful",
            "goal": "Snel en gelijk beslissen op aanvragen.",
            "lawful_basis": "Verordening leerlingenvervoer Voorbeeldstad",
            "department": "Onderwijs",
            "kind": "rule_based",
            "lifecycle_phase": "monitoring",
            "personal_data": True,
            "special_categories": True,
            "automated_decisions": True,
            "effect_on_people": "legal",
        },
        PublicationState.PUBLISHED,
    ),
    DemoAlgorithm(
        "VBS-012",
        {
            "name": "Camera's drukte binnenstad",
            "description_short": "Camera's tellen hoeveel mensen er in de binnenstad zijn, zonder gezichten op te slaan.",
            "themes": ["public_order"],
            "status": "in_development",
            "publication_category": "high_risk_ai",
            "department": "Veiligheid",
            "kind": "machine_learning",
            "lifecycle_phase": "data_exploration",
            "personal_data": True,
        },
        PublicationState.DRAFT,
    ),
    DemoAlgorithm(
        "VBS-013",
        {
            "name": "Wijkrisicoscore (verkenning gestopt)",
            "description_short": "Een leverancier bood een score per inwoner aan voor overlast in wijken. De gemeente is hiermee gestopt.",
            "themes": ["public_order", "living"],
            "status": "in_development",
            "publication_category": "impactful",
            "department": "Veiligheid",
            "kind": "machine_learning",
            "lifecycle_phase": "problem_analysis",
            "personal_data": True,
            "effect_on_people": "similarly_significant",
            "internal_notes": "Gestopt na de AI Act-toets: sociale scoring is verboden (art. 5(1)(c)).",
        },
        PublicationState.DRAFT,
        owner="beheerder",
    ),
)


def _bring_to_state(algorithm: Algorithm, target: PublicationState) -> Algorithm:
    if target == PublicationState.DRAFT:
        return algorithm
    steps = [*PUBLISH_STEPS]
    if target == PublicationState.WITHDRAWN:
        steps.append(PublicationState.WITHDRAWN)
    for step in steps:
        algorithm = services.algorithm_transition(
            actor=None, algorithm=algorithm, to_state=step, reason=REASON
        )
        if step == target:
            break
    return algorithm


def load_demo_algorithms(organisation: Organisation, users: dict[str, User]) -> dict[str, Any]:
    created = 0
    for demo in DEMO_ALGORITHMS:
        if Algorithm.objects.filter(organisation=organisation, source_id=demo.source_id).exists():
            continue
        data = {
            **demo.data,
            "source_id": demo.source_id,
            "contact_email": CONTACT,
            "owner": users.get(demo.owner),
            "accountable_manager": users.get("beheerder"),
        }
        algorithm = services.algorithm_create(
            actor=None, organisation=organisation, data=data, links=demo.links, reason=REASON
        )
        target = PublicationState.PUBLISHED if demo.later_versions else demo.state
        algorithm = _bring_to_state(algorithm, target)
        for change in demo.later_versions:
            algorithm = services.algorithm_update(actor=None, algorithm=algorithm, data=change, reason=REASON)
            algorithm = _bring_to_state(algorithm, PublicationState.PUBLISHED)
        created += 1
    summary: dict[str, Any] = {"algorithms": len(DEMO_ALGORITHMS), "created": created}
    summary["nationalRegister"] = load_national_register()
    return summary


def load_national_register() -> dict[str, Any]:
    """Load the real national register once (skipped when switched off or already loaded)."""
    if os.environ.get(NATIONAL_REGISTER_ENV, "1").strip().lower() in {"0", "false", "no", "off"}:
        return {"loaded": False, "reason": f"switched off by {NATIONAL_REGISTER_ENV}"}
    path = Path(os.environ.get(NATIONAL_REGISTER_FILE_ENV) or DEFAULT_NATIONAL_REGISTER_FILE)
    if Algorithm.objects.exclude(lars="").exists():
        return {"loaded": False, "reason": "already loaded"}
    if not path.exists():
        return {"loaded": False, "reason": f"file not found: {path}"}
    from verantwoord.register.importing import register_import

    report = register_import(
        path=path, format="overzicht", create_organisations=True, publish=True, actor=None
    )
    return {
        "loaded": True,
        "file": str(path),
        **{k: v for k, v in report.as_dict().items() if k not in ("warnings",)},
        "warnings": len(report.warnings),
    }
