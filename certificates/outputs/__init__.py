"""What leaves the system about a COI: the PDF with its seal, the public verification page, the UN/CEFACT SPS
XML, exports of the lists and the organisation's dashboard (issue 6)."""
