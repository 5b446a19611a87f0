"""The mentoring program: cohorts, applications, whole-cohort matching and reports.

Platform-neutral: the CLI (``memberbot mentoring``) and, later, the ``/mentoring``
command and its forms call :class:`bot.mentoring.service.MentoringService`.
"""
