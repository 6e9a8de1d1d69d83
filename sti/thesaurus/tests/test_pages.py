"""Thesaurus pages for every persona: everyone reads, only editors change (audited)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sti.core.models import AuditEntry
from sti.core.testing import (
    ANONYMOUS,
    LOGIN,
    CreatePageTests,
    DetailPageTests,
    EditPageTests,
    ListPageTests,
    assert_refused,
    audit_count,
    persona_user,
)
from sti.thesaurus.models import Concept, Term

pytestmark = pytest.mark.django_db

STAFF = {"editor", "admin_user"}


def _concept() -> Concept:
    return Concept.objects.get(key="ngô")


class TestConceptPages(ListPageTests, DetailPageTests, CreatePageTests, EditPageTests):
    list_url = "/tu-dien-dong-nghia/"
    list_params = {"q": "bap"}
    model = Concept
    create_url = "/tu-dien-dong-nghia/them/"
    create_expected = {"label": "lúa mùa"}
    edit_expected = {"note": "Cây lương thực"}

    def listed(self, request, persona):
        return ["ngô", "bắp"]

    def unlisted(self, request, persona):
        return ["Oryza sativa"]  # not a match for "bap"

    def detail_object(self, request):
        return _concept()

    def detail_texts(self, obj):
        return ["ngô", "bắp", "Zea mays"]

    def create_data(self, request):
        return {"label": "lúa  mùa", "note": ""}

    def check_created(self, obj, user):
        entry = AuditEntry.objects.filter(object_type="thesaurus.concept").latest("pk")
        assert entry.actor == user and entry.object_id == str(obj.pk)

    def edit_object(self, request):
        return _concept()

    def edit_url(self, obj):
        return reverse("thesaurus:concept_edit", args=[obj.pk])

    def edit_data(self, request, obj):
        return {"label": obj.label, "note": "Cây lương thực"}

    def check_edited(self, obj, user):
        entry = AuditEntry.objects.filter(object_type="thesaurus.concept").latest("pk")
        assert entry.actor == user and entry.changes["note"] == ["", "Cây lương thực"]


class TestTermPages(CreatePageTests, EditPageTests):
    model = Term
    create_expected = {"text": "bẹ", "relation": "regional", "weight": 0.8}
    edit_expected = {"weight": 0.75}

    @property
    def create_url(self):
        return reverse("thesaurus:term_create", args=[_concept().pk])

    def create_data(self, request):
        return {"text": "bẹ", "relation": "regional", "weight": "", "source": "Biên soạn"}

    def check_created(self, obj, user):
        entry = AuditEntry.objects.filter(object_type="thesaurus.term").latest("pk")
        assert entry.actor == user and entry.changes["__new__"]["text"] == "bẹ"

    def edit_object(self, request):
        return Term.objects.get(concept__key="ngô", key="bắp")

    def edit_url(self, obj):
        return reverse("thesaurus:term_edit", args=[obj.pk])

    def edit_data(self, request, obj):
        return {"text": obj.text, "relation": obj.relation, "weight": "0.75", "source": ""}


class TestDelete:
    def pytest_generate_tests(self, metafunc):
        from sti.core.testing import PERSONAS

        metafunc.parametrize("persona", PERSONAS)

    def test_delete_term(self, request, client_for, persona):
        term = Term.objects.get(concept__key="ngô", key="bắp")
        audits = audit_count()
        response = client_for(persona_user(request, persona)).post(
            reverse("thesaurus:term_delete", args=[term.pk])
        )
        if persona in STAFF:
            assert response.status_code == 302
            assert not Term.objects.filter(pk=term.pk).exists()
            entry = AuditEntry.objects.latest("pk")
            assert entry.action == "delete" and entry.changes["__old__"]["text"] == "bắp"
        else:
            assert_refused(response, LOGIN if persona == ANONYMOUS else 403)
            assert Term.objects.filter(pk=term.pk).exists() and audit_count() == audits

    def test_delete_concept(self, request, client_for, persona):
        concept = _concept()
        terms = concept.terms.count()
        audits = audit_count()
        response = client_for(persona_user(request, persona)).post(
            reverse("thesaurus:concept_delete", args=[concept.pk])
        )
        if persona in STAFF:
            assert response.status_code == 302
            assert not Concept.objects.filter(pk=concept.pk).exists()
            assert audit_count() == audits + terms + 1
        else:
            assert_refused(response, LOGIN if persona == ANONYMOUS else 403)
            assert Concept.objects.filter(pk=concept.pk).exists() and audit_count() == audits


def test_a_duplicate_term_is_refused_on_the_form(client_for, editor):
    concept = _concept()
    response = client_for(editor).post(
        reverse("thesaurus:term_create", args=[concept.pk]),
        {"text": "Bắp", "relation": "regional", "weight": ""},
    )
    assert response.status_code == 200
    assert "Khái niệm đã có thuật ngữ này." in response.content.decode()


def test_a_weight_of_one_is_refused(client_for, editor):
    response = client_for(editor).post(
        reverse("thesaurus:term_create", args=[_concept().pk]),
        {"text": "bẹ", "relation": "regional", "weight": "1"},
    )
    assert response.status_code == 200 and not Term.objects.filter(key="bẹ").exists()


def test_plain_member_cannot_import(client_for, member_a):
    response = client_for(member_a).get(reverse("thesaurus:import_upload"))
    assert response.status_code == 403


def test_the_page_shows_expansions(client):
    response = client.get("/tu-dien-dong-nghia/", {"q": "đậu phộng"})
    content = response.content.decode()
    assert "lạc" in content and "Arachis hypogaea" in content


def test_the_back_office_only_shows_the_thesaurus(client_for, admin_user):
    client = client_for(admin_user)
    concept = _concept()
    assert client.get(f"/quan-tri/thesaurus/concept/{concept.pk}/change/").status_code == 200
    response = client.post(f"/quan-tri/thesaurus/concept/{concept.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Concept.objects.filter(pk=concept.pk).exists()
