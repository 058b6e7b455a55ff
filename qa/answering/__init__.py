"""Answering: retrieval, the trained reader and the other answerers, citations, follow-ups."""
