"""One router per resource; each route parses, calls the engine or the store, shapes the answer."""
