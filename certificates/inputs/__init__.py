"""What enters the system about a COI from outside its pages and API boxes: SPS XML imports (`sps_import.py`)."""
