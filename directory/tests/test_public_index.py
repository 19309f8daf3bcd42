"""The public index: a patient finds their municipality or hospital by name or number."""


def test_it_needs_no_sign_in_and_lists_municipalities_and_hospitals(client, orgs):
    response = client.get("/info/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "All municipalities and hospitals" in page
    assert "Page 1 of" in page


def test_it_finds_a_municipality_by_name_ignoring_case_and_norwegian_letters(client, orgs):
    for text in ("Askøy", "askøy", "ASKOY"):
        page = client.get("/info/", {"q": text}).content.decode()
        assert f'href="/info/{orgs["askoy"].public_id}/"' in page, text
    page = client.get("/info/", {"q": "ålesund"}).content.decode()
    assert ">Ålesund</a>" in page and ">Ålesund sjukehus</a>" in page


def test_it_finds_a_municipality_and_its_hospitals_by_municipality_number(client, orgs):
    page = client.get("/info/", {"q": "4621"}).content.decode()
    assert ">Voss</a>" in page and ">Voss sjukehus</a>" in page
    assert "2 matches for" in page


def test_it_leaves_out_gp_offices_and_health_trusts(client, orgs):
    page = client.get("/info/", {"q": "Testvik"}).content.decode()
    assert "Testvik legesenter" not in page and "No municipality or hospital matches" in page
    assert "Helse Bergen HF</a>" not in client.get("/info/", {"q": "Helse Bergen"}).content.decode()


def test_it_pages_long_lists_and_keeps_the_search(client, orgs):
    page = client.get("/info/", {"q": "a", "page": 2}).content.decode()
    assert "Page 2 of" in page
    assert "q=a&amp;page=1" in page or "q=a&amp;page=3" in page
