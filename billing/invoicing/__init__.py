"""Invoices: the monthly run, the status machine, numbering, money received and
credited, and the PDF. Callers use `billing.invoicing.services`."""
