from verantwoord.register.models.algorithm import Algorithm, AlgorithmLink
from verantwoord.register.models.publication import Publication

__all__ = ["Algorithm", "AlgorithmLink", "Publication"]
