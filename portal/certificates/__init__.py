"""The certificate register for quality teams: approved certificates with their expiry, states
computed from today's date, reminders and renewal requests from a daily job, and a dashboard.

models (tables) · states (state rules, Python and SQL) · checks · register (approval hook,
supersede, revoke) · events · daily (the periodic job) · reminders (its e-mails) · queries ·
chart · views · demo.
"""
