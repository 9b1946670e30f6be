"""The petitions app's records: the petition and its petitioners, the statutory
periods, the documents, reception days and appointments, and leader ownership."""
from petitions.models.documents import DocumentSequence, DocumentTemplate, PetitionDocument
from petitions.models.ownership import Milestone, Ownership, ProgressNote
from petitions.models.petition import Petition, PetitionOffice, Petitioner, StatutoryPeriod
from petitions.models.reception import Appointment, DutyShift, ReceptionDay, ReceptionRecord, ReceptionSchedule

__all__ = [
    "Appointment", "DocumentSequence", "DocumentTemplate", "DutyShift", "Milestone", "Ownership", "Petition",
    "PetitionDocument", "PetitionOffice", "Petitioner", "ProgressNote", "ReceptionDay", "ReceptionRecord",
    "ReceptionSchedule", "StatutoryPeriod",
]
