"""The certificates test world (people, organisations, COIs) for the API's own tests."""

from certificates.tests.conftest import _english, world, world_of_the_module  # noqa: F401 (fixtures)
