"""Cost-recovery billing: price book, usage ledger, invoices, payments, Stripe."""
