"""The support desk's writes.

tickets.py   opening, replying (attachments, time spent), rating
desk.py      engineers' actions: assignment, classification, merging, site visits
library.py   knowledge-base articles, canned replies, saved queue views
inbound.py   replies that arrive by email
"""
