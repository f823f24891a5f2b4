"""The support desk's views.

regency.py          the regency's side (/help/ on its site)
console_tickets.py  the engineers' queue, saved views and ticket page
console_library.py  canned replies and knowledge-base articles
console_reports.py  monthly support hours and service levels
console_plans.py    service-level plans and each regency's plan
console_holidays.py the desk's holidays
inbound.py          the inbound-mail webhook
"""
