"""analysis: the theme engine. A pure library: it never imports flask or consult."""
