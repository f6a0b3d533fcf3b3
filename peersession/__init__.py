"""peersession: run peer-mentoring group sessions from the terminal."""

__version__ = "0.1.0"
