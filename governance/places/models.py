from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from governance.choices import TIER_OF_LEVEL, RegionLevel


class Region(MP_Node):
    """A place in the county: county > town > village > grid > micro-grid.

    A materialised path tree (treebeard): a subtree is every row whose ``path``
    starts with the root's path, one indexed prefix query, which is what the
    scope rule uses. County, town and village carry the 12-digit statistical
    division code; grids and micro-grids get local codes under their village.
    """

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    level = models.CharField(_("level"), max_length=12, choices=RegionLevel.choices, db_index=True)

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [
            # Subtree lookups are `path LIKE 'prefix%'`: needs a pattern-ops index.
            models.Index(fields=["path"], name="region_path_like", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.name

    @property
    def tier(self):
        return TIER_OF_LEVEL[self.level]

    @property
    def paths_to_root(self) -> list[str]:
        """The paths of this place and every place above it, county first (no query)."""
        return [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]

    @property
    def county_path(self) -> str:
        """The path of the county this place is in (the tree's root)."""
        return self.path[: self.steplen]

    def full_name(self):
        """County-to-here name, e.g. 示范县 青山镇 青山村."""
        return " ".join(r.name for r in [*Region.objects.get_ancestors(self), self])
