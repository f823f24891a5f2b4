"""The support desk's reads.

tickets.py    what a regency's user may see; the engineers' queue
knowledge.py  searching the knowledge base
reports.py    monthly support hours and service levels per regency
"""
