"""The whole demo scenario of the guides, in order: the people, the reference lists, the directory, the COIs
in Draft and Description completed, then a COI in every later status, all on the guides' form (1235/2008);
then the second scenario on the form in force (2021/2306, `demo/form_2021_2306.py`). Idempotent."""

from __future__ import annotations

from accounts.models import User
from demo.certificates import load_certificates_demo
from demo.customs import load_customs_demo
from demo.directory import load_directory_demo
from demo.form_2021_2306 import load_form_2021_2306_demo
from demo.people import DEMO_ACCOUNTS, demo_user
from demo.workflow import load_workflow_demo
from reference.loader import load_base_if_empty


def load_demo() -> dict[str, User]:
    """Load everything; returns the demo's people by email."""
    users = {}
    for email, _role, (first, last), signs in DEMO_ACCOUNTS:
        users[email] = demo_user(email, first, last, signs=signs, staff=email == "admin@commission.example")
    load_base_if_empty()
    load_directory_demo(users)
    load_certificates_demo()
    load_workflow_demo()
    load_form_2021_2306_demo()  # the second scenario, on the 2021/2306 form
    load_customs_demo()  # the customs exchange writes three of them off (Reg. (EU) 2024/2145)
    return users
