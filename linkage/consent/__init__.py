"""The consent registry: who agreed to, or vetoed, which kind of disclosure, until when."""
