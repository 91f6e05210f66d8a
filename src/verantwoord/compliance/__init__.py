"""Compliance tasks on an algorithm, from any source (AI Act obligations, assessment action points, conditions)."""
