"""Token-labeled data (CoNLL, CoNLL-U, XTREME): readers and writers of sentences with one label per token."""
