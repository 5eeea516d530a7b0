"""The CLI's command groups, each registering its sub-commands on the ``assay`` parser."""
