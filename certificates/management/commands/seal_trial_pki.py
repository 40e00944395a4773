"""The trial PKI of `make demo`: the seal's key in SoftHSM2 and a CA, OCSP, CRLs and a TSA on loopback.

`--prepare DIR` makes them once and writes DIR/seal.env (the seal settings pointing at them, for the shell);
`--serve DIR` then answers the PKI's requests on the URL's port until stopped. Never for production.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from certificates.outputs import trial_pki


class Command(BaseCommand):
    help = "Prepare (--prepare) or serve (--serve) the trial PKI and SoftHSM token of the demo's seal."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument("--serve", action="store_true", help="answer OCSP, CRL and TSA requests")
        parser.add_argument(
            "--url", default=os.environ.get("SEAL_TRIAL_PKI_URL", trial_pki.DEFAULT_URL), help="loopback URL"
        )

    def handle(self, *args: Any, directory: Path, serve: bool, url: str, **options: Any) -> None:
        try:
            pki = trial_pki.prepare(directory, url)
        except (RuntimeError, OSError) as error:
            raise CommandError(str(error)) from error
        if not serve:
            self.stdout.write(f"Trial PKI and SoftHSM token in {directory}; settings in {directory / 'seal.env'}")
            return
        httpd = trial_pki.server(pki)
        self.stdout.write(f"Trial PKI (OCSP, CRLs, TSA) on {url}")
        with contextlib.suppress(KeyboardInterrupt):
            httpd.serve_forever()
