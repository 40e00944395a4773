"""What "Submit for certification" checks (guide 000, 3.1), and the same rules as warnings on a draft."""

from __future__ import annotations

from certificates.models import Certificate
from certificates.rules.contents import (
    AuthorityOfMemberState,
    ConsigneeOrBatches,
    ContainerNumbersValid,
    ContainersForVessel,
    ControlBodyRecognised,
    GrossWeightCoversNetWeights,
    LinesComplete,
    MandatoryBoxes,
    SingleOriginForSingleLot,
)
from certificates.rules.documents import DocumentFieldsGiven
from certificates.rules.parties import IssuerCertifiesExporter, PartiesCertified, ProducersCertified
from certificates.rules.problems import FieldProblems, check_all

SUBMISSION_RULES = (
    MandatoryBoxes(),
    ControlBodyRecognised(),
    IssuerCertifiesExporter(),
    SingleOriginForSingleLot(),
    AuthorityOfMemberState(),
    ConsigneeOrBatches(),
    LinesComplete(),
    ContainerNumbersValid(),
    ContainersForVessel(),
    GrossWeightCoversNetWeights(),
    PartiesCertified(),
    ProducersCertified(),
    DocumentFieldsGiven(),
)
# Shown as warnings while a draft is being filled: the same, less the "still missing" ones.
DRAFT_RULES = tuple(r for r in SUBMISSION_RULES if not isinstance(r, MandatoryBoxes | LinesComplete))


def submission_problems(coi: Certificate) -> FieldProblems:
    """Every rule of submission, per field (`problems.at_boxes` places them on the COI's form)."""
    return check_all(coi, SUBMISSION_RULES)


def draft_problems(coi: Certificate) -> FieldProblems:
    return check_all(coi, DRAFT_RULES)
