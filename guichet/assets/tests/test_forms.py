"""Creating and editing assets through the forms: the fields of the type, the lists limited
to what the user may see, the actions' refusals beside their fields."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from guichet.accounts.tests.factories import make_location, make_user
from guichet.assets.forms import format_custom_fields, parse_custom_fields
from guichet.assets.models import Asset
from guichet.assets.tests.factories import make_asset, reload

pytestmark = pytest.mark.django_db

NEW = reverse("assets:new")


def edit(asset) -> str:
    return reverse("assets:edit", args=[asset.pk])


def _data(organisation, **values) -> dict:
    return {"name": "PC-0412", "kind": "computer", "state": "in_use",
            "organisation": organisation.pk, **values}  # fmt: skip


def test_the_new_form_offers_only_what_the_user_may_see(alice_client, acme, globex, bob,
                                                       charlie):  # fmt: skip
    make_location(acme, "Paris")
    make_location(globex, "Lyon")
    response = alice_client.get(NEW)
    assert response.status_code == 200
    body = response.content.decode()
    assert ">Acme<" in body and ">Globex<" not in body
    assert ">Paris<" in body and ">Lyon<" not in body
    assert ">Bob Test<" in body and ">Charlie Test<" not in body
    # The organisation alice serves alone is chosen for her.
    assert f'<option value="{acme.pk}" selected>Acme</option>' in body


def test_the_fields_shown_follow_the_type(alice_client):
    computer = alice_client.get(NEW).content.decode()
    assert '<fieldset data-kinds="phone" hidden disabled>' in computer
    assert '<fieldset data-kinds="computer">' in computer
    phone = alice_client.get(NEW, {"kind": "phone"}).content.decode()
    assert '<fieldset data-kinds="phone">' in phone
    assert '<fieldset data-kinds="computer" hidden disabled>' in phone


def test_it_creates_a_computer_with_its_operating_system(alice_client, alice, acme, bob):
    paris = make_location(acme, "Paris")
    data = _data(acme, subtype="laptop", serial="CZC1", manufacturer="Lenovo",
                 location=paris.pk, user=bob.pk, os_name="Debian 12", memory_mb="8192",
                 warranty_end="2027-05-31", purchase_price="899.90", supplier="LDLC",
                 extension="should be ignored")  # fmt: skip
    response = alice_client.post(NEW, data)
    asset = Asset.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assets:detail", args=[asset.pk])
    assert (asset.subtype, asset.manufacturer.name, asset.location, asset.user) == (
        "laptop", "Lenovo", paris, bob)  # fmt: skip
    assert (asset.os_name, asset.memory_mb, str(asset.purchase_price)) == ("Debian 12", 8192,
                                                                           "899.90")  # fmt: skip
    assert asset.supplier.name == "LDLC"
    assert asset.extension == ""  # a computer's form has no phone fields
    assert asset.events.get().actor == alice


def test_it_creates_a_phone_with_its_phone_fields(alice_client, acme):
    data = _data(acme, kind="phone", subtype="mobile", imei="356938035643809",
                 line_number="+33 6 12 34 56 78", os_name="ignored")  # fmt: skip
    assert alice_client.post(NEW, data).status_code == 302
    phone = Asset.objects.get()
    assert (phone.imei, phone.line_number, phone.os_name) == ("356938035643809",
                                                              "+33 6 12 34 56 78", "")  # fmt: skip


def test_other_assets_keep_custom_fields_typed_as_lines(alice_client, acme):
    data = _data(acme, kind="other", subtype="laptop",
                 custom_fields="Firmware: 2.4\n\n  Door :  North \nURL: http://x:8080")  # fmt: skip
    assert alice_client.post(NEW, data).status_code == 302
    thing = Asset.objects.get()
    assert thing.custom_fields == {"Firmware": "2.4", "Door": "North", "URL": "http://x:8080"}
    assert thing.subtype == ""  # only computers and phones have subtypes


def test_action_errors_show_beside_their_fields_and_keep_what_was_typed(alice_client, alice,
                                                                        acme):  # fmt: skip
    make_asset(alice, acme, name="Other", inventory_number="INV-1")
    response = alice_client.post(NEW, _data(acme, name="Brand new PC", inventory_number="INV-1"))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_inventory_number_error"' in body
    assert "Another asset has this inventory number." in body
    assert 'aria-describedby="id_inventory_number_error"' in body
    assert 'aria-invalid="true"' in body
    assert 'value="Brand new PC"' in body
    assert Asset.objects.count() == 1


def test_a_site_of_another_organisation_is_refused(alice_client, acme, support_team):
    from guichet.accounts.tests.factories import make_organisation

    initech = make_organisation("Initech")
    support_team.organisations.add(initech)
    elsewhere = make_location(initech, "Initech HQ")
    response = alice_client.post(NEW, _data(acme, location=elsewhere.pk))
    assert response.status_code == 400
    assert "This location is not one of the organisation&#x27;s sites." in response.content.decode()
    assert not Asset.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": ""}, "name"),
        ({"kind": "toaster"}, "kind"),
        ({"subtype": "tablet"}, "subtype"),
        ({"purchase_date": "2024-13-45"}, "purchase_date"),
        ({"memory_mb": "-1"}, "memory_mb"),
        ({"kind": "other", "custom_fields": "no colon here"}, "custom_fields"),
    ],
)
def test_bad_values_are_refused_beside_their_field(alice_client, acme, values, field):
    response = alice_client.post(NEW, _data(acme, **values))
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Asset.objects.exists()


def test_an_organisation_the_user_does_not_serve_is_not_a_choice(alice_client, globex):
    response = alice_client.post(NEW, _data(globex))
    assert response.status_code == 400
    assert 'id="id_organisation_error"' in response.content.decode()
    assert not Asset.objects.exists()


def test_editing_records_each_change_and_keeps_other_types_fields(alice_client, alice, acme):
    asset = make_asset(alice, acme, name="Old name", os_name="Windows 10", custom_fields={"a": "1"})
    form = alice_client.get(edit(asset)).content.decode()
    assert 'value="Old name"' in form and 'value="Windows 10"' in form
    data = _data(acme, name="New name", os_name="Windows 11", state="in_repair")
    assert alice_client.post(edit(asset), data).status_code == 302
    asset = reload(asset)
    assert (asset.name, asset.os_name, asset.state) == ("New name", "Windows 11", "in_repair")
    assert asset.custom_fields == {"a": "1"}  # not a field of a computer's form: left alone
    assert set(asset.events.values_list("field", flat=True)) == {"", "name", "os_name", "state"}


def test_changing_the_type_clears_a_subtype_that_no_longer_fits(alice_client, alice, acme):
    asset = make_asset(alice, acme, subtype="laptop")
    data = _data(acme, kind="monitor", subtype="laptop")
    assert alice_client.post(edit(asset), data).status_code == 302
    assert (reload(asset).kind, reload(asset).subtype) == ("monitor", "")


def test_an_edit_with_errors_keeps_what_was_typed(alice_client, alice, acme):
    asset = make_asset(alice, acme)
    response = alice_client.post(edit(asset), _data(acme, name="Typed", warranty_end="soon"))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="Typed"' in body and 'value="soon"' in body
    assert reload(asset).name == "PC-0412"


@pytest.mark.parametrize("who", ["dave_client", "charlie_client", "bob_client"])
def test_outsiders_cannot_open_or_post_the_forms(request, who, alice, acme):
    asset = make_asset(alice, acme)
    client = request.getfixturevalue(who)
    assert client.get(edit(asset)).status_code == 404
    assert client.post(edit(asset), _data(acme, name="stolen")).status_code == 404
    assert reload(asset).name == "PC-0412"


def test_requesters_cannot_create_assets(bob_client, acme):
    assert bob_client.get(NEW).status_code == 404
    assert bob_client.post(NEW, _data(acme)).status_code == 404
    assert not Asset.objects.exists()


def test_the_assigned_user_must_be_someone_the_user_may_see(alice_client, acme, globex):
    stranger = make_user("zoe", organisation=globex)
    response = alice_client.post(NEW, _data(acme, user=stranger.pk))
    assert response.status_code == 400
    assert 'id="id_user_error"' in response.content.decode()


def test_custom_fields_lines_are_parsed_and_written_back():
    assert parse_custom_fields("a: 1\nb:\n") == {"a": "1", "b": ""}
    assert format_custom_fields({"a": "1", "b": 2}) == "a: 1\nb: 2"
    for bad in ("just text", ": no name", "a: 1\na: 2", "x" * 101 + ": 1"):
        with pytest.raises(ValidationError):
            parse_custom_fields(bad)
