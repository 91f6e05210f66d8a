"""The staff pages through the Django test client (in Dutch): start, fill in a section without JavaScript,
autosave one answer as htmx does, a clear conflict message that keeps what was typed, comments, attachments,
advice, decision, printable view, the public summary, and the register record's impacttoetsen_grouping."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.assessments.factories import decided_dpia, filled, member, pdf_upload
from tests.core.factories import OrganisationFactory
from tests.register.factories import published_algorithm
from verantwoord.assessments import selectors, services
from verantwoord.assessments.models import Assessment, State
from verantwoord.register import services as register_services
from verantwoord.register.choices import PublicationState
from verantwoord.register.exporting import export_records
from verantwoord.register.models import Algorithm, Publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def algorithm() -> Algorithm:
    return published_algorithm(OrganisationFactory(), personal_data=True)


def logged_in(algorithm: Algorithm, role: str) -> Client:
    client = Client()
    client.force_login(member(algorithm.organisation, role))
    return client


def url(name: str, assessment: Assessment, **extra: object) -> str:
    return reverse(
        f"assessments:{name}",
        kwargs={"slug": assessment.organisation.slug, "assessment_id": assessment.pk, **extra},
    )


def test_start_an_assessment_from_the_algorithm_page(algorithm: Algorithm) -> None:
    client = logged_in(algorithm, "algorithm_owner")
    page_url = reverse(
        "assessments:algorithm", kwargs={"slug": algorithm.organisation.slug, "algorithm_id": algorithm.pk}
    )
    page = client.get(page_url)
    assert page.status_code == 200 and "Pre-scan DPIA" in page.content.decode()
    response = client.post(page_url, {"template": "dpia"})
    assessment = Assessment.objects.get(algorithm=algorithm)
    assert response["Location"] == url("detail", assessment)
    detail = client.get(response["Location"]).content.decode()
    assert "Voortgang per onderdeel" in detail
    assert "16. " in detail and "17. " in detail


def test_a_section_saves_without_javascript_and_keeps_bad_input(algorithm: Algorithm) -> None:
    assessment = services.assessment_start(actor=None, algorithm=algorithm, template_key="dpia")
    client = logged_in(algorithm, "algorithm_owner")
    section = url("section", assessment, section_id="c16")
    page = client.get(section).content.decode()
    assert 'name="q-risks-0-risk"' in page and "<caption" in page
    response = client.post(
        section,
        {
            "present-risks": "1",
            "rev-risks": "0",
            "rows-risks": "2",
            "q-risks-0-risk": "Onterechte selectie",
            "q-risks-0-likelihood": "medium",
            "q-risks-0-severity": "high",
            "q-risks-1-risk": "",
        },
    )
    assert response.status_code == 302
    assert selectors.answers_of(assessment=assessment)["risks"][0]["severity"] == "high"
    bad = client.post(
        url("section", assessment, section_id="a9"),
        {
            "present-framework": "1",
            "rev-framework": "0",
            "rows-framework": "1",
            "q-framework-0-title": "AVG",
            "q-framework-0-link": "geen-adres",
        },
    )
    content = bad.content.decode()
    assert bad.status_code == 200 and "error-summary" in content
    assert 'value="geen-adres"' in content  # nothing typed is lost
    assert "framework" not in selectors.answers_of(assessment=assessment)


def test_autosave_of_one_answer_as_htmx_sends_it(algorithm: Algorithm) -> None:
    assessment = services.assessment_start(actor=None, algorithm=algorithm, template_key="dpia")
    client = logged_in(algorithm, "algorithm_owner")
    answer_url = url("answer", assessment, question_id="proposal")
    response = client.post(
        answer_url, {"q-proposal": "Eerste tekst", "rev-proposal": "0"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert (
        response.status_code == 200 and 'id="rev-proposal" value="1"' in content and "hx-swap-oob" in content
    )
    # Without htmx the same endpoint saves and returns to the section.
    response = client.post(answer_url, {"q-proposal": "Tweede tekst", "rev-proposal": "1"})
    assert response.status_code == 302 and "#question-proposal" in response["Location"]
    assert selectors.answers_of(assessment=assessment)["proposal"] == "Tweede tekst"


def test_two_people_editing_get_a_clear_conflict_message(algorithm: Algorithm) -> None:
    assessment = services.assessment_start(actor=None, algorithm=algorithm, template_key="dpia")
    anna = logged_in(algorithm, "algorithm_owner")
    bert = logged_in(algorithm, "privacy_officer")
    anna.post(
        url("answer", assessment, question_id="proposal"),
        {"q-proposal": "Tekst van Anna", "rev-proposal": "0"},
        HTTP_HX_REQUEST="true",
    )
    response = bert.post(
        url("answer", assessment, question_id="proposal"),
        {"q-proposal": "Tekst van Bert", "rev-proposal": "0"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert "Tekst van Anna" in content and "utrecht-form-field-error-message" in content
    assert selectors.answers_of(assessment=assessment)["proposal"] == "Tekst van Anna"
    # The plain form shows the conflict with Bert's text still in the field.
    response = bert.post(
        url("section", assessment, section_id="a1"),
        {"present-proposal": "1", "q-proposal": "Tekst van Bert", "rev-proposal": "0"},
    )
    content = response.content.decode()
    assert (
        response.status_code == 200 and "Tekst van Bert</textarea>" in content and "Tekst van Anna" in content
    )


def test_the_form_sent_while_its_own_autosave_is_on_its_way_is_no_conflict(algorithm: Algorithm) -> None:
    # A click on "yes", then "no" and at once "Next": the autosave of "yes" may reach the server before the
    # form, which still carries the revision the page was loaded with.
    assessment = services.assessment_start(actor=None, algorithm=algorithm, template_key="dpia")
    anna = logged_in(algorithm, "algorithm_owner")
    answer_url = url("answer", assessment, question_id="outside_eu")
    anna.post(answer_url, {"q-outside_eu": "yes", "rev-outside_eu": "0"}, HTTP_HX_REQUEST="true")
    response = anna.post(
        url("section", assessment, section_id="a8"),
        {"present-outside_eu": "1", "q-outside_eu": "no", "rev-outside_eu": "0", "next": "0"},
    )
    assert response.status_code == 302
    assert selectors.answers_of(assessment=assessment)["outside_eu"] == "no"
    # The other order: the form first, then the autosave it overtook; the older click does not win.
    response = anna.post(answer_url, {"q-outside_eu": "yes", "rev-outside_eu": "0"}, HTTP_HX_REQUEST="true")
    assert "utrecht-form-field-error-message" in response.content.decode()
    assert selectors.answers_of(assessment=assessment)["outside_eu"] == "no"
    # Someone else's save in between is still a conflict for the form.
    bert = logged_in(algorithm, "privacy_officer")
    bert.post(answer_url, {"q-outside_eu": "yes", "rev-outside_eu": "2"}, HTTP_HX_REQUEST="true")
    response = anna.post(
        url("section", assessment, section_id="a8"),
        {"present-outside_eu": "1", "q-outside_eu": "no", "rev-outside_eu": "2"},
    )
    assert (
        response.status_code == 200
        and "Iemand anders heeft dit antwoord gewijzigd." in response.content.decode()
    )
    assert selectors.answers_of(assessment=assessment)["outside_eu"] == "yes"


def test_comments_and_attachments_on_a_question(algorithm: Algorithm) -> None:
    assessment = services.assessment_start(actor=None, algorithm=algorithm, template_key="dpia")
    client = logged_in(algorithm, "privacy_officer")
    response = client.post(
        url("comment", assessment), {"question": "proposal", "text": "Wat is het doel precies?"}
    )
    assert response.status_code == 302
    assert (
        "Wat is het doel precies?" in client.get(url("section", assessment, section_id="a1")).content.decode()
    )
    section = url("section", assessment, section_id="d17")
    response = client.post(section, {"file-attachments": pdf_upload("verwerkersovereenkomst.pdf")})
    assert response.status_code == 302
    attachment = selectors.attachments_of(assessment=assessment).get()
    download = client.get(url("attachment", assessment, attachment_id=attachment.pk))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    auditor = logged_in(algorithm, "auditor")
    assert auditor.post(url("comment", assessment), {"question": "proposal", "text": "x"}).status_code == 403
    assert Client().get(url("attachment", assessment, attachment_id=attachment.pk)).status_code == 302


def test_submit_advise_and_decide_through_the_pages(algorithm: Algorithm) -> None:
    assessment = filled(algorithm, "dpia")
    owner, fg, manager = (
        logged_in(algorithm, role) for role in ("algorithm_owner", "privacy_officer", "beheerder")
    )
    assert owner.post(url("submit", assessment)).status_code == 302
    decide_page = manager.get(url("decide", assessment)).content.decode()
    # Not offered yet (the FG advises first), but it is the decision's page, in Dutch.
    assert (
        '<h1 class="utrecht-heading-1">Besluit: ' in decide_page and "Besluit vastleggen" not in decide_page
    )
    advise_page = fg.get(url("advise", assessment)).content.decode()
    assert (
        '<h1 class="utrecht-heading-1">Advies: ' in advise_page
        and ">Advies vastleggen</button>" in advise_page
    )
    response = fg.post(
        url("advise", assessment),
        {"outcome": "positive_with_conditions", "text": "Akkoord onder voorwaarde."},
    )
    assert response.status_code == 200 and "Geef ten minste één voorwaarde" in response.content.decode()
    response = fg.post(
        url("advise", assessment),
        {
            "outcome": "positive_with_conditions",
            "text": "Akkoord onder voorwaarde.",
            "condition-0-text": "Beperk toegang",
            "condition-0-due_date": "2026-12-31",
        },
    )
    assert response.status_code == 302
    response = manager.post(
        url("decide", assessment), {"decision": "approved", "note": "Akkoord.", "review_date": "2028-01-01"}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == State.DECIDED and str(assessment.review_date) == "2028-01-01"
    detail = owner.get(url("detail", assessment)).content.decode()
    assert assessment.content_hash in detail and "Beperk toegang" in detail


def test_return_for_changes_from_the_advice_page(algorithm: Algorithm) -> None:
    assessment = filled(algorithm, "dpia")
    services.assessment_submit(actor=None, assessment=assessment)
    fg = logged_in(algorithm, "privacy_officer")
    assert (
        fg.post(
            url("advise", assessment), {"return": "1", "reason": "Vul de bewaartermijnen aan."}
        ).status_code
        == 302
    )
    assessment.refresh_from_db()
    assert assessment.state == State.RETURNED
    assert "Vul de bewaartermijnen aan." in fg.get(url("detail", assessment)).content.decode()


def test_printable_view_and_iama_fria_notification(algorithm: Algorithm) -> None:
    iama = filled(
        algorithm, "iama", {"legal_basis": "yes", "use_processes": "Controle van bijstandsaanvragen"}
    )
    client = logged_in(algorithm, "auditor")
    printed = client.get(url("print", iama)).content.decode()
    assert "Controle van bijstandsaanvragen" in printed and "art. 27(1)(a)" in printed
    detail = client.get(url("detail", iama)).content.decode()
    assert "art. 27(3)" in detail and "Controle van bijstandsaanvragen" in detail


def test_public_summary_appears_on_its_page_and_in_the_register_record(algorithm: Algorithm) -> None:
    decided = decided_dpia(algorithm)
    beheerder = logged_in(algorithm, "beheerder")
    summary_url = url("summary", decided)
    assert (
        beheerder.post(summary_url, {"summary": "De gemeente onderzocht de privacyrisicos."}).status_code
        == 302
    )
    public_url = reverse(
        "assessments:public-summary",
        kwargs={"slug": algorithm.organisation.slug, "algorithm_id": algorithm.pk, "summary_id": decided.pk},
    )
    page = Client().get(public_url).content.decode()
    assert "De gemeente onderzocht de privacyrisicos." in page and "proposal" not in page
    # The next publication freezes the link into the record: public page and export.
    algorithm = register_services.algorithm_update(
        actor=None, algorithm=algorithm, data={"goal": "Nieuw doel."}
    )
    for state in (PublicationState.READY_FOR_REVIEW, PublicationState.APPROVED, PublicationState.PUBLISHED):
        algorithm = register_services.algorithm_transition(actor=None, algorithm=algorithm, to_state=state)
    publication = Publication.objects.get(algorithm=algorithm, is_current=True)
    entries = export_records([publication])[0]["impacttoetsen_grouping"]
    assert any(entry["link"].endswith(public_url) for entry in entries)
    detail = Client().get(
        reverse(
            "register-public:detail",
            kwargs={"slug": algorithm.organisation.slug, "algorithm_id": algorithm.pk},
        )
    )
    assert public_url in detail.content.decode()
    services.summary_withdraw(actor=None, assessment=decided)
    assert Client().get(public_url).status_code == 404


def test_staff_without_the_permission_are_refused(algorithm: Algorithm) -> None:
    assessment = filled(algorithm, "dpia")
    staff = logged_in(algorithm, "staff")
    assert staff.get(url("detail", assessment)).status_code == 403
    ethics = logged_in(algorithm, "ethics_member")
    assert (
        ethics.post(
            url("section", assessment, section_id="a1"), {"present-proposal": "1", "q-proposal": "x"}
        ).status_code
        == 403
    )


def test_the_algorithm_page_advises_a_pre_scan(algorithm: Algorithm) -> None:
    Algorithm.objects.filter(pk=algorithm.pk).update(special_categories=True)
    client = logged_in(algorithm, "auditor")
    content = client.get(
        reverse(
            "assessments:algorithm",
            kwargs={"slug": algorithm.organisation.slug, "algorithm_id": algorithm.pk},
        )
    ).content.decode()
    assert "Een pre-scan DPIA is aangeraden" in content
    assert "Er worden bijzondere persoonsgegevens verwerkt" in content


def test_the_pages_work_in_english(algorithm: Algorithm) -> None:
    assessment = services.assessment_start(actor=None, algorithm=algorithm, template_key="dpia")
    client = logged_in(algorithm, "algorithm_owner")
    page = client.get("/en" + url("section", assessment, section_id="a1")).content.decode()
    assert "What is the project" in page and 'lang="en"' in page
