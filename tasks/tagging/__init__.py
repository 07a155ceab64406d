"""Token classification (tagging): named-entity recognition in IOB2 and part-of-speech tagging with the UD
UPOS tag set, on any local transformer body; training, prediction, seqeval-compatible scoring, and label
distillation for a new language (Wang, Ruder & Neubig 2022)."""
