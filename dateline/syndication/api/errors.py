"""Refused input as JSON that names each field, so an integration can fix its request.

A query that cannot be read is a 400 with one ``error`` message, as version 1 always
answered; a write whose body is refused is a 422 with ``fields``: each field's dotted
path (into blocks and lists: ``body.2.value.image``) and why.
"""

from django.http import JsonResponse

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class FieldErrors(Exception):
    """Input refused field by field; ``fields`` maps dotted paths to messages."""

    def __init__(self, fields, message="The request was refused.", status=422):
        super().__init__(message)
        self.message, self.fields, self.status = message, fields, status


def _path(loc) -> str:
    # Ninja's location starts with the source ("query", "body") and, for a body,
    # the parameter's name: neither is a field the client sent.
    # A body missing altogether is no one field: "__all__", as Django files it.
    source, *rest = loc
    if source == "body":
        rest = rest[1:] or ["__all__"]
    return ".".join(str(part) for part in rest) or str(source)


def invalid_input(request, ninja_errors):
    fields = {}
    for error in ninja_errors:
        fields.setdefault(_path(error["loc"]), []).append(error["msg"])
    if request.method in SAFE_METHODS:
        name, messages = next(iter(fields.items()))
        return JsonResponse({"error": f"{name}: {messages[0]}"}, status=400)
    return JsonResponse(
        {"error": "The request was refused.", "fields": fields}, status=422
    )


def _block_messages(data, path, into):
    """Flatten Wagtail's nested block error data (``as_json_data``) into ``into``."""
    if isinstance(data, list):
        for item in data:
            _block_messages(item, path, into)
        return
    if not isinstance(data, dict):
        return
    for message in data.get("messages", []):
        into.setdefault(path, []).append(message)
    for key, child in (data.get("blockErrors") or {}).items():
        sub = f"{path}.{key}.value" if isinstance(key, int) else f"{path}.{key}"
        _block_messages(child, sub, into)


def form_errors(form) -> dict[str, list[str]]:
    """A bound admin form's errors by dotted path, StreamField blocks included."""
    fields = {}
    for name, errors in form.errors.as_data().items():
        for error in errors:
            if hasattr(error, "as_json_data"):  # a block's nested errors
                _block_messages(error.as_json_data(), name, fields)
            else:
                fields.setdefault(name, []).extend(error.messages)
    for name, formset in getattr(form, "formsets", {}).items():
        for message in formset.non_form_errors():
            fields.setdefault(name, []).append(message)
        for index, child in enumerate(formset.forms):
            for field, messages in child.errors.items():
                fields.setdefault(f"{name}.{index}.{field}", []).extend(messages)
    return fields
