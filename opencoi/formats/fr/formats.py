"""French formats: Django's, with the narrow no-break space (U+202F) that French typography and the CLDR put
between thousands ("9 071,8 kg"), where Django's fr locale has a full-width no-break space."""

from django.conf.locale.fr.formats import *  # noqa: F403

THOUSAND_SEPARATOR = "\u202f"
