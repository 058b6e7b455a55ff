"""The index on disk: the SQLite docstore with its keyword index, the vector files, the manifest."""
