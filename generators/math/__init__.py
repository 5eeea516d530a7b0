"""Math tasks: exact golds (Fraction or sympy), verified by ``assay.verifiers.math``."""
