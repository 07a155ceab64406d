"""Sources that are not files a user names: the `unimorph` package's data folder."""
