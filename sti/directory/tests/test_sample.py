"""Sample data (idempotent) and `sti generate`."""

import pytest
from django.core.management import call_command

from sti.accounts.models import Membership, User
from sti.directory.models import Organization, Researcher
from sti.directory.sample import generate, load_sample, sample_data

pytestmark = pytest.mark.django_db


def test_load_sample_is_idempotent():
    load_sample(lambda message: None)
    load_sample(lambda message: None)
    data = sample_data()
    assert Organization.objects.count() == len(data["organizations"]) == 16
    assert Researcher.objects.count() == len(data["researchers"]) >= 40
    ctu = Organization.objects.get(abbreviation="ĐHCT")
    assert ctu.fields.filter(code="405").exists()
    assert ctu.admin_unit.name == "Quận Ninh Kiều"
    assert Researcher.objects.filter(is_expert=True).count() >= 15
    assert Researcher.objects.filter(is_public=False).exists()
    assert Researcher.objects.filter(expertise__contains="lúa chịu mặn").exists()
    reporter = User.objects.get(username="baocao_vienlua")
    assert reporter.check_password("demo-baocao")
    membership = Membership.objects.get(user=reporter)
    assert membership.role == "reporter" and membership.organization.abbreviation == "CLRRI"
    assert User.objects.get(username="baocao_dhct").is_reporter_for(ctu.pk)


def test_generate_in_bulk_is_reproducible():
    calls = []

    def progress(label, total):
        calls.append([label, total, 0])
        return lambda n: calls[-1].__setitem__(2, calls[-1][2] + n)

    counts = generate(200, 7, progress)
    assert counts == {"organizations": 10, "researchers": 190}
    assert [(label, total, done) for label, total, done in calls] == [
        ("Tổ chức", 10, 10),
        ("Nhà khoa học", 190, 190),
    ]
    person = Researcher.objects.order_by("pk").first()
    assert person.name_folded and person.fields.exists() and person.organization_id
    assert Organization.objects.exclude(identifier="").count() == 10
    # The same seed again adds new records without identifier clashes.
    generate(200, 7, lambda label, total: lambda n: None)
    assert Organization.objects.values("identifier").distinct().count() == 20


def test_generate_command(capsys):
    call_command("generate", "--scale", "40", "--seed", "3", "--only", "directory", "--no-progress")
    assert Researcher.objects.count() == 38
    assert "sti reindex" in capsys.readouterr().out
