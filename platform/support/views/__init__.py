"""The support desk's views.

regency.py          the regency's side (/help/ on its site)
console_tickets.py  the engineers' queue, saved views and ticket page
console_library.py  canned replies and knowledge-base articles
console_reports.py  monthly support hours and service levels
inbound.py          the inbound-mail webhook
"""
