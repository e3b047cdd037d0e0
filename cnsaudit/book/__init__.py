"""The book: chapter tables and figures, the pages built from the audit, the LaTeX edition, the
bibliography style, the downloads, and the Sphinx extension that ties them into the build."""
