"""The data model: entries and moments, their Markdown markup, queries over them."""
