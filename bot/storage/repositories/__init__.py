"""One repository per feature: the only code outside ``bot/storage`` internals that
writes SQL.

Features open a :class:`~bot.storage.unit_of_work.UnitOfWork` with
``database.unit_of_work()`` and call its repositories (``work.kudos``,
``work.members``, ...); everything in one block commits together or not at all.
The hot paths (delivery-id claims, storing a kudos) are functions of their
repository module that take the :class:`~bot.storage.Database` itself: they batch
writes from concurrent commands into one transaction, a detail nobody else sees.
"""
