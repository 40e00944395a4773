"""Several machines: two app servers (gunicorn, production settings) on one PostgreSQL, one object store and
two task workers, all started here, as a member state would run them behind a proxy.

A person logged in on one server is logged in on the other; a document uploaded through one is downloaded
through the other; the PDF the task worker renders after a step is served by both; and of two workers polling
one queue, each task is run by exactly one. Marked `servers`: `make test` runs it once, in its own step.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import boto3
import psycopg
import pytest
import requests

pytestmark = pytest.mark.servers

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
GUNICORN = str(Path(PY).parent / "gunicorn")
BUCKET = "opencoi-servers"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n% uploaded through server A\n"
PASSWORD = "two-servers-password-1"
TASKS = 30

# Run by one `manage.py shell` (each start of Django costs seconds): the shared database migrated, the guide's
# actors, a complete draft by the exporter.
SETUP = """
import json
from django.core.management import call_command
from django.test import override_settings
call_command("migrate", "--noinput", verbosity=0)
call_command("createcachetable")
with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
    from certificates.tests.conftest import build_world
    world = build_world()
from certificates.services import create_draft
coi, _ = create_draft(
    world.person(world.exporter), world.membership(world.exporter), world.complete_data(), form=world.form
)
world.exporter.set_password({password!r})
world.exporter.save()
print(json.dumps({{"coi": coi.pk, "email": world.exporter.email}}))
"""
ENQUEUE = """
from django.db import transaction
from core.tasks import send_email
with transaction.atomic():
    for i in range({count}):
        send_email.enqueue("ops@example.org", f"two-servers #{{i}}", "once")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], Any], seconds: float, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class Inbox:
    def __init__(self) -> None:
        self.subjects: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.subjects.append(str(message_from_bytes(envelope.content, policy=policy.default)["Subject"]))
        return "250 Message accepted for delivery"


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    """A database of its own: on the PostgreSQL server of DATABASE_URL when one is given (as in `make test`),
    otherwise in a throwaway cluster from scripts/pg.sh."""
    server = os.environ.get("DATABASE_URL", "")
    if server.startswith(("postgres://", "postgresql://")):
        name = f"opencoi_servers_{secrets.token_hex(4)}"
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
        finally:
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return
    out = subprocess.run([str(ROOT / "scripts" / "pg.sh"), "start"], capture_output=True, text=True, check=True)
    found = dict(re.findall(r"(PGTEST_\w+)=([^;]+);", out.stdout))
    try:
        yield found["PGTEST_URL"]
    finally:
        subprocess.run([str(ROOT / "scripts" / "pg.sh"), "stop", found["PGTEST_DIR"]], check=False)


@pytest.fixture(scope="module")
def object_store() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    s3(endpoint).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    yield endpoint
    server.stop()


@pytest.fixture(scope="module")
def inbox() -> Iterator[tuple[Inbox, int]]:
    from aiosmtpd.controller import Controller

    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


def s3(endpoint: str) -> Any:
    return boto3.client(
        "s3", endpoint_url=endpoint, region_name="eu-west-3", aws_access_key_id="opencoi",
        aws_secret_access_key="opencoi-secret",
    )  # fmt: skip


@pytest.fixture(scope="module")
def deployment(postgres: str, object_store: str, inbox: tuple[Inbox, int], tmp_path_factory: Any) -> Iterator[dict]:
    """The environment every process of the deployment shares, the data, and the two servers' addresses."""
    var = tmp_path_factory.mktemp("var")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_", "PYTEST", "S3_", "DATABASE"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "opencoi.settings",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DEBUG": "0",
        # Templates find static files without collectstatic's manifest (whitenoise serves them from the apps).
        "TESTING": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": postgres,
        "VAR_DIR": str(var),
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": object_store,
        "S3_REGION": "eu-west-3",
        "S3_ACCESS_KEY_ID": "opencoi",
        "S3_SECRET_ACCESS_KEY": "opencoi-secret",
        "EMAIL_URL": f"smtp://127.0.0.1:{inbox[1]}",
        "PDF_PRERENDER": "1",
        "LOG_LEVEL": "WARNING",
    })  # fmt: skip

    def manage(*args: str) -> str:
        done = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    data = json.loads(manage("shell", "-c", SETUP.format(password=PASSWORD)).strip().splitlines()[-1])
    processes: list[subprocess.Popen[bytes]] = []
    logs = var / "logs"
    logs.mkdir()

    def start(name: str, *command: str) -> None:
        log = (logs / f"{name}.log").open("wb")
        processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))

    ports = [free_port(), free_port()]
    for i, port in enumerate(ports):
        start(f"web{i}", GUNICORN, "opencoi.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1")
    for worker in ("worker-a", "worker-b"):
        start(worker, PY, "manage.py", "db_worker", "--worker-id", worker, "--interval", "0.2", "--no-startup-delay")
    try:
        for port in ports:
            wait_for(lambda p=port: _answers(f"http://127.0.0.1:{p}/healthz"), 90, f"server on {port}")
        yield {"manage": manage, "database": postgres, "servers": [f"http://127.0.0.1:{p}" for p in ports], **data}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _log_in(session: requests.Session, server: str, email: str) -> None:
    session.get(f"{server}/accounts/login/", timeout=10)
    response = session.post(
        f"{server}/accounts/login/",
        data={"login": email, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:500]


def _post(session: requests.Session, url: str, **kwargs: Any) -> requests.Response:
    data = {**kwargs.pop("data", {}), "csrfmiddlewaretoken": session.cookies["csrftoken"]}
    return session.post(url, data=data, allow_redirects=False, timeout=30, **kwargs)


def test_it_serves_one_deployment_from_two_app_servers(deployment: dict, object_store: str) -> None:
    a, b = deployment["servers"]
    coi = deployment["coi"]
    person = requests.Session()

    # A session started on A is valid on B (sessions live in the shared database).
    _log_in(person, a, deployment["email"])
    page = person.get(f"{b}/certificates/{coi}/", timeout=30)
    assert page.status_code == 200 and "Certificate of inspection" in page.text
    assert requests.get(f"{b}/certificates/{coi}/", timeout=10, allow_redirects=False).status_code == 302

    # A document uploaded through A is downloaded through B.
    upload = _post(
        person, f"{a}/certificates/{coi}/documents/",
        data={"type": "other", "reference": "INV-1", "date": "2025-03-01", "issuer": "Atlas", "description": "Invoice"},
        files={"file": ("invoice.pdf", PDF, "application/pdf")},
    )  # fmt: skip
    assert upload.status_code == 302
    link = re.search(rf'href="(/certificates/{coi}/documents/\d+/)"', person.get(f"{a}/certificates/{coi}/").text)
    assert link, "the uploaded document is listed on the page"
    download = person.get(f"{b}{link.group(1)}", timeout=30)
    assert download.status_code == 200 and download.content == PDF

    # Submitting through B: the task worker renders the new version's PDF into the store; both servers serve it.
    assert _post(person, f"{b}/certificates/{coi}/submit/").status_code == 302
    store = s3(object_store)

    def stored() -> dict[str, bytes]:
        keys = [o["Key"] for o in store.list_objects_v2(Bucket=BUCKET, Prefix=f"coi-pdf/{coi}/").get("Contents", [])]
        if len(keys) < 2:
            return {}
        return {k: store.get_object(Bucket=BUCKET, Key=k)["Body"].read() for k in keys}

    pdfs = wait_for(stored, 45, "the worker's PDFs in the store")
    from_a = person.get(f"{a}/certificates/{coi}/pdf", timeout=30)
    from_b = person.get(f"{b}/certificates/{coi}/pdf", timeout=30)
    assert from_a.status_code == from_b.status_code == 200
    assert from_a.content == from_b.content and from_a.content in pdfs.values()
    assert len(stored()) == 2, "served from the store, not rendered again beside it"


def test_two_workers_never_run_one_task_twice(deployment: dict, inbox: tuple[Inbox, int]) -> None:
    handler, _port = inbox
    deployment["manage"]("shell", "-c", ENQUEUE.format(count=TASKS))
    ours = lambda: [s for s in handler.subjects if s.startswith("two-servers #")]  # noqa: E731
    wait_for(lambda: len(ours()) >= TASKS, 45, f"{TASKS} emails")
    time.sleep(1)  # a task run twice would arrive late
    assert sorted(ours()) == sorted(f"two-servers #{i}" for i in range(TASKS))
    with psycopg.connect(deployment["database"]) as conn:
        runs = conn.execute(
            "SELECT worker_ids, status FROM django_tasks_database_dbtaskresult WHERE args_kwargs::text LIKE %s",
            ["%two-servers #%"],
        ).fetchall()
    assert len(runs) == TASKS
    assert all(len(worker_ids) == 1 and status == "SUCCESSFUL" for worker_ids, status in runs)
