"""lib.slots: the places on an inner app's page that outer apps fill with their panels."""

from django.template import Context, Engine

from lib.slots import Slot

PANELS = {
    "one.html": "[one {{ n }}]",
    "two.html": "[two {{ n }} {{ page_only|default:'-' }}]",
    "form.html": "[{{ csrf_token }} {{ text }}]",
}


def render(page, **values):
    engine = Engine(
        loaders=[("django.template.loaders.locmem.Loader", PANELS)],
        libraries={"slots": "lib.tests.slot_tags"},
    )
    return engine.from_string("{% load slots %}" + page).render(Context(values))


def test_panels_render_in_the_order_they_were_registered_and_a_new_registration_keeps_its_place():
    slot = Slot("test.slot")
    slot.register("first", "one.html", lambda n: {"n": n})
    slot.register("second", "two.html", lambda n: {"n": n * 2})
    slot.register("first", "one.html", lambda n: {"n": n + 100})
    assert slot.names() == ["first", "second"]
    assert [(filled.template, filled.values) for filled in slot.fill(n=1)] == [
        ("one.html", {"n": 101}),
        ("two.html", {"n": 2}),
    ]
    # Each panel sees its own values only, not the page's.
    assert render("{% slot s n=3 %}", s=slot, page_only="x") == "[one 103][two 6 -]"


def test_a_slot_nobody_filled_renders_nothing():
    assert render("<p>{% slot s n=1 %}</p>", s=Slot("test.empty")) == "<p></p>"
    assert Slot("test.empty").fill(n=1) == []


def test_a_panel_whose_function_returns_none_is_left_out():
    slot = Slot("test.slot")
    slot.register("shown", "one.html", lambda n: {"n": n})
    slot.register("hidden", "two.html", lambda n: None)
    assert render("{% slot s n=1 %}", s=slot) == "[one 1]"


def test_a_panel_without_a_function_gets_the_slots_arguments():
    slot = Slot("test.slot")
    slot.register("plain", "one.html")
    assert render("{% slot s n=7 %}", s=slot) == "[one 7]"


def test_a_panel_gets_the_pages_csrf_token_and_its_escaping():
    slot = Slot("test.slot")
    slot.register("form", "form.html", lambda text: {"text": text})
    assert render("{% slot s text=t %}", s=slot, t="<b>", csrf_token="tok") == "[tok &lt;b&gt;]"
