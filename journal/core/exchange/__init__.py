"""Exchange formats: the JSON format v1, importers and exporters."""
