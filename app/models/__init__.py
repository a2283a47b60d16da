"""The database models, one module per aggregate."""
from app.models.agenda import AgendaItem
from app.models.ballot import Ballot, ClientOp, SecretBallot, SecretOp, Voter
from app.models.base import Base
from app.models.job import Job, JobStatus
from app.models.report import SECTION_KINDS, ReportSection
from app.models.result import RoundResult
from app.models.round import Idea, IdeaMerge, Round, RoundState
from app.models.survey import QUESTION_KINDS, Survey, SurveyQuestion, SurveyRespondent, SurveyResponse, SurveyState
from app.models.user import User
from app.models.work import Comment, Worksheet, WorksheetField
from app.models.workshop import LANGUAGES, Group, Participant, Workshop
from app.models import versioning  # noqa: F401,E402 - keeps Workshop.ideas_version in step

__all__ = [
    "AgendaItem", "Ballot", "Base", "ClientOp", "Comment", "Group", "Idea", "IdeaMerge", "Job", "JobStatus", "LANGUAGES",
    "Participant", "QUESTION_KINDS", "ReportSection", "Round", "RoundResult", "RoundState", "SecretBallot", "SecretOp", "Survey", "SurveyQuestion",
    "SECTION_KINDS", "SurveyRespondent", "SurveyResponse", "SurveyState", "User", "Voter", "Workshop", "Worksheet", "WorksheetField",
]
