"""What every page reads of a signed-in reader (their account, follows, saves and mutes) is kept in each
process per reader generation, a row in the database: a page costs one small query for the reader, and a
change made anywhere (another process, another machine, the admin) shows on their very next page."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cupure.accounts.models import Profile, ReaderGeneration
from cupure.readers.models import Mute, Saved

from .personas import PASSWORD, outlet, publish, reader

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_page_reads_one_row_for_the_reader_and_sees_changes_made_elsewhere():
    art = publish(outlet("City Times", slug="city"), "Tram approved")
    ann = reader("ann")
    as_ann = signed_in(ann)
    assert "Read later</button>" in as_ann.get(f"/article/{art.pk}/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        page = as_ann.get(f"/article/{art.pk}/").content.decode()
    assert ">ann</a>" in page and "Read later</button>" in page
    read = [q["sql"] for q in queries.captured_queries if "auth_user" in q["sql"] or "readers_" in q["sql"]]
    assert read == [], read  # neither the account nor the follows, saves and mutes were read again
    assert sum("accounts_readergeneration" in q["sql"] for q in queries.captured_queries) == 1

    # Another process saves the article for ann: its row and the raised generation, nothing in this process.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO readers_saved (user_id, article_id, created_at) VALUES (%s, %s, CURRENT_TIMESTAMP)",
            [ann.pk, art.pk],
        )
    ReaderGeneration.bump(ann.pk)
    assert "Saved ✓" in as_ann.get(f"/article/{art.pk}/").content.decode()


def test_a_new_mute_and_a_hidden_source_hold_on_the_next_page():
    city = outlet("City Times", slug="city")
    art = publish(city, "Crypto exchange halts withdrawals")
    ann = reader("ann")
    as_ann = signed_in(ann)
    assert "Crypto exchange halts withdrawals" in as_ann.get("/").content.decode()
    Mute.objects.create(user=ann, phrase="crypto")
    assert "Crypto exchange halts withdrawals" not in as_ann.get("/").content.decode()
    Mute.objects.filter(user=ann).delete()
    assert "Crypto exchange halts withdrawals" in as_ann.get("/").content.decode()
    Mute.objects.create(user=ann, source=city)
    page = as_ann.get(f"/article/{art.pk}/").content.decode()
    assert "Show City Times again</button>" in page


def test_a_deactivated_reader_is_signed_out_on_the_next_page():
    ann = reader("ann")
    as_ann = signed_in(ann)
    assert ">ann</a>" in as_ann.get("/").content.decode()
    ann.is_active = False
    ann.save()  # as the admin does
    page = as_ann.get("/").content.decode()
    assert ">ann</a>" not in page and "Log in</a>" in page


def test_a_new_password_signs_out_the_readers_other_sessions():
    reader("ann")
    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        assert device.post("/accounts/login/", {"username": "ann", "password": PASSWORD}).status_code == 302
        assert ">ann</a>" in device.get("/").content.decode()
    new = "a new long passphrase"
    form = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    assert laptop.post("/accounts/password/", form).status_code == 302
    assert ">ann</a>" in laptop.get("/").content.decode()  # the session that changed it stays signed in
    assert ">ann</a>" not in phone.get("/").content.decode()


def test_an_id_given_again_is_a_new_reader():
    art = publish(outlet("City Times", slug="city"), "Tram approved")
    ann = reader("ann")
    Saved.objects.create(user=ann, article=art)
    page = signed_in(ann).get(f"/article/{art.pk}/").content.decode()
    assert ">ann</a>" in page and "Saved ✓" in page
    old = ann.pk
    ann.delete()
    # SQLite gives a deleted row's id to the next row: the new account must not be taken for the old one.
    bob = get_user_model().objects.create_user("bob", "bob@example.org", PASSWORD, id=old)
    Profile.objects.create(user=bob)
    page = signed_in(bob).get(f"/article/{art.pk}/").content.decode()
    assert ">bob</a>" in page and ">ann</a>" not in page and "Saved ✓" not in page
