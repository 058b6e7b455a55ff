"""Evaluation: eval sets scored for retrieval, answers, citations, refusals and conversations."""
