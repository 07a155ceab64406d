"""The neural inflection transducer (torch): vocabulary, network and training. Imported only when the model
is used."""
