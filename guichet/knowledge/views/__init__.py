"""The knowledge base's screens: staff pages, the portal FAQ, the ticket page's panel."""
