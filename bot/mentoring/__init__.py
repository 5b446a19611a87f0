"""The mentoring program: cohorts, applications, whole-cohort matching, reports, and a
pair's year in chat (introductions, monthly check-ins, feedback, pauses, rematches).

Platform-neutral: the CLI (``memberbot mentoring``) calls
:class:`bot.mentoring.service.MentoringService`; the ``/mentoring`` command and its forms
call :class:`bot.mentoring.chat.MentoringChat`; the check-ins run as the background
service :class:`bot.mentoring.checkins.MentoringCheckins`.
"""
