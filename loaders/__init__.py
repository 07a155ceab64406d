"""Readers: files in, typed records out. Nothing here touches the store. The catalogue `data/catalog.json`
lists every reader (kind, format, module, extensions, options); `lexres.formats` reads it."""
