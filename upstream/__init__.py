"""Reference upstream service: the server side of the sync protocol (FastAPI + SQLAlchemy)."""
