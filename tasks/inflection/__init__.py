"""SIGMORPHON-style inflection: task files, exact scoring, the non-neural affix baseline and the interface
every model shares."""
