"""The guides' form: the COI of Reg. (EC) No 1235/2008, Annex V (boxes 1-21), as seed 000 section 3.1 reads it.

Who may do what in each status is the guide's table 3.3, `coi-1235-2008-matrix.csv` beside this
module (extracts: `coi-1235-2008-extract-matrix.csv`). Box 19 (customs warehousing / inward processing of the old
model) is not carried: the guides leave it out; the PDF prints the issuing body's checks there (`BOX_19`).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from certificates.coi_forms.table import HERE, Box, CoiForm, FormCode

CREATORS = ("importer", "exporter", "control_body")
ISSUED = "issuing_body_signed"

BOXES = (
    Box("products", "", _("Products"), (), CREATORS, part="issuing"),
    Box(
        "1",
        "1",
        _("Issuing control body or control authority"),
        ("control_body_code",),
        CREATORS,
        part="issuing",
        half=True,
    ),
    Box("2", "2", _("Procedure"), ("procedure",), ("system",), part="issuing", half=True),
    Box("3", "3", _("Certificate of inspection number"), ("national_reference",), CREATORS, part="issuing"),
    Box("4", "4", _("Exporter"), ("exporter",), CREATORS, part="issuing", half=True),
    Box(
        "5",
        "5",
        _("Producer or processor of the product"),
        ("producers",),
        ("system",),
        read_only=True,
        part="issuing",
        half=True,
    ),
    Box(
        "6",
        "6",
        _("Control body or control authority of the producer or processor"),
        ("producer_control_bodies",),
        ("system",),
        read_only=True,
        part="issuing",
        half=True,
    ),  # fmt: skip
    Box("7", "7", _("Country of origin"), ("origin_countries",), CREATORS, part="issuing", half=True),
    Box("8", "8", _("Country of export"), ("export_country",), CREATORS, part="issuing", half=True),
    Box(
        "9",
        "9",
        _("Member State of release and validating competent authority"),
        ("release_member_state", "validating_authority", "point_of_entry"),
        (*CREATORS, "rfl"),
        until_status=ISSUED,
        part="issuing",
        half=True,
    ),  # fmt: skip
    Box("10", "10", _("Country of destination"), ("destination_country",), ("system",), part="issuing", half=True),
    Box("11", "11", _("Importer"), ("importer",), CREATORS, part="issuing", half=True),
    Box(
        "rfl",
        "",
        _("Responsible for the load"),
        ("rfl",),
        (*CREATORS, "rfl"),
        until_status=ISSUED,
        optional=True,
        half=True,
    ),
    Box(
        "12",
        "12",
        _("First consignee"),
        ("first_consignee", "release_in_batches"),
        (*CREATORS, "rfl", "validating_authority", "entry_authority"),
        until_status=ISSUED,
        part="issuing",
        half=True,
    ),  # fmt: skip
    Box(
        "13",
        "13",
        _("Description of products"),
        ("commodities",),
        CREATORS,
        until_status=ISSUED,
        part="issuing",
        columns=("cn_text", "trade_name", "packages", "lot_number", "net_weight", "producer"),
    ),
    Box("14", "14", _("Container number"), ("containers",), CREATORS, until_status=ISSUED, optional=True, half=True),
    Box(
        "15",
        "15",
        _("Seal number"),
        ("containers",),
        CREATORS,
        until_status=ISSUED,
        optional=True,
        also_holds=("seals",),
        half=True,
    ),
    Box(
        "16",
        "16",
        _("Total gross weight"),
        ("gross_weight", "gross_weight_unit"),
        CREATORS,
        until_status=ISSUED,
        half=True,
    ),
    Box(
        "17",
        "17",
        _("Means of transport"),
        ("transport_mode", "transport_identification", "transport_document", "departure_date"),
        CREATORS,
        half=True,
    ),
    Box(
        "18",
        "18",
        _("Declaration of the control body or control authority issuing the certificate"),
        (),
        ("control_body",),
        "description_completed",
        ISSUED,
        signed=True,
        part="issuing",
        also_holds=("late_reason",),
    ),  # fmt: skip
    Box(
        "20",
        "20",
        _("Endorsement by the relevant competent authority"),
        ("decision",),
        ("validating_authority", "entry_authority"),
        ISSUED,
        "consignment_verified",
        signed=True,
        part="union",
        also_holds=("reason",),
    ),  # fmt: skip
    Box(
        "21",
        "21",
        _("Declaration of the first consignee"),
        (),
        ("first_consignee",),
        "consignment_verified",
        "first_consignee_signed",
        signed=True,
        part="union",
        also_holds=("remark",),
    ),  # fmt: skip
)

# Box 19 as the guides' PDF prints it: the issuing body's documentary and physical checks, recorded with their own
# step ("checks") before box 18 is signed; no page types it.
BOX_19 = Box(
    "19",
    "19",
    _("Checks of the consignment by the issuing control body"),
    ("checks",),
    ("control_body",),
    read_only=True,
    part="issuing",
)
PRINTED_BOXES = tuple(b for box in BOXES for b in ((box, BOX_19) if box.key == "18" else (box,)))

STATUSES = (
    "draft",
    "description_completed",
    "issuing_body_signed",
    "consignment_verified",
    "first_consignee_signed",
    "basis_for_extract",
    "released_as_conventional",
    "not_released",
    "ofis_irregularity",
    "deleted",
    "replaced",
)

FORM = CoiForm(
    code=FormCode.R1235_2008,
    title=_("Certificate of inspection for imports of products from organic production into the European Union"),
    boxes=BOXES,
    matrix_csv=HERE / "coi-1235-2008-matrix.csv",
    extract_matrix_csv=HERE / "coi-1235-2008-extract-matrix.csv",
    statuses=STATUSES,
    transport_completed_later=True,
    release_statuses=("consignment_verified",),  # box 20 endorsed
    printed_boxes=PRINTED_BOXES,
)
