"""famcov: practise paying a relative's resident medical-insurance premium from a personal account."""

__version__ = "0.1.0"
