"""The object store down (issue 26 point 1), with real processes (the deployment of core/tests/conftest.py:
gunicorn on production settings with an S3 store, a moto server stopped and started again on the same port
keeping its bucket, PostgreSQL, the task worker) and clients over HTTP.

- Uploads while the store is down are refused (503, `Retry-After`, a message in the caller's language, at the
  page's file field) and record nothing; the same requests, retried once it is back, attach each file once.
- Steps taken while the store is down queue their PDF renders; the worker finds the store down, queues them
  again, and keeps every PDF once it is back; a PDF asked for meanwhile is rendered and handed out.
- A document's removal killed before its commit leaves the row and its file (the file goes only once the
  removal is committed, by the worker).
No document row ever names a file missing from the store. Figures are printed. Marked `servers`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import psycopg
import pytest
import requests

from core.tests.conftest import DRAFTS, Store
from core.tests.test_several_servers import PDF, _log_in, _post, wait_for

pytestmark = pytest.mark.servers
UPLOADS = 8  # concurrent uploads while the store is down
RENDERS = DRAFTS["render"]  # submissions (each queues its PDFs) while the store is down
REMOVALS = DRAFTS["remove"]  # document removals killed before their commit
EN = "The document store cannot be reached right now: nothing was saved. Try again in a few minutes."
FR = "Le stockage des documents est injoignable pour le moment : rien n’a été enregistré. Réessayez dans quelques minutes."  # noqa: E501
FIELDS = {"type": "other", "reference": "INV-1", "date": "2025-03-01", "issuer": "Atlas", "description": "Invoice"}


@pytest.fixture
def site(fault_site: dict) -> dict:
    return fault_site


@pytest.fixture
def store(fault_store: Store) -> Store:
    return fault_store


def _api(site: dict, key: str, language: str = "en") -> dict[str, str]:
    """As the exporter (who reads English) or their French colleague: the API answers in its caller's language."""
    return {"Authorization": f"Bearer {site['tokens'][language]}", "Idempotency-Key": key}


def _all(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls at the same time; each one's answer, or the exception it raised."""
    answers: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        try:
            answers[i] = calls[i]()
        except requests.RequestException as lost:
            answers[i] = lost

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def _documents(site: dict, cois: list[int]) -> list[tuple[int, str]]:
    with psycopg.connect(site["db"]) as conn:
        query = "SELECT id, file FROM certificates_document WHERE certificate_id = ANY(%s) ORDER BY id"
        return [(pk, name) for pk, name in conn.execute(query, [cois]).fetchall()]


def _rows_without_file(site: dict, store: Store) -> list[int]:
    """Every document row (of the whole database) whose file the store does not hold."""
    with psycopg.connect(site["db"]) as conn:
        rows = conn.execute("SELECT id, file FROM certificates_document").fetchall()
    held = set(store.keys())
    return [pk for pk, name in rows if name not in held]


def _upload(site: dict, coi: int, i: int, language: str) -> requests.Response:
    return requests.post(
        f"{site['url']}/api/v1/certificates/{coi}/documents", headers=_api(site, f"upload-{coi}-{i}", language),
        data={**FIELDS, "reference": f"INV-{i}"}, files={"file": (f"invoice-{i}.pdf", PDF, "application/pdf")},
        timeout=60,
    )  # fmt: skip


def test_it_refuses_uploads_while_the_store_is_down_records_nothing_and_takes_them_once_it_is_back(
    site: dict, store: Store
) -> None:
    coi = site["drafts"]["upload"][0]
    person = requests.Session()
    _log_in(person, site["url"], site["email"])
    languages = ["en", "fr"] * (UPLOADS // 2)
    store.down()
    try:
        refused = _all([lambda i=i: _upload(site, coi, i, languages[i]) for i in range(UPLOADS)])
        page = _post(person, f"{site['url']}/certificates/{coi}/documents/", data=FIELDS,
                     files={"file": ("invoice.pdf", PDF, "application/pdf")})  # fmt: skip
        recorded_while_down = len(_documents(site, [coi]))
    finally:
        store.up()
    retried = _all([lambda i=i: _upload(site, coi, i, languages[i]) for i in range(UPLOADS)])
    rows = _documents(site, [coi])
    missing = _rows_without_file(site, store)
    print(
        f"uploads tried {UPLOADS} (+1 page) with the store down: answered {sorted({getattr(a, 'status_code', 0) for a in refused})}, "  # noqa: E501
        f"recorded {recorded_while_down}; retried once it was back: {sum(a.status_code == 201 for a in retried)} attached, "  # noqa: E501
        f"rows {len(rows)}, doubled {max(0, len(rows) - UPLOADS)}, rows naming a missing file {len(missing)}"
    )
    for answer, language in zip(refused, languages, strict=True):
        assert answer.status_code == 503, getattr(answer, "text", answer)
        assert answer.json() == {"detail": EN if language == "en" else FR, "code": "store_unavailable"}
        assert answer.headers.get("Retry-After")
    assert page.status_code == 503 and page.headers.get("Retry-After")
    assert FR in page.text and 'value="INV-1"' in page.text  # at the file field, with what was typed kept
    assert recorded_while_down == 0
    assert [a.status_code for a in retried] == [201] * UPLOADS
    assert len(rows) == UPLOADS and not missing


def test_it_keeps_the_pdfs_of_steps_taken_while_the_store_was_down_once_it_is_back(site: dict, store: Store) -> None:
    cois = site["drafts"]["render"]
    with psycopg.connect(site["db"]) as conn:
        conn.execute("DELETE FROM django_tasks_database_dbtaskresult")
    person = requests.Session()
    _log_in(person, site["url"], site["email"])
    store.down()
    try:
        submitted = _all([
            lambda pk=pk: requests.post(f"{site['url']}/api/v1/certificates/{pk}/submit",
                                        headers=_api(site, f"submit-{pk}"), timeout=60)
            for pk in cois
        ])  # fmt: skip
        printed = person.get(f"{site['url']}/certificates/{cois[0]}/pdf", timeout=60)
        queued = _tasks(site, "READY")
        # The worker tries each queued render, finds the store down, and queues it again (no task fails).
        worker = site["worker"]()
        try:
            wait_for(lambda: _tasks(site, "SUCCESSFUL") >= queued, 90, "each render tried while the store is down")
            while_down = {status: _tasks(site, status) for status in ("READY", "FAILED", "SUCCESSFUL")}
        except BaseException:
            worker.terminate()
            raise
    finally:
        store.up()
    try:
        kept = wait_for(
            lambda: all(len(store.keys(f"coi-pdf/{pk}/")) == 2 for pk in cois) and _tasks(site, "READY") == 0,
            90, "the PDFs kept once the store is back",
        )  # fmt: skip
    except AssertionError:
        kept = False
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    failed = _tasks(site, "FAILED")
    files = {pk: sorted(k.rsplit("/", 1)[1].split("-")[0] for k in store.keys(f"coi-pdf/{pk}/")) for pk in cois}
    print(
        f"steps with the store down {RENDERS}: renders queued {queued}, tried while down {while_down['SUCCESSFUL']}"
        f" (queued again {while_down['READY']}, failed {while_down['FAILED']}, kept 0: the store was down); once"
        f" back: PDFs kept {sum(len(v) for v in files.values())} of {2 * RENDERS}, tasks failed {failed}"
    )
    assert [a.status_code for a in submitted] == [200] * RENDERS
    assert printed.status_code == 200 and printed.content.startswith(b"%PDF"), printed.text[:300]
    assert queued >= RENDERS and while_down["FAILED"] == 0 and while_down["READY"] >= RENDERS
    assert kept and files == {pk: ["en", "fr"] for pk in cois} and failed == 0


def _tasks(site: dict, status: str, path: str = "pdf_store.prerender") -> int:
    with psycopg.connect(site["db"]) as conn:
        query = "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = %s AND task_path LIKE %s"
        return int(conn.execute(query, [status, f"%{path}"]).fetchone()[0])


def test_it_keeps_a_documents_file_until_its_removal_is_committed(site: dict, store: Store) -> None:
    cois = site["drafts"]["remove"]
    attached = [_upload(site, coi, 0, "en") for coi in cois]
    assert [a.status_code for a in attached] == [201] * REMOVALS
    documents = {coi: answer.json()["id"] for coi, answer in zip(cois, attached, strict=True)}
    with psycopg.connect(site["db"]) as conn:
        conn.execute("DELETE FROM django_tasks_database_dbtaskresult")

    def remove(coi: int) -> requests.Response:
        return requests.delete(f"{site['url']}/api/v1/certificates/{coi}/documents/{documents[coi]}",
                               headers=_api(site, f"remove-{coi}"), timeout=60)  # fmt: skip

    # Each removal waits inside its transaction for its document's row, which this test keeps locked.
    lock = psycopg.connect(site["db"])
    lock.execute("SELECT id FROM certificates_document WHERE id = ANY(%s) FOR UPDATE", [list(documents.values())])
    waiting = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
    answers: list[Any] = []
    thread = threading.Thread(target=lambda: answers.extend(_all([lambda c=c: remove(c) for c in cois])))
    thread.start()
    with psycopg.connect(site["db"]) as conn:
        try:
            wait_for(lambda: conn.execute(waiting).fetchone()[0] >= REMOVALS, 60, "the removals waiting for their row")
        except AssertionError:
            activity = "SELECT state, wait_event_type, wait_event, left(query, 120) FROM pg_stat_activity"
            raise AssertionError(conn.execute(activity + " WHERE datname = current_database()").fetchall()) from None
    site["kill"]()
    lock.close()
    thread.join()
    kept = _documents(site, cois)
    missing_after_kill = _rows_without_file(site, store)
    site["start"]()
    retried = [remove(coi) for coi in cois]
    worker = site["worker"]("--batch")
    worker.wait(timeout=120)
    left_rows = _documents(site, cois)
    left_files = [name for _pk, name in kept if name in set(store.keys())]
    print(
        f"removals tried {REMOVALS}, killed before their commit {sum(isinstance(a, Exception) for a in answers)}: "
        f"rows kept {len(kept)}, of them naming a missing file {len(missing_after_kill)}; retried "
        f"{sum(a.status_code == 204 for a in retried)} removed, rows left {len(left_rows)}, files left {len(left_files)}"
    )
    assert all(isinstance(a, Exception) for a in answers)
    assert len(kept) == REMOVALS and not missing_after_kill  # the removal undone: its row and its file
    assert [a.status_code for a in retried] == [204] * REMOVALS
    assert not left_rows and not left_files  # removed once committed: the row, then its file by the worker
    assert not _rows_without_file(site, store)
