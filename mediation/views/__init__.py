"""The mediation app's pages."""
