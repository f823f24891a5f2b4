"""The support desk's writes.

tickets.py   opening, replying (attachments, time spent), rating
desk.py      engineers' actions: assignment, classification, merging, site visits
library.py   knowledge-base articles, canned replies, saved queue views
inbound.py   replies that arrive by email
plans.py     service-level plans, their targets, each regency's plan
holidays.py  the desk's holidays
deadlines.py moving open tickets' deadlines when plans or holidays change
"""
