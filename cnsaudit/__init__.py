"""Shared computation for the CNS kinase-inhibitor evidence audit."""
