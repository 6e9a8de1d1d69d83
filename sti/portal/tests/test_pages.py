import pytest

pytestmark = pytest.mark.django_db


def test_home_shows_live_key_figures(client, run_on_commit):
    from sti.directory.models import Organization, Researcher

    with run_on_commit():
        org_a = Organization.objects.create(name="Trường Đại học Cần Thơ", kind="university")
        Organization.objects.create(name="Viện Lúa Đồng bằng sông Cửu Long", kind="institute")
        Researcher.objects.create(
            full_name="Trần Thị Thu Hương", organization=org_a, is_public=True, is_expert=True
        )
        Researcher.objects.create(full_name="Lê Văn Ẩn", organization=org_a, is_public=False)
    figures = client.get("/").context["figures"]
    assert figures["organizations"] == 2
    assert figures["researchers"] == 1  # the hidden profile is not counted for visitors
    assert figures["experts"] == 1
    assert {row["type"]: row["count"] for row in figures["by_type"]} == {
        "organization": 2,
        "researcher": 1,
    }


def test_vietnamese_is_the_default_whatever_the_browser_says(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi">' in response.content.decode()


def test_language_switch_turns_the_site_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    assert page["Content-Language"] == "en"
    html = page.content.decode()
    assert '<html lang="en">' in html
    assert "Search" in html and "Tìm kiếm" not in html


def test_static_assets_are_served_locally(client):
    html = client.get("/").content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "/static/vendor/htmx/htmx.min.js" in html
    assert "cdn" not in html.lower()


def test_openapi_document_lists_the_directory(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"]
    assert any(path.startswith("/api/directory/") for path in schema["paths"])
