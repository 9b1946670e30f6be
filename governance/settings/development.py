"""The laptop mode `make run` uses: embedded servers, DEBUG only if asked."""
from .base import *  # noqa: F401,F403
