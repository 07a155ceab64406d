"""Model adaptation to a new language: extend a tokenizer (SentencePiece merge or WordPiece extension),
initialise the new embedding rows (lexicon-weighted means or a seeded random control), and continue masked-LM
training on target text with exact, resumable checkpoints."""
