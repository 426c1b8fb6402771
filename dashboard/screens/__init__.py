"""One module per page: overview, explorer, pair, claim. Each has `render(store, lang)`."""
