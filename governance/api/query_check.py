"""Query parameters checked against the API schema, for every operation of every app.

The schema (drf-spectacular) says what each operation's query parameters take: an
integer, ``true``/``false``, one of an enum, a length, a range, one value or many.
This middleware holds every request under /api/ to that, so a view that reads
``request.query_params`` by hand cannot quietly take ``?overdue=null`` for "no",
``?room=abc`` for "any room" or ``?status=`` for "all": the caller gets a 400 naming
the parameter, in Chinese. Unknown parameters are left alone (clients may add their own).

The schema is generated once per process, at the first API request."""
import re
import threading

from django.http import JsonResponse
from django.utils.translation import gettext as _

_lock = threading.Lock()
_operations = None  # [(compiled path regex, literal-segment count, {method: {name: parameter}})]


def _build():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, item in schema["paths"].items():
        pattern = "^" + re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(path)) + "$"
        literal = sum(1 for part in path.split("/") if part and not part.startswith("{"))
        methods = {}
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            methods[method.upper()] = {p["name"]: p for p in operation.get("parameters", []) if p.get("in") == "query"}
        operations.append((re.compile(pattern), literal, methods))
    operations.sort(key=lambda op: -op[1])  # /cases/export/ before /cases/{id}/
    return operations


def operations():
    global _operations
    if _operations is None:
        with _lock:
            if _operations is None:
                _operations = _build()
    return _operations


def _problems(value, schema):
    """What is wrong with one value for a parameter's schema, or None."""
    kind = schema.get("type")
    if kind == "integer":
        if not re.fullmatch(r"-?[0-9]+", value):
            return _("Give a whole number.")
        number = int(value)
        if "minimum" in schema and number < schema["minimum"] or "maximum" in schema and number > schema["maximum"]:
            return _("Give a number from %(min)s to %(max)s.") % {"min": schema.get("minimum", "…"),
                                                                     "max": schema.get("maximum", "…")}
    elif kind == "number":
        try:
            float(value)
        except ValueError:
            return _("Give a number.")
    elif kind == "boolean":
        if value not in ("true", "false"):
            return _("Give true or false.")
    if "enum" in schema and value not in [str(v).lower() if isinstance(v, bool) else str(v)
                                          for v in schema["enum"] if v is not None]:
        return _("Choose one of: %(values)s.") % {"values": ", ".join(str(v) for v in schema["enum"] if v is not None)}
    if kind == "string":
        if len(value) < schema.get("minLength", 0):
            return _("Give at least %(count)s characters, or leave this parameter out.") % {
                "count": schema["minLength"]} if value else _("Leave this parameter out, or give it a value.")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            return _("Give at most %(count)s characters.") % {"count": schema["maxLength"]}
        if schema.get("format") == "date" and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            return _("Give a date as YYYY-MM-DD.")
    return None


def check(method, path, query) -> dict:
    """{parameter: [message]} for the query of ``method path``; {} when it is fine."""
    for pattern, _literal, methods in operations():
        if pattern.match(path):
            parameters = methods.get(method)
            break
    else:
        return {}
    if not parameters:
        return {}
    errors = {}
    for name, parameter in parameters.items():
        if name not in query:
            continue
        values = query.getlist(name)
        schema = parameter.get("schema", {})
        if schema.get("type") == "array":
            items = schema.get("items", {})
            values = [v for value in values for v in (value.split(",") if not parameter.get("explode", True)
                                                      else [value])]
        elif len(values) > 1:
            errors[name] = [_("Give this parameter once.")]
            continue
        else:
            items = schema
        for value in values:
            problem = _problems(value, items)
            if problem:
                errors[name] = [problem]
                break
    return errors


class QueryParameterCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/v1/"):
            errors = check(request.method, request.path, request.GET)
            if errors:
                return JsonResponse(errors, status=400, json_dumps_params={"ensure_ascii": False})
        return self.get_response(request)
