"""One deployment for every fault test (`test_faults*.py`, marker `servers`), started once per session, so
that `make test`'s servers step pays for one setup: a PostgreSQL cluster of its own (which a test may stop
and start again), an S3 object store (a moto server on a fixed port, which a test may stop and start again;
its objects are kept meanwhile), a mail server (aiosmtpd), gunicorn on production settings plus the test-only
answer hold (`core/tests/fault_settings.py`), and the task worker, started by the test that needs it.
The data: the guide's actors (`certificates/tests/conftest.py`'s world) and, per test, its own COIs.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
import requests

from core.tests.test_several_servers import GUNICORN, PASSWORD, PY, ROOT, free_port, s3, wait_for

THREADS = 16  # per gunicorn worker: more than the requests held at once, which the kernel may all hand to one
PGBIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1] if Path("/usr/lib/postgresql").exists() else Path()
BUCKET = "opencoi-faults"
SECRET = "JBSWY3DPEHPK3PXP"  # every signer's TOTP secret (each signer has their own used codes)
# How many COIs each fault test has: drafts (to submit, attach to) and submitted COIs (to sign box 18).
DRAFTS = {"kill": 8 + 1, "upload": 1, "render": 2, "remove": 3, "worker": 2}
SIGNS = 4 + 1  # the kill test's signatures, and its reference one

SETUP = """
import json
from django.core.management import call_command
from django.test import override_settings
call_command("migrate", "--noinput", verbosity=0)
call_command("createcachetable")
with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
    from certificates.tests.conftest import build_world
    from certificates.tests.factories import member_of
    world = build_world()
    body = world.membership(world.control_body).control_body_code
    signers = [member_of(body, email=f"signer{{i}}@ecocert.example") for i in range({signs})]
    french = member_of(world.atlas, email="fr@atlas.example", language="fr")
french.set_password({password!r})  # with the deployment's own hasher, which its logins check
french.save()
from accounts.models import ApiToken
from accounts.two_factor import activate_totp
from certificates.services import create_draft
def draft():
    return create_draft(world.person(world.exporter), world.membership(world.exporter), world.complete_data(),
                        form=world.form)[0].pk
drafts = {{name: [draft() for _ in range(count)] for name, count in {drafts!r}.items()}}
submitted = [world.submitted("exporter").pk for _ in signers]
for user in signers:
    activate_totp(user, {secret!r})
tokens = {{"en": ApiToken.issue(world.exporter, "faults")[1], "fr": ApiToken.issue(french, "faults")[1]}}
print(json.dumps({{"drafts": drafts, "token": tokens["en"], "tokens": tokens, "exporter": world.atlas.pk,
                  "submitted": submitted, "signer_tokens": [ApiToken.issue(u, "faults")[1] for u in signers],
                  "email": french.email}}))
"""


class Cluster:
    """A PostgreSQL cluster on a fixed port that the test may stop and start again."""

    def __init__(self) -> None:
        self.port = free_port()
        out = subprocess.run(
            [str(ROOT / "scripts" / "pg.sh"), "start"], capture_output=True, text=True, check=True,
            env={**os.environ, "PGTEST_PORT": str(self.port)},
        )  # fmt: skip
        found = dict(re.findall(r"(PGTEST_\w+)=([^;]+);", out.stdout))
        self.dir, self.url = found["PGTEST_DIR"], found["PGTEST_URL"]
        self.run = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []

    def stop(self) -> None:
        subprocess.run([*self.run, str(PGBIN / "pg_ctl"), "-D", f"{self.dir}/data", "-m", "fast", "-w", "stop"],
                       check=True, capture_output=True)  # fmt: skip

    def start(self) -> None:
        options = f"-k {self.dir} -c listen_addresses=127.0.0.1 -p {self.port} -c fsync=off"
        subprocess.run(
            [*self.run, str(PGBIN / "pg_ctl"), "-D", f"{self.dir}/data", "-l", f"{self.dir}/log", "-w",
             "-o", options, "start"], check=True, capture_output=True,
        )  # fmt: skip

    def remove(self) -> None:
        subprocess.run([str(ROOT / "scripts" / "pg.sh"), "stop", self.dir], check=False)


class Store:
    """A moto S3 server on a fixed port that the test may stop and start again (its objects are kept in this
    process meanwhile)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.server: Any = None
        self.up()
        s3(self.endpoint).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})

    def up(self) -> None:
        from moto.server import ThreadedMotoServer

        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()

    def down(self) -> None:
        self.server.stop()

    def keys(self, prefix: str = "") -> list[str]:
        found = s3(self.endpoint).list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])
        return [o["Key"] for o in found]


class Inbox:
    """The mail server's handler: each message it accepted (its 250 answer sent). With `hold` seconds set, it
    waits that long before answering the message's DATA; a message whose sender is gone by then (killed)
    was never accepted, as a real mail server would have it."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []  # (recipients, subject)
        self.hold = 0.0
        self.holding = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        import asyncio

        if self.hold:
            self.holding += 1
            try:
                await asyncio.sleep(self.hold)  # cancelled when the sender's connection is lost
            finally:
                self.holding -= 1
            if server.transport is None or server.transport.is_closing():
                return "451 The sender is gone"
        subject = str(message_from_bytes(envelope.content, policy=policy.default)["Subject"]).strip()
        self.messages.append((",".join(envelope.rcpt_tos), subject))
        return "250 Message accepted for delivery"


@pytest.fixture(scope="session")
def fault_cluster() -> Iterator[Cluster]:
    found = Cluster()
    yield found
    found.remove()


@pytest.fixture(scope="session")
def fault_store() -> Iterator[Store]:
    found = Store()
    yield found
    found.down()


@pytest.fixture(scope="session")
def fault_inbox() -> Iterator[tuple[Inbox, int]]:
    from aiosmtpd.controller import Controller

    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


def _status(url: str) -> int:
    try:
        return requests.get(url, timeout=3).status_code
    except requests.RequestException:
        return 0


@pytest.fixture(scope="session")
def fault_site(
    fault_cluster: Cluster, fault_store: Store, fault_inbox: tuple[Inbox, int], tmp_path_factory: Any
) -> Iterator[dict]:
    """The deployment: `url`, `start()`/`kill()` of the app server (SIGKILL of its master and workers),
    `worker(*args)` starts a task worker (`manage.py db_worker`), `db` the database's URL, and the data."""
    var = tmp_path_factory.mktemp("fault-var")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_", "PYTEST", "S3_", "DATABASE"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "core.tests.fault_settings", "SECRET_KEY": secrets.token_urlsafe(40),
        "DEBUG": "0", "TESTING": "1", "ALLOWED_HOSTS": "127.0.0.1", "DATABASE_URL": fault_cluster.url,
        "VAR_DIR": str(var), "S3_BUCKET": BUCKET, "S3_ENDPOINT_URL": fault_store.endpoint, "S3_REGION": "eu-west-3",
        "S3_ACCESS_KEY_ID": "opencoi", "S3_SECRET_ACCESS_KEY": "opencoi-secret",
        "EMAIL_URL": f"smtp://127.0.0.1:{fault_inbox[1]}", "PDF_PRERENDER": "1", "STORE_RETRY_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
    })  # fmt: skip
    setup = SETUP.format(drafts=DRAFTS, signs=SIGNS, secret=SECRET, password=PASSWORD)
    done = subprocess.run([PY, "manage.py", "shell", "-c", setup], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(done.stdout.strip().splitlines()[-1])
    port = free_port()
    server: dict[str, Any] = {}

    def start() -> None:
        log = (var / "web.log").open("ab")
        server["process"] = subprocess.Popen(
            [GUNICORN, "opencoi.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2",
             "--threads", str(THREADS)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        wait_for(lambda: _status(f"http://127.0.0.1:{port}/healthz") == 200, 90, "the app server")

    def kill() -> None:
        os.killpg(server["process"].pid, signal.SIGKILL)  # the master and its workers, no goodbye
        server["process"].wait()

    def worker(*args: str) -> subprocess.Popen[bytes]:
        log = (var / "worker.log").open("ab")
        command = [PY, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2", *args]
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)

    start()
    try:
        yield {"url": f"http://127.0.0.1:{port}", "start": start, "kill": kill, "worker": worker,
               "db": fault_cluster.url, "var": var, **data}  # fmt: skip
    finally:
        if server["process"].poll() is None:
            kill()
