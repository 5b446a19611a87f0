"""A member's own deadline reminders: a DM before one deadline, at the lead time they chose.

:mod:`bot.reminders.lead_times` names the choices (a week, a day, that morning),
:mod:`bot.reminders.service` subscribes, lists and cancels, and
:mod:`bot.reminders.reconcile` keeps them in step with the knowledge file on reload.
Each reminder's DM is a one-recipient broadcast sent by the delivery dispatcher,
so it goes out exactly once, whatever crashes or retries happen around it.
"""
