"""New morphology data: hallucinated inflection examples."""
