from django.db import migrations

# Enforced by the database so that no code path (ORM, raw SQL, a bug) can rewrite
# billing history. Like core's audit log (core/migrations/0003).
#
# 1. Append-only tables: the usage ledger, credit notes, payments and the status
#    histories of invoices and site visits refuse UPDATE, DELETE and TRUNCATE.
# 2. A published price-book version and its prices never change.
# 3. An invoice that has left draft keeps its number, dates, customer, amounts and
#    lines; only its status, the running sums of credits and payments and its Stripe
#    id move on (through the services).
APPEND_ONLY_TABLES = (
    "billing_usageevent",
    "billing_creditnote",
    "billing_payment",
    "billing_invoicetransition",
    "billing_sitevisittransition",
)

APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION billing_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _append_only_triggers(table: str) -> str:
    return f"""
CREATE TRIGGER {table}_no_update_delete
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION billing_append_only();
CREATE TRIGGER {table}_no_truncate
    BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION billing_append_only();
"""


PRICE_BOOK = """
CREATE OR REPLACE FUNCTION billing_price_book_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.status = 'published' THEN
        RAISE EXCEPTION 'price book version % is published and cannot change', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER billing_pricebookversion_frozen
    BEFORE UPDATE OR DELETE ON billing_pricebookversion
    FOR EACH ROW EXECUTE FUNCTION billing_price_book_frozen();

CREATE OR REPLACE FUNCTION billing_price_frozen() RETURNS trigger AS $$
DECLARE
    changed bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        changed := OLD.version_id;
    ELSE
        changed := NEW.version_id;
    END IF;
    IF EXISTS (SELECT 1 FROM billing_pricebookversion v
               WHERE v.id = changed AND v.status = 'published')
       OR (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM billing_pricebookversion v
               WHERE v.id = OLD.version_id AND v.status = 'published')) THEN
        RAISE EXCEPTION 'price book version % is published: its prices cannot change', changed
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER billing_moduleprice_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON billing_moduleprice
    FOR EACH ROW EXECUTE FUNCTION billing_price_frozen();
CREATE TRIGGER billing_meterprice_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON billing_meterprice
    FOR EACH ROW EXECUTE FUNCTION billing_price_frozen();
"""

INVOICE = """
CREATE OR REPLACE FUNCTION billing_invoice_issued_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'draft' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'invoice % is finalised and cannot be deleted', OLD.number
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.status = 'draft'
       OR (NEW.tenant_id, NEW.period_start, NEW.period_end, NEW.number, NEW.issued_on,
           NEW.due_on, NEW.price_book_version_id, NEW.customer_name, NEW.apbd_code,
           NEW.notes, NEW.subtotal_rupiah, NEW.taxable_rupiah, NEW.tax_rate_bp,
           NEW.tax_rupiah, NEW.total_rupiah, NEW.finalised_at, NEW.finalised_by_email)
          IS DISTINCT FROM
          (OLD.tenant_id, OLD.period_start, OLD.period_end, OLD.number, OLD.issued_on,
           OLD.due_on, OLD.price_book_version_id, OLD.customer_name, OLD.apbd_code,
           OLD.notes, OLD.subtotal_rupiah, OLD.taxable_rupiah, OLD.tax_rate_bp,
           OLD.tax_rupiah, OLD.total_rupiah, OLD.finalised_at, OLD.finalised_by_email) THEN
        RAISE EXCEPTION 'invoice % is finalised: correct it with a credit note', OLD.number
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER billing_invoice_frozen
    BEFORE UPDATE OR DELETE ON billing_invoice
    FOR EACH ROW EXECUTE FUNCTION billing_invoice_issued_frozen();

CREATE OR REPLACE FUNCTION billing_invoiceline_frozen() RETURNS trigger AS $$
DECLARE
    parent_id bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN parent_id := OLD.invoice_id; ELSE parent_id := NEW.invoice_id; END IF;
    IF EXISTS (SELECT 1 FROM billing_invoice i WHERE i.id = parent_id AND i.status <> 'draft')
       OR (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM billing_invoice i
               WHERE i.id = OLD.invoice_id AND i.status <> 'draft')) THEN
        RAISE EXCEPTION 'invoice % is finalised: its lines cannot change', parent_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER billing_invoiceline_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON billing_invoiceline
    FOR EACH ROW EXECUTE FUNCTION billing_invoiceline_frozen();
"""

FORWARD = (
    APPEND_ONLY_FUNCTION
    + "".join(_append_only_triggers(table) for table in APPEND_ONLY_TABLES)
    + PRICE_BOOK
    + INVOICE
)

BACKWARD = (
    "".join(
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};"
        f"DROP TRIGGER IF EXISTS {table}_no_update_delete ON {table};"
        for table in APPEND_ONLY_TABLES
    )
    + """
DROP TRIGGER IF EXISTS billing_invoiceline_frozen ON billing_invoiceline;
DROP TRIGGER IF EXISTS billing_invoice_frozen ON billing_invoice;
DROP TRIGGER IF EXISTS billing_meterprice_frozen ON billing_meterprice;
DROP TRIGGER IF EXISTS billing_moduleprice_frozen ON billing_moduleprice;
DROP TRIGGER IF EXISTS billing_pricebookversion_frozen ON billing_pricebookversion;
DROP FUNCTION IF EXISTS billing_invoiceline_frozen();
DROP FUNCTION IF EXISTS billing_invoice_issued_frozen();
DROP FUNCTION IF EXISTS billing_price_frozen();
DROP FUNCTION IF EXISTS billing_price_book_frozen();
DROP FUNCTION IF EXISTS billing_append_only();
"""
)


class Migration(migrations.Migration):
    dependencies = [("billing", "0004_cost_recovery")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
