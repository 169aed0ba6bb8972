"""The applications room: "no-meeting" online applications (不见面办理).

Forms as data (versioned definitions), fill-once prefill with consent, and
cases that move through a pure lifecycle on a working-day clock.
"""
