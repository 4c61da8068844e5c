"""linkage: secure record linkage for Vietnamese child-protection and adoption records."""
