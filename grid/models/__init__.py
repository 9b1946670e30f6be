"""The grid app's models, one module per domain."""
from grid.models.events import EventType, GridEvent, GridPhoto, JointPart, Urge
from grid.models.grids import BuildingHead, GridAssignment, GridProfile
from grid.models.work import Patrol, Reward, RewardRate

__all__ = [
    "BuildingHead", "EventType", "GridAssignment", "GridEvent", "GridPhoto", "GridProfile", "JointPart",
    "Patrol", "Reward", "RewardRate", "Urge",
]
