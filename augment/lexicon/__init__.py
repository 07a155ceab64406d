"""New lexicons: pivoted through a third language, induced from verse-aligned Bibles (IBM Model 1), and
their evaluation."""
