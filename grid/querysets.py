"""The grid event's QuerySet: who sees which events, and the reusable filters."""
from django.db import models

from governance.choices import Channel

VIEW_PERMISSION = "grid.view_gridevent"


class GridEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The events ``user`` sees: those whose matter they see (the core's scope
        rule: a center's staff see their places), plus what they reported, what was
        dispatched to them or their organisation, and the joint handlings their
        organisation takes part in. Pages and API both call this; outside it the
        answer is 404."""
        from governance.models import Case
        from grid.models import JointPart

        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if not user.has_perm(VIEW_PERMISSION):
            return self.none()
        # Grid events are matters of the grid channel: the subquery keeps to those.
        seen = Case.objects.restrict(user, "view").filter(channel=Channel.GRID_REPORT).order_by().values("pk")
        mine = models.Q(pk__in=seen) | models.Q(reporter=user) | models.Q(assignee=user)
        if user.organisation_id:
            parts = JointPart.objects.filter(event=models.OuterRef("pk"), organisation_id=user.organisation_id)
            mine |= models.Q(handling_org_id=user.organisation_id) | models.Q(models.Exists(parts))
        return self.filter(mine)

    def open(self):
        from grid.choices import OPEN_EVENT_STATUSES

        return self.filter(status__in=OPEN_EVENT_STATUSES)

    def step_overdue(self):
        return self.open().filter(step_overdue_at__isnull=False)
