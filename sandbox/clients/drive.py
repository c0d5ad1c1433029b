"""Drives every login flow of the vendors' own Python clients against a
running `sesame sandbox --root code42`.

The clients are used unmodified and configured only (host, credentials,
TOTP); each flow prints one line, `ok` or `FAIL` with the reason, and the
exit status is non-zero when any flow failed. Run by `run.sh`, which makes
the virtual environment and starts the sandbox:

    python drive.py --base http://127.0.0.1:PORT

The fixture credentials come from the sandbox itself
(`GET /_sandbox/fixtures.json`).

TOTP codes are computed here (RFC 6238) for the sandbox's own clock, which
the flows move one step forward with `POST /_sandbox/clock` before each
TOTP login: the sandbox accepts a code once per user, so this stands in for
waiting 30 s, without sleeping.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import traceback
import urllib.request
import warnings

import py42.sdk  # turns DeprecationWarning on for everyone: off again below

warnings.resetwarnings()
warnings.simplefilter("ignore")

RESULTS = []


def flow(name):
    """Registers a flow; a flow returns a short detail or raises."""

    def register(fn):
        RESULTS.append((name, fn))
        return fn

    return register


class Ctx:
    def __init__(self, base, fx, venv_bin):
        self.base = base.rstrip("/")
        self.fx = fx
        self.bin = venv_bin
        self.bt_api = f"{self.base}/beyondtrust/BeyondTrust/api/public/v3"
        self.home = tempfile.mkdtemp(prefix="sesame-clients-")

    def clock(self, advance=None):
        """The sandbox clock (unix seconds), moved first when `advance` is set."""
        url = f"{self.base}/_sandbox/clock"
        if advance is None:
            request = urllib.request.Request(url)
        else:
            body = json.dumps({"advance_seconds": advance}).encode()
            request = urllib.request.Request(
                url, data=body, headers={"Content-Type": "application/json"}
            )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)["now"]

    def fresh_totp(self, secret):
        """A code for the next TOTP step of the sandbox clock, moved there."""
        return totp(secret, self.clock(advance=30))

    def run(self, args, stdin="", env=None):
        """Runs a client CLI from the venv; returns (status, stdout+stderr)."""
        full_env = dict(os.environ, HOME=self.home, **(env or {}))
        done = subprocess.run(
            [os.path.join(self.bin, args[0]), *args[1:]],
            input=stdin,
            capture_output=True,
            text=True,
            env=full_env,
            timeout=120,
        )
        return done.returncode, done.stdout + done.stderr


def totp(base32_secret, unix, step=30, digits=6):
    """RFC 6238 (SHA1) code for `unix`."""
    key = base64.b32decode(base32_secret.upper() + "=" * (-len(base32_secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", unix // step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


# --- py42 -----------------------------------------------------------------


@flow("py42 API client (POST /api/v3/oauth/token)")
def py42_api_client(c):
    import py42.sdk

    sdk = py42.sdk.from_api_client(
        c.base, c.fx["CODE42_CLIENT_ID"], c.fx["CODE42_CLIENT_SECRET"]
    )
    tenant = sdk.usercontext.get_current_tenant_id()
    expect(tenant == c.fx["CODE42_TENANT_UID"], f"tenant {tenant}")
    return f"tenant {tenant}"


@flow("py42 password")
def py42_password(c):
    import py42.sdk

    sdk = py42.sdk.from_local_account(
        c.base, c.fx["CODE42_USER"], c.fx["CODE42_PASSWORD"]
    )
    user = sdk.users.get_current()["username"]
    expect(user == c.fx["CODE42_USER"], f"current user {user}")
    return f"signed in as {user}"


@flow("py42 password + TOTP")
def py42_totp(c):
    import py42.sdk

    code = c.fresh_totp(c.fx["CODE42_TOTP_SECRET"])
    sdk = py42.sdk.from_local_account(
        c.base, c.fx["CODE42_TOTP_USER"], c.fx["CODE42_TOTP_PASSWORD"], totp=code
    )
    user = sdk.users.get_current()["username"]
    expect(user == c.fx["CODE42_TOTP_USER"], f"current user {user}")
    return f"signed in as {user}"


@flow("py42 missing TOTP is refused (LOCAL_2FA)")
def py42_missing_totp(c):
    import py42.sdk
    from py42.exceptions import Py42UnauthorizedError

    try:
        py42.sdk.from_local_account(
            c.base, c.fx["CODE42_TOTP_USER"], c.fx["CODE42_TOTP_PASSWORD"]
        )
    except Py42UnauthorizedError as err:
        expect("LoginConfig: LOCAL_2FA" in str(err), f"error: {err}")
        return "Py42UnauthorizedError, LoginConfig: LOCAL_2FA"
    raise AssertionError("login without TOTP succeeded")


@flow("py42 reused TOTP is refused")
def py42_reused_totp(c):
    import py42.sdk
    from py42.exceptions import Py42UnauthorizedError

    code = c.fresh_totp(c.fx["CODE42_TOTP_SECRET"])
    user, password = c.fx["CODE42_TOTP_USER"], c.fx["CODE42_TOTP_PASSWORD"]
    py42.sdk.from_local_account(c.base, user, password, totp=code)
    try:
        py42.sdk.from_local_account(c.base, user, password, totp=code)
    except Py42UnauthorizedError:
        return "second login with the same code: 401"
    raise AssertionError("the same TOTP code was accepted twice")


# --- code42cli --------------------------------------------------------------

CODE42_ENV = {"PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring"}


def code42(c, *args, stdin="y\n"):
    """code42cli; `y` answers its offer to store secrets in a flat file."""
    return c.run(["code42", *args], stdin=stdin, env=CODE42_ENV)


@flow("code42cli API client")
def code42cli_api_client(c):
    status, out = code42(
        c, "profile", "create-api-client", "-n", "api", "--server", c.base,
        "--api-client-id", c.fx["CODE42_CLIENT_ID"],
        "--secret", c.fx["CODE42_CLIENT_SECRET"],
    )  # fmt: skip
    expect(status == 0 and "Successfully created profile" in out, out)
    status, out = code42(c, "users", "list", "--profile", "api", "-f", "CSV")
    expect(status == 0 and c.fx["CODE42_USER"] in out, out)
    return "profile created, users list"


@flow("code42cli password")
def code42cli_password(c):
    status, out = code42(
        c, "profile", "create", "-n", "pw", "--server", c.base,
        "-u", c.fx["CODE42_USER"], "--password", c.fx["CODE42_PASSWORD"],
    )  # fmt: skip
    expect(status == 0 and "Successfully created profile" in out, out)
    status, out = code42(c, "users", "list", "--profile", "pw", "-f", "CSV")
    expect(status == 0 and c.fx["CODE42_TOTP_USER"] in out, out)
    return "profile created, users list"


@flow("code42cli password + TOTP")
def code42cli_totp(c):
    code = c.fresh_totp(c.fx["CRASHPLAN_TOTP_SECRET"])
    status, out = code42(
        c, "profile", "create", "-n", "totp", "--server", c.base,
        "-u", c.fx["CRASHPLAN_USER"], "--password", c.fx["CRASHPLAN_PASSWORD"],
        "--totp", code,
    )  # fmt: skip
    expect(status == 0 and "Successfully created profile" in out, out)
    return "profile created"


@flow("code42cli missing TOTP asks for one")
def code42cli_missing_totp(c):
    status, out = code42(
        c, "profile", "create", "-n", "nototp", "--server", c.base,
        "-u", c.fx["CODE42_TOTP_USER"], "--password", c.fx["CODE42_TOTP_PASSWORD"],
        stdin="",
    )  # fmt: skip
    expect(status != 0, f"exit {status}: {out}")
    expect("Multi-factor authentication required" in out, out)
    expect("Password not stored" in out, out)
    return "prompts 'Multi-factor authentication required', password not stored"


# --- incydr -----------------------------------------------------------------


@flow("incydr API client (POST /v1/oauth)")
def incydr_api_client(c):
    import incydr

    client = incydr.Client(
        url=c.base,
        api_client_id=c.fx["CODE42_CLIENT_ID"],
        api_client_secret=c.fx["CODE42_CLIENT_SECRET"],
    )
    expect(client.tenant_id == c.fx["CODE42_TENANT_UID"], client.tenant_id)
    users = client.users.v1.get_page()
    expect(users.total_count == 3, users)
    devices = client.devices.v1.get_page()
    expect(len(devices.devices) == 3, devices)
    return f"tenant_id, {users.total_count} users, {len(devices.devices)} devices"


@flow("incydr CLI API client")
def incydr_cli(c):
    env = {
        "INCYDR_URL": c.base,
        "INCYDR_API_CLIENT_ID": c.fx["CODE42_CLIENT_ID"],
        "INCYDR_API_CLIENT_SECRET": c.fx["CODE42_CLIENT_SECRET"],
    }
    status, out = c.run(["incydr", "users", "list", "-f", "json-lines"], env=env)
    expect(status == 0 and c.fx["CODE42_USER"] in out, out)
    return "users list"


# --- BeyondTrust ------------------------------------------------------------


def bt_session(c, **credentials):
    """Signs in with the official library; returns its Authentication."""
    import requests
    from secrets_safe_library.authentication import Authentication

    auth = Authentication(
        req=requests.Session(), api_url=c.bt_api, verify_ca=False, **credentials
    )
    response = auth.get_api_access()
    expect(response.status_code == 200, f"SignAppIn {response.status_code}")
    return auth, response.json()["UserName"]


def bt_use_and_sign_out(auth):
    """Reads resources in the session, signs out, checks the session ended."""
    from secrets_safe_library.exceptions import LookupError as BtLookupError
    from secrets_safe_library.managed_account import ManagedAccount
    from secrets_safe_library.managed_systems import ManagedSystem

    systems = ManagedSystem(auth).get_managed_systems()
    accounts = ManagedAccount(auth).get_managed_accounts()
    expect(len(systems) == 2 and len(accounts) == 2, (systems, accounts))
    expect(auth.sign_app_out() is True, "Signout did not answer 200")
    try:
        ManagedSystem(auth).get_managed_systems()
    except BtLookupError:
        return f"{len(systems)} systems, {len(accounts)} accounts, signed out"
    raise AssertionError("the session still worked after Signout")


@flow("bips-library OAuth + SignAppIn + Signout")
def bt_oauth(c):
    auth, user = bt_session(
        c,
        client_id=c.fx["BEYONDTRUST_CLIENT_ID"],
        client_secret=c.fx["BEYONDTRUST_CLIENT_SECRET"],
    )
    return f"{user}: {bt_use_and_sign_out(auth)}"


@flow("bips-library PS-Auth without pwd")
def bt_ps_auth(c):
    key = f"{c.fx['BEYONDTRUST_PS_KEY']};runas={c.fx['BEYONDTRUST_RUNAS']};"
    auth, user = bt_session(c, api_key=key)
    return f"{user}: {bt_use_and_sign_out(auth)}"


@flow("bips-library PS-Auth with pwd")
def bt_ps_auth_pwd(c):
    key = (
        f"{c.fx['BEYONDTRUST_PS_KEY']};runas={c.fx['BEYONDTRUST_RUNAS']};"
        f"pwd=[{c.fx['BEYONDTRUST_RUNAS_PASSWORD']}];"
    )
    auth, user = bt_session(c, api_key=key)
    return f"{user}: {bt_use_and_sign_out(auth)}"


@flow("bips-library wrong pwd is refused")
def bt_ps_auth_wrong_pwd(c):
    import requests
    from secrets_safe_library.authentication import Authentication

    key = f"{c.fx['BEYONDTRUST_PS_KEY']};runas={c.fx['BEYONDTRUST_RUNAS']};pwd=[wrong];"
    auth = Authentication(req=requests.Session(), api_url=c.bt_api, api_key=key)
    status = auth.get_api_access().status_code
    expect(status == 401, f"SignAppIn {status}")
    return "SignAppIn 401"


@flow("ps-cli OAuth + managed-systems list")
def bt_cli(c):
    settings = os.path.join(c.home, "pscli-settings.ini")
    env = {
        "PSCLI_SETTINGS_PATH": settings,
        "PSCLI_API_URL": c.bt_api,
        "PSCLI_CLIENT_ID": c.fx["BEYONDTRUST_CLIENT_ID"],
        "PSCLI_CLIENT_SECRET": c.fx["BEYONDTRUST_CLIENT_SECRET"],
    }
    status, out = c.run(["ps-cli", "settings", "initialize-settings"], env=env)
    expect(status == 0, out)
    status, out = c.run(
        ["ps-cli", "--format", "json", "managed-systems", "list"], env=env
    )
    expect(status == 0 and "sandbox-db01" in out, out)
    return "managed-systems list"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="http://127.0.0.1:PORT")
    args = parser.parse_args()
    url = f"{args.base.rstrip('/')}/_sandbox/fixtures.json"
    with urllib.request.urlopen(url, timeout=10) as response:
        fixtures = json.load(response)
    ctx = Ctx(args.base, fixtures, os.path.dirname(sys.executable))
    failed = 0
    for name, fn in RESULTS:
        try:
            detail = fn(ctx)
            print(f"ok    {name}: {detail}", flush=True)
        except Exception as err:  # every failure is reported, then counted
            failed += 1
            reason = " ".join(str(err).split())[:300] or type(err).__name__
            print(f"FAIL  {name}: {type(err).__name__}: {reason}", flush=True)
            if os.environ.get("SESAME_CLIENTS_TRACE"):
                traceback.print_exc()
    print(f"{len(RESULTS) - failed}/{len(RESULTS)} flows passed")
    shutil.rmtree(ctx.home, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
