"""Text made fit for XML, where one stray character makes a whole feed unreadable."""

import re

# XML 1.0 allows tab, newline and carriage return among the C0 controls, and no
# surrogates or the two non-characters U+FFFE and U+FFFF.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text) -> str:
    """``text`` as a string without the characters XML 1.0 cannot carry."""
    return _NOT_IN_XML.sub("", str(text or ""))
