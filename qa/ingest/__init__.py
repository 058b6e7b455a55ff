"""Ingestion: load and clean articles, split sentences and chunks, embed them."""
