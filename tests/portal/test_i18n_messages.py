"""Messages written in Python (flashes and form errors of the admin pages, the certificate
register, the webhook URL check) reach people in their language, like the templates' words."""

from __future__ import annotations

from tests.conftest import csrf_token, gen_user, login


def _german_admin(app, session):  # noqa: ANN001, ANN202
    admin = app.test_client()
    login(admin, gen_user(session, "admin").email)
    admin.set_cookie("lang", "de")   # the language switch's cookie
    return admin


def test_admin_page_messages_in_german(app, session):
    admin = _german_admin(app, session)
    page = admin.post("/admin/api-keys", data={"csrf_token": csrf_token(admin, "/admin/api-keys"), "name": "",
                                               "scope": "root"}).get_data(as_text=True)
    assert "Um einen Schlüssel anzulegen, geben Sie einen Namen mit 1 bis 100 Zeichen" in page
    assert "To create a key" not in page
    page = admin.post("/admin/webhooks", data={"csrf_token": csrf_token(admin, "/admin/webhooks"), "url": "",
                                               "events": ["passport.published"]}).get_data(as_text=True)
    assert "Nicht gespeichert: geben Sie die URL an." in page
    page = admin.post("/admin/webhooks", data={"csrf_token": csrf_token(admin, "/admin/webhooks"),
                                               "url": "ftp://example.com/hook",
                                               "events": ["passport.published"]}).get_data(as_text=True)
    assert "verwenden Sie eine http://- oder https://-URL mit einem Hostnamen" in page
    page = admin.post("/admin/oauth-clients", data={"csrf_token": csrf_token(admin, "/admin/oauth-clients"),
                                                    "name": "", "scope": "read"}).get_data(as_text=True)
    assert "Um einen Client anzulegen, geben Sie einen Namen mit 1 bis 90 Zeichen" in page


def test_browser_language_reaches_python_messages(app, session):
    """No cookie: the browser's Accept-Language decides, and English stays English."""
    admin = app.test_client()
    login(admin, gen_user(session, "admin").email)
    token = csrf_token(admin, "/admin/api-keys")
    german = admin.post("/admin/api-keys", data={"csrf_token": token, "name": "", "scope": "read"},
                        headers={"Accept-Language": "de-DE,de;q=0.9"}).get_data(as_text=True)
    assert "Um einen Schlüssel anzulegen" in german
    english = admin.post("/admin/api-keys", data={"csrf_token": token, "name": "", "scope": "read"},
                         headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "To create a key, give a name of 1 to 100 characters" in english


def test_serial_batch_and_gtin_problems_in_the_readers_language():
    import pytest

    from portal.i18n import language
    from portal.passports import serials
    from portal.passports.errors import StoreError
    from portal.passports.gtin import normalise_gtin
    with language("de"), pytest.raises(StoreError) as refused:
        serials.check(["A 1", "B2", "B2"])
    assert refused.value.message == "2 der Seriennummern sind nicht verwendbar; es wurde nichts angelegt."
    assert [d["message"] for d in refused.value.details] == [
        "„A 1“ ist keine GS1-Seriennummer: bis zu 20 Buchstaben, Ziffern oder GS1-Satzzeichen, ohne Leerzeichen "
        "oder Schrägstriche", "„B2“ steht zweimal in der Liste"]
    with language("fr"), pytest.raises(ValueError, match="un GTIN comporte 8, 12, 13 ou 14 chiffres"):
        normalise_gtin("12345")
