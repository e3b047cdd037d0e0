"""The engine: printed figures and their precision, statistics, derivations, pooling, the schema and
loading of every table, the scope of the evidence behind a claim, and the audit that gives each claim its
verdict. It imports nothing from the analyses, the book or the tools."""
