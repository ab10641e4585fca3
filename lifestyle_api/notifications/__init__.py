"""Reminders' delivery: devices that receive push (`/me/devices`), the inbox
(`/notifications`), and sending a notification once, to the inbox and by push."""
