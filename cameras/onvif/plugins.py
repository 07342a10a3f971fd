"""zeep plugins that make the client forgiving of common camera mistakes."""

from __future__ import annotations

from typing import Any

from zeep import Plugin

_BOOLEANS = {"TRUE": "true", "True": "true", "FALSE": "false", "False": "false"}


class ForgivingBooleans(Plugin):
    """Some cameras write xs:boolean as TRUE/FALSE, which zeep would read as False."""

    def ingress(self, envelope: Any, http_headers: Any, operation: Any) -> tuple[Any, Any]:
        for element in envelope.iter():
            text = element.text
            if text is not None and text in _BOOLEANS and len(element) == 0:
                element.text = _BOOLEANS[text]
        return envelope, http_headers
