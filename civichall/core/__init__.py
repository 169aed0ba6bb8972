"""Cross-cutting pieces of the public site: language, elder-friendly mode,
error pages, audit action names and the shared API error shape."""
