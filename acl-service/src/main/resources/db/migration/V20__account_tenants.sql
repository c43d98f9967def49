-- Tenants on accounts (acl-service), so a grant template's {tenant} resolves for the account.
-- NULL: the account belongs to no tenant, and {tenant} grants allow it nothing.
-- The check repeats TenantId's rule so no row can carry a wildcard, '/' or NUL into a pattern.
ALTER TABLE accounts ADD COLUMN tenant VARCHAR(63) NULL
    CHECK (tenant ~ '^[a-z0-9][a-z0-9-]{0,62}$');
CREATE INDEX accounts_tenant ON accounts (tenant) WHERE tenant IS NOT NULL;
