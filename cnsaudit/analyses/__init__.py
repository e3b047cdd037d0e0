"""Analyses of one guide or across guides, built on the engine: the dose calculator (its results and its
flowchart), gene and protein-change names, and the cross-guide synthesis."""
