import pytest
from django.test import override_settings

from vms import crypto
from vms.keys import new_credentials_key


def test_it_encrypts_so_the_plain_password_is_not_stored() -> None:
    token = crypto.encrypt("camera-pass")
    assert "camera-pass" not in token
    assert crypto.decrypt(token) == "camera-pass"


def test_it_decrypts_with_an_older_key_after_rotation() -> None:
    old, new = new_credentials_key(), new_credentials_key()
    with override_settings(VMS_CREDENTIALS_KEY=old):
        token = crypto.encrypt("camera-pass")
    with override_settings(VMS_CREDENTIALS_KEY=f"{new},{old}"):
        assert crypto.decrypt(token) == "camera-pass"


def test_a_lost_key_gives_a_clear_error() -> None:
    with override_settings(VMS_CREDENTIALS_KEY=new_credentials_key()):
        token = crypto.encrypt("camera-pass")
    with pytest.raises(crypto.CredentialsKeyError, match="VMS_CREDENTIALS_KEY changed"):
        crypto.decrypt(token)
