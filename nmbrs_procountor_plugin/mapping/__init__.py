"""Administration mapping: one host company to one Procountor company, cost objects to dimensions."""
