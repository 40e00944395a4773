"""The COI in force: the model of the Annex to Delegated Reg. (EU) 2021/2306 (boxes 1-31), and its extract,
the model of the Annex to Implementing Reg. (EU) 2021/2307 (boxes 1-13).

Part I of the Annex gives the boxes, Part II the notes on who fills each; Arts 4-7 of 2021/2306 and 3-4 of
2021/2307 the steps. Boxes 1-18 are completed by the issuing control body or authority in the third country
(Art. 5(1)); the importer, the exporter or that body may pre-fill boxes 1-17 and 24 (TRACES help). Boxes 19-31
are completed in the Union. Who may do what in each status: `coi-2021-2306-matrix.csv` beside this module
(same format as the guide's `coi-1235-2008-matrix.csv`).

Field mapping to the guides' form where the box is the same thing: box 1 control_body_code, 2 procedure,
3 national_reference (the number is given by the system), 4 and 7 derived from box 13 as the guides' 5 and 6,
5 exporter (guides' 4), 8 origin_countries (7), 9 export_country (8), 10 the point of entry, its member state
and authority (9), 11 destination_country (10), 12 importer (11), 13-17 the same, 19 rfl (the operator
responsible for the consignment presents it for the importer, as the guides' responsible for the load),
24 first_consignee (12), 30 the authority's decision (20), 31 the first consignee's declaration (21).
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from certificates.coi_forms.table import HERE, Box, CoiForm, FormCode

CREATORS = ("importer", "exporter", "control_body")
IMPORTER = ("importer", "rfl")
AUTHORITIES = ("validating_authority", "entry_authority")
SUBMITTED = "description_completed"
ISSUED = "issuing_body_signed"
DECIDED = "released_organic"  # or another box-30 decision

BOXES = (
    Box("products", "", _("Products"), (), CREATORS, part="issuing"),
    Box("1", "1", _("Issuing control authority or control body"), ("control_body_code",), CREATORS, part="issuing"),
    # Box 2: one of four tick-boxes; Arts 46, 47, 48 follow from box 1 and the products (derived when left empty),
    # Art. 57 is the issuing body's choice (rules.ProcedureOfBox2).
    Box("2", "2", _("Procedure pursuant to Regulation (EU) 2018/848"), ("procedure",), CREATORS, part="issuing"),
    Box("3", "3", _("Certificate of inspection reference number"), ("national_reference",), CREATORS, part="issuing"),
    Box(
        "4",
        "4",
        _("Producer or processor of the product"),
        ("producers",),
        ("system",),
        read_only=True,
        part="issuing",
    ),  # fmt: skip
    Box("5", "5", _("Exporter"), ("exporter",), CREATORS, part="issuing"),
    Box(
        "6",
        "6",
        _("Operator who buys or sells the product without storing or physically handling the product"),
        ("traders",),
        CREATORS,
        optional=True,
        part="issuing",
    ),  # fmt: skip
    Box(
        "7",
        "7",
        _("Control authority or control body"),
        ("producer_control_bodies",),
        ("system",),
        read_only=True,
        part="issuing",
    ),  # fmt: skip
    Box("8", "8", _("Country of origin"), ("origin_countries",), CREATORS, part="issuing"),
    Box("9", "9", _("Country of export"), ("export_country",), CREATORS, part="issuing"),
    Box(
        "10",
        "10",
        _("Border control post/point of release for free circulation"),
        ("point_of_entry", "point_of_entry_kind", "release_member_state", "validating_authority"),
        (*CREATORS, "rfl"),
        until_status=ISSUED,
        part="issuing",
    ),  # fmt: skip
    Box("11", "11", _("Country of destination"), ("destination_country",), ("system",), part="issuing"),
    Box("12", "12", _("Importer"), ("importer",), CREATORS, part="issuing"),
    Box(
        "13",
        "13",
        _("Description of products"),
        ("commodities",),
        CREATORS,
        until_status=ISSUED,
        part="issuing",
        columns=("organic_status", "cn", "trade_name", "category", "packages", "lot_number", "net_weight"),
    ),  # fmt: skip
    Box("14", "14", _("Container number"), ("containers",), CREATORS, optional=True, part="issuing"),
    Box("15", "15", _("Seal number"), ("containers",), CREATORS, optional=True, part="issuing", also_holds=("seals",)),
    Box(
        "16",
        "16",
        _("Total gross weight"),
        ("gross_weight", "gross_weight_unit"),
        CREATORS,
        until_status=ISSUED,
        part="issuing",
    ),  # fmt: skip
    Box(
        "17",
        "17",
        _("Means of transport"),
        ("transport_mode", "transport_identification", "transport_document", "departure_date"),
        CREATORS,
        until_status=ISSUED,
        part="issuing",
    ),  # fmt: skip
    Box(
        "18",
        "18",
        _("Declaration of the control authority or control body issuing the certificate referred to in box 1"),
        (),
        ("control_body",),
        SUBMITTED,
        ISSUED,
        signed=True,
        part="issuing",
        also_holds=("late_reason",),
    ),  # fmt: skip
    Box(
        "19",
        "19",
        _("Operator responsible for the consignment"),
        ("rfl",),
        ("importer",),
        ISSUED,
        ISSUED,
        optional=True,
        part="union",
        new_page=True,
    ),  # fmt: skip
    Box("20", "20", _("Prior notification"), ("prior_notification_at",), IMPORTER, ISSUED, ISSUED, part="union"),
    Box(
        "21",
        "21",
        _("For transfer to"),
        ("transfer_requested",),
        IMPORTER,
        ISSUED,
        ISSUED,
        optional=True,
        part="union",
    ),
    Box(
        "22",
        "22",
        _("Details of the control point"),
        ("requested_control_point",),
        IMPORTER,
        ISSUED,
        ISSUED,
        optional=True,
        part="union",
    ),  # fmt: skip
    Box(
        "23",
        "23",
        _("Special customs procedures"),
        (
            "customs_warehousing",
            "inward_processing",
            "customs_operator",
            "customs_operator_control_body",
            "customs_information",
            "customs_declaration_reference",
        ),
        IMPORTER,
        ISSUED,
        ISSUED,
        optional=True,
        part="union",
    ),  # fmt: skip
    # Box 23's verification, a part of box 23 signed by the authority: headed by box 23's one title wherever it is
    # shown (the page, the PDF, the public check, its step's form); its declaration says what is verified
    # (release.DECLARATION_23: "Verification of the consignment prior to the special customs procedure(s).").
    Box(
        "23v",
        "23",
        _("Special customs procedures"),
        (),
        AUTHORITIES,
        ISSUED,
        ISSUED,
        optional=True,
        signed=True,
        part="union",
    ),  # fmt: skip
    Box(
        "24",
        "24",
        _("First consignee in the European Union"),
        ("first_consignee",),
        ("importer", *CREATORS),
        until_status=ISSUED,
        part="union",
    ),  # fmt: skip
    Box(
        "25",
        "25",
        _("Control by the relevant competent authority"),
        ("documentary_check", "selected_for_checks"),
        AUTHORITIES,
        ISSUED,
        ISSUED,
        signed=True,
        part="union",
    ),  # fmt: skip
    Box(
        "26",
        "26",
        _("For transfer from the border control post to a control point"),
        ("transfer_to_control_point",),
        AUTHORITIES,
        ISSUED,
        ISSUED,
        optional=True,
        part="union",
    ),  # fmt: skip
    Box(
        "27",
        "27",
        _("Details of the control point"),
        ("control_point",),
        AUTHORITIES,
        ISSUED,
        ISSUED,
        optional=True,
        part="union",
    ),
    Box(
        "28",
        "28",
        _("Means of transport from the border control post to a control point"),
        ("transfer_transport_mode", "transfer_transport_identification", "transfer_transport_document"),
        AUTHORITIES,
        ISSUED,
        ISSUED,
        optional=True,
        part="union",
    ),  # fmt: skip
    Box(
        "29",
        "29",
        _("Identity and physical checks"),
        ("identity_check", "physical_check", "laboratory_test", "laboratory_result", "lots_not_satisfactory"),
        AUTHORITIES,
        ISSUED,
        ISSUED,
        optional=True,
        part="union",
    ),  # fmt: skip
    Box(
        "30",
        "30",
        _("Decision by the relevant competent authority"),
        ("decision",),
        AUTHORITIES,
        ISSUED,
        DECIDED,
        signed=True,
        part="union",
        also_holds=("reason",),
    ),  # fmt: skip
    Box(
        "31",
        "31",
        _("Declaration of the first consignee"),
        ("consignee_in_accordance",),
        ("first_consignee",),
        DECIDED,
        "first_consignee_signed",
        signed=True,
        part="union",
        also_holds=("remark",),
    ),  # fmt: skip
)

# The extract (Annex to 2021/2307): the importer completes boxes 1-11 (1-3, 5-7 copied from the COI), submits
# it; the authority of the Member State of release signs box 12, the consignee box 13.
EXTRACT_BOXES = (
    Box(
        "1",
        "1",
        _("Control authority or control body having issued the underlying certificate of inspection"),
        ("control_body_code",),
        ("system",),
        read_only=True,
    ),
    Box("2", "2", _("Procedures pursuant to Regulation (EU) 2018/848"), ("procedure",), ("system",), read_only=True),
    Box("3", "3", _("Certificate of inspection reference number"), ("base_number",), ("system",), read_only=True),
    # Box 4: the control body of the operator who split the consignment (the importer or the operator
    # responsible who drafted the extract), read from that operator's certification, never typed.
    Box("4", "4", _("Control authority or control body"), ("splitting_control_body",), IMPORTER, read_only=True),
    Box("5", "5", _("Importer"), ("importer",), ("system",), read_only=True),
    Box("6", "6", _("Country of origin"), ("origin_countries",), ("system",), read_only=True),
    Box("7", "7", _("Country of export"), ("export_country",), ("system",), read_only=True),
    Box(
        "8",
        "8",
        _("Border control post/control point/point of release for free circulation"),
        ("point_of_entry", "release_member_state", "validating_authority"),
        IMPORTER,
    ),  # fmt: skip
    Box("9", "9", _("Country of destination"), ("destination_country",), ("system",), read_only=True),
    Box("10", "10", _("Consignee of the batch obtained from splitting"), ("first_consignee",), IMPORTER),
    Box(
        "11",
        "11",
        _("Description of products"),
        ("commodities",),
        IMPORTER,
        columns=("organic_status", "cn", "category", "packages", "lot_number", "net_weight", "base_net_weight"),
    ),  # fmt: skip
    Box(
        "12",
        "12",
        _("Declaration of the relevant competent authority verifying and endorsing the extract of the certificate"),
        ("decision",),
        AUTHORITIES,
        SUBMITTED,
        DECIDED,
        signed=True,
        signature="30",
        also_holds=("reason",),
    ),  # fmt: skip
    Box(
        "13",
        "13",
        _("Declaration of the consignee of the batch"),
        ("consignee_in_accordance",),
        ("first_consignee",),
        DECIDED,
        "first_consignee_signed",
        signed=True,
        signature="31",
        also_holds=("remark",),
    ),  # fmt: skip
)

# Each signature or verification of the Union part (the box it is signed in; an extract's boxes 12 and 13 are
# signed as "30" and "31") and the boxes it covers, by number on the COI's form. After it, a change to a covered
# box is refused at that box (`rules.form_2021_2306.SignedBoxesStay`) unless the law lets the operator still change
# it: then the change withdraws the verification (`REOPENS`: box 10 until arrival). The statuses close the rest:
# box 18 leaves only the boxes the law keeps open (10 to the importer until arrival; 13, 16, 17 to the issuing body
# for 10 days, `CompletionWithinTenDays`), box 30 moves the COI out of "issuing body signed", box 31 out of the
# releases.
SIGNATURE_COVERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("18", tuple(str(n) for n in range(1, 18))),
    ("23", ("10", "23")),
    ("25", ("10", "13", "14", "15", "16", "17", "19", "20", "21", "22")),
    ("29", ("29",)),  # a result recorded stays; an empty check may still be recorded
    ("30", (*(str(n) for n in range(1, 18)), *(str(n) for n in range(19, 30)))),
    ("31", ("30", "31")),
    ("extract 12", tuple(str(n) for n in range(1, 12))),
    ("extract 13", ("12", "13")),
)
REOPENS = frozenset({("23", "10")})

# The decisions of box 30 and the statuses customs sees (Implementing Reg. (EU) 2024/2145, Annex I, point 2): only
# the first two let the goods be declared for release for free circulation under the COI's number.
RELEASE_STATUSES = ("released_organic", "released_in_conversion")

STATUSES = (
    "draft",
    "description_completed",
    "issuing_body_signed",
    "released_organic",
    "released_in_conversion",
    "released_non_organic",
    "cannot_be_released",
    "basis_for_extract",
    "depleted",
    "first_consignee_signed",
    "ofis_irregularity",
    "replaced",
)

FORM = CoiForm(
    code=FormCode.R2021_2306,
    title=_("Certificate of inspection for the import of organic and in-conversion products into the European Union"),
    boxes=BOXES,
    matrix_csv=HERE / "coi-2021-2306-matrix.csv",
    extract_matrix_csv=HERE / "coi-2021-2307-extract-matrix.csv",
    statuses=STATUSES,
    extract_boxes=EXTRACT_BOXES,
    extract_title=_(
        "Extract of the certificate of inspection for the import of organic and in-conversion products into the "
        "European Union"
    ),
    line_fields=("organic_status", "category"),
    completion_window=datetime.timedelta(days=10),
    release_statuses=RELEASE_STATUSES,
    signature_covers=SIGNATURE_COVERS,
    reopens=REOPENS,
    sps_note_prefix="COI_2021_2306:",
    api_workflow_tag="certificate workflow (2021/2306)",
)
