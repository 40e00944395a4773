"""Plain text (email subjects and bodies, in-app notice texts) rendered from templates without HTML escaping.

A `.txt` template rendered like a page escapes `'` to `&#x27;`; the page that later shows the text escapes it
again, and the reader sees "l&#x27;organisme". Everything that is not HTML renders through `render_text`, and the
HTML page escapes it once, when it shows it.
"""

from __future__ import annotations

from typing import Any

from django.template import Context, engines


def render_text(template_name: str, context: dict[str, Any]) -> str:
    """The template rendered with autoescape off, in the active language: text, not HTML."""
    template = engines["django"].engine.get_template(template_name)  # type: ignore[attr-defined]  # the Django backend's engine (django-stubs types the generic one)
    return template.render(Context(context, autoescape=False))
