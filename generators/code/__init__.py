"""Code tasks: function synthesis, stdin/stdout programs, execution reasoning and bug fixing,
verified by ``assay.verifiers.code`` (hidden tests run in the sandbox, judged outside it).
"""
