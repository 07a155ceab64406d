"""lexres: load lexicons, Bibles and UniMorph tables into one store, augment them into training data,
and build evaluations for low-resource languages."""
__version__ = "0.1.0"
