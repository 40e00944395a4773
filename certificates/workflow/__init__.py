"""The COI's life from its submission for certification (guide 000, 3.2 and 3.3): one function per step.

Each step, in one transaction with the COI's row locked: finds the COI the person may see (404 otherwise),
checks the table (`certificates/matrix.py`) for the person's roles on THIS COI in its current status (403
with the reason when the role may never do it, 409 when the status no longer allows it, e.g. someone
signed first), applies the change, writes a history entry and queues the notifications. No page and no
API endpoint assigns a status: they call these functions, and only `status.change_status` assigns one.

Modules: `steps` (every step declared once: the pages, their URLs, the offer and the API's routes are drawn
from it), `certification` (submission for certification, the checks, boxes 18, 20 and 21), `release` (the Union
part of 2021/2306: boxes 23, 25, 30 and 31), `after_signature` (replacement, OFIS irregularity, deletion),
`extracts` (extracts, split, depletion), `guards` (who may act now, the COI locked, two-factor), `status` (the
one function that assigns a status), `signatures` (box signatures and their declarations), `numbering` (box 3),
`history` (the history writer), `step_notices` (who hears of a step), `offer` (what the pages and the API offer
a person). The pages' step views are `certificates/step_views.py` (a view stands above the workflow) and what
the workflow keeps beside the boxes is `certificates/workflow_records.py` (models stand below it).

Where the table is silent, this is how it is read (and why):
- Extracts have rows of their own (`coi_forms/coi-1235-2008-extract-matrix.csv`): drafted by the importer or the RFL
  of the base (boxes 9 and 12 and the quantities), submitted for endorsement (status Description completed),
  endorsed by the validating or the entry authority in box 20 (Consignment verified, Released as
  conventional or Not released: never Basis for extract), then signed in box 21 by their consignee. The
  issuing body signed the base; it does not sign each extract again.
- "Split the COI": the authority divides the base into extracts itself, each endorsed at once (it is
  the endorsing authority) and left for its consignee to sign. "Mark as depleted" goes with the right to
  split (the table names no one; the guide's help names the authority).
- Replacement: the new copy starts in Description completed (the control body's own status: it may edit
  every box and sign box 18), with a number of its own; when it is signed, the old one becomes Replaced,
  which requires the old one to be still in Issuing body declaration signed (409 otherwise). One pending
  replacement at a time.
- Released as conventional, Not released, Deleted, Replaced and OFIS irregularity allow nothing more:
  the COI stays readable to its parties. An OFIS irregularity is followed up in OFIS, outside.
- Every signature (boxes 18, 20, 21, endorsement, split) needs two-factor authentication switched on;
  pages and the API also ask for a current TOTP code.
- "Edit parts of box 13" is read as box 13 (the guide does not say which parts); box edits between steps
  go through `services.update_boxes`, which asks the table and writes a "Boxes changed" history entry.
- What remains of a lot counts every extract but deleted ones: a draft extract reserves its quantities.
- The rules that give the COI its legal value are checked again at every step that gives it effect, on
  that day (issue 11; `certificates/rules/legal_value.py`): box 18 runs every submission rule (box 1 certifies
  the exporter, every party and producer certified that day), refuses a "Not acceptable" check and, after
  box 17's date of departure, wants the reason; box 20 (or an extract's endorsement) and box 21 check the
  importer and the first consignee; a box edit is refused when it breaks a rule or empties a mandatory box.
  Box 17 may be completed later (its empty fields, by the control body, the importer or the RFL) until box
  20. While a replacement is open, box 20 and the deletion of the COI it replaces are refused (409).
"""
