"""Terminal tasks: a seeded file tree, an exact instruction, completion tests and a reference script.

One module per family; verification runs the agent's script in a sandbox (assay.verifiers.terminal).
"""
