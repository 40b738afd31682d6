"""floor: a lower bound on how often a model trained on a corpus must hallucinate arbitrary facts."""

__version__ = "0.1.0"
