"""Notes the apps above certificates add to a COI's PDF (e.g. the customs exchange's "Depleted for customs"),
each a function of the COI returning sentences in the active language. Registered from those apps'
`AppConfig.ready`, so that certificates imports none of them; read once per rendering (a new history entry makes
a new version of the PDF, `pdf_store`)."""

from __future__ import annotations

from collections.abc import Callable

from certificates.models import Certificate

PDF_NOTES: list[Callable[[Certificate], list[str]]] = []


def pdf_notes(coi: Certificate) -> list[str]:
    return [note for source in PDF_NOTES for note in source(coi)]
