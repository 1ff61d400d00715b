"""ESCO skills: the taxonomy shipped with the engine, tagging outcomes with its skills, a
credential's declared and inferred skills, and the skills a module shares with a credential."""
