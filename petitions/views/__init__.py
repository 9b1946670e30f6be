"""The petitions app's pages (thin views over services and selectors)."""
