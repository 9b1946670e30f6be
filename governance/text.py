"""Text as it arrives and as it leaves: control characters out.

A control character typed or pasted into a narrative (``\\x07`` from a hotline
system, ``\\x0c`` from a copied document) is invisible on screen but illegal in
XML 1.0: one such narrative made every Open311 ``requests.xml`` ill-formed for
the 90 days it stayed in the default window. The doors strip them on the way in
(``CleanInputMiddleware`` for forms and query strings, ``CleanJSONParser`` for
the API), and XML answers drop whatever XML cannot hold, whatever is stored.
"""
import re

# C0 controls but tab, line feed and carriage return (people type those), DEL, C1
# controls, the two non-characters, and lone surrogates (a JSON "\ud800" decodes to one).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
# What XML 1.0 cannot carry at all (its Char production), for answers built from stored text.
NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def strip_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def xml_text(text: str) -> str:
    """``text`` with every character XML 1.0 forbids removed."""
    return NOT_XML.sub("", text)


def clean_data(value):
    """Strings in nested dicts and lists (a parsed JSON body), control characters stripped."""
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, dict):
        return {clean_data(key): clean_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clean_data(item) for item in value]
    return value
