"""Origin tracing: adoptees' trace requests, linked, judged by the disclosure rules, approved, released."""
