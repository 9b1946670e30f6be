"""Extension points: how an app adds its steps to the core without the core
importing it (NetBox's plugin registry, made small).

Apps call the ``register_*`` functions from their ``AppConfig.ready()``:

- ``register_case_panel``: a panel on the matter's page (actions, details, a card);
- ``register_nav_item``: a link in the top menu;
- ``register_case_api``: a mixin of actions (``POST /api/v1/cases/{id}/<action>/``, or
  ``create``) that the core's case viewset is built with;
- ``register_clock_handler``: what happens when a clock of the app's kind is due
  (see ``governance.timers``);
- ``register_case_filter``: a filter of the case list (pages and API) over the app's
  records, e.g. "went to mediation", so a dashboard figure drills down to its matters;
- ``register_measure`` (``governance.dashboards.measures``): a dashboard figure.

An app's own API router is found without registering: a module ``<app>.api.urls``
is mounted at ``/api/v1/<app label>/``, and the app's ``AppConfig.urls`` lists
``(prefix, module)`` pairs of its pages.
"""
from dataclasses import dataclass
from typing import Callable

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

# Where a panel goes on the matter's page.
HEADER_ACTIONS = "actions"  # buttons beside the number
MAIN = "main"  # the left column, under the parties
SIDE = "side"  # the right column, above the timeline


@dataclass(frozen=True)
class CasePanel:
    """``context(request, case)`` returns the template's context, or None to show nothing."""

    name: str
    template: str
    context: Callable
    location: str = MAIN
    order: int = 100


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None = None  # e.g. "governance.add_case"; None: every signed-in person
    order: int = 100


@dataclass(frozen=True)
class ClockHandler:
    """What the sweep does with due clocks of one kind.

    ``on_due(clocks, now, memo)`` gets the claimed rows (dicts: id, case_id, kind,
    due_at, started_at, data, plus the matter's tier, holder_id, case_kind,
    category_id and region_path) inside the sweep's transaction, already stopped
    with outcome "missed", and acts on them set-based; it may return a dict of
    counts for the sweep's report. ``memo`` is a dict that lives for one sweep (all
    its batches), for look-ups worth doing once. ``on_remind(clocks, now, memo)``
    likewise for reminders; without one the core writes the standard reminder (an
    event and a notice to the holder)."""

    kind: str
    label: str
    on_due: Callable
    on_remind: Callable | None = None


@dataclass(frozen=True)
class CaseFilter:
    """``?name=value`` on the case list: ``apply(queryset, value)`` narrows the matters."""

    name: str
    label: str
    choices: tuple
    apply: Callable


_case_panels: list[CasePanel] = []
_nav_items: list[NavItem] = []
_case_api_mixins: list[type] = []
_clock_handlers: dict[str, ClockHandler] = {}


def register_case_panel(panel: CasePanel):
    if any(existing.name == panel.name for existing in _case_panels):
        return  # ready() may run twice (tests, autoreload)
    _case_panels.append(panel)
    _case_panels.sort(key=lambda p: (p.order, p.name))


def register_nav_item(item: NavItem):
    if item not in _nav_items:
        _nav_items.append(item)
        _nav_items.sort(key=lambda i: (i.order, i.url_name))


def register_case_api(mixin: type):
    """A class of DRF ``@action`` methods (and optionally ``create``) for the case
    viewset; its ``_write(request, service, **arguments)`` maps refusals to 404/403/409."""
    if mixin not in _case_api_mixins:
        _case_api_mixins.append(mixin)


def register_case_filter(case_filter: CaseFilter):
    """Add a filter to the case list's FilterSet (its class: the API schema shows it too)."""
    import django_filters

    from governance.cases.filtersets import CaseFilter as CaseFilterSet

    def method(queryset, name, value: str):  # the hint tells the API schema the value's type
        return case_filter.apply(queryset, value)

    CaseFilterSet.base_filters[case_filter.name] = django_filters.ChoiceFilter(
        label=case_filter.label, choices=case_filter.choices, method=method)
    if case_filter.name not in CaseFilterSet.DRILL_FIELDS:
        CaseFilterSet.DRILL_FIELDS = (*CaseFilterSet.DRILL_FIELDS, case_filter.name)


def register_clock_handler(handler: ClockHandler):
    _clock_handlers[handler.kind] = handler


def case_api_mixins() -> tuple[type, ...]:
    return tuple(_case_api_mixins)


def clock_handler(kind: str) -> ClockHandler | None:
    return _clock_handlers.get(kind)


def clock_handlers() -> dict[str, ClockHandler]:
    return dict(_clock_handlers)


def rendered_case_panels(request, case, **shared) -> dict[str, list]:
    """{location: [html, ...]} for the matter's page; ``shared`` goes to every panel."""
    rendered = {HEADER_ACTIONS: [], MAIN: [], SIDE: []}
    for panel in _case_panels:
        context = panel.context(request, case)
        if context is None:
            continue
        html = render_to_string(panel.template, {"case": case, **shared, **context}, request=request)
        rendered[panel.location].append(mark_safe(html))  # noqa: S308 - our own templates, autoescaped
    return rendered


def nav_items(user) -> list[NavItem]:
    return [item for item in _nav_items if item.permission is None or user.has_perm(item.permission)]


def navigation(request):
    """Context processor: the apps' menu links the signed-in person may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": nav_items(user)}
