"""Bible readers: CES, USFM/SFM, USX, OSIS, Zefania, USFX and verse-per-line text, and what they share."""
