"""The tools: the command line, the new-guide scaffold, the mutation score, the release and PDF checks,
the icon-font cutter and the page-weight measure."""
