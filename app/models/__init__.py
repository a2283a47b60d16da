"""The database models, one module per aggregate."""
from app.models.ballot import Ballot, ClientOp, SecretBallot, Voter
from app.models.base import Base
from app.models.result import RoundResult
from app.models.round import Idea, Round, RoundState
from app.models.user import User
from app.models.workshop import LANGUAGES, Participant, Workshop

__all__ = [
    "Ballot", "Base", "ClientOp", "Idea", "LANGUAGES", "Participant", "Round", "RoundResult",
    "RoundState", "SecretBallot", "User", "Voter", "Workshop",
]
